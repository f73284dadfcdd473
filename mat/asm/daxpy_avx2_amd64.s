//go:build !purego

#include "textflag.h"

// The float64 twin of axpy_avx2_amd64.s, four float64 to a ymm register.

// func daxpyAVX2(alpha float64, x, y []float64)
//
// Register map:
//	SI: &x[0]    DI: &y[0]    CX: n = len(y)    AX: i    DX: loop bound
//	Y0: alpha in all four lanes    Y1–Y4: y[i:i+16]
TEXT ·daxpyAVX2(SB), NOSPLIT, $0-56
	MOVQ         x_base+8(FP), SI
	MOVQ         y_base+32(FP), DI
	MOVQ         y_len+40(FP), CX
	VBROADCASTSD alpha+0(FP), Y0
	XORQ         AX, AX

	// for ; i < n&^15; i += 16 { y[i:i+16] += alpha * x[i:i+16] }
	MOVQ CX, DX
	ANDQ $-16, DX
	JZ   loop4

loop16:
	VMOVUPD     (DI)(AX*8), Y1
	VMOVUPD     32(DI)(AX*8), Y2
	VMOVUPD     64(DI)(AX*8), Y3
	VMOVUPD     96(DI)(AX*8), Y4
	VFMADD231PD (SI)(AX*8), Y0, Y1
	VFMADD231PD 32(SI)(AX*8), Y0, Y2
	VFMADD231PD 64(SI)(AX*8), Y0, Y3
	VFMADD231PD 96(SI)(AX*8), Y0, Y4
	VMOVUPD     Y1, (DI)(AX*8)
	VMOVUPD     Y2, 32(DI)(AX*8)
	VMOVUPD     Y3, 64(DI)(AX*8)
	VMOVUPD     Y4, 96(DI)(AX*8)
	ADDQ        $16, AX
	CMPQ        AX, DX
	JLT         loop16

loop4:
	// for ; i+4 <= n; i += 4 { y[i:i+4] += alpha * x[i:i+4] }
	LEAQ        4(AX), DX
	CMPQ        DX, CX
	JGT         tail
	VMOVUPD     (DI)(AX*8), Y1
	VFMADD231PD (SI)(AX*8), Y0, Y1
	VMOVUPD     Y1, (DI)(AX*8)
	MOVQ        DX, AX
	JMP         loop4

tail:
	// for ; i < n; i++ { y[i] += alpha * x[i] }
	CMPQ        AX, CX
	JGE         done
	VMOVSD      (DI)(AX*8), X1
	VFMADD231SD (SI)(AX*8), X0, X1
	VMOVSD      X1, (DI)(AX*8)
	INCQ        AX
	JMP         tail

done:
	VZEROUPPER
	RET
