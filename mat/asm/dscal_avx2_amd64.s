//go:build !purego

#include "textflag.h"

// The float64 twin of scal_avx2_amd64.s, four float64 to a ymm register.

// func dscalAVX2(alpha float64, x []float64)
//
// Register map:
//	DI: &x[0]    CX: n = len(x)    AX: i    DX: loop bound
//	Y0: alpha in all four lanes    Y1–Y4: x[i:i+16]
TEXT ·dscalAVX2(SB), NOSPLIT, $0-32
	MOVQ         x_base+8(FP), DI
	MOVQ         x_len+16(FP), CX
	VBROADCASTSD alpha+0(FP), Y0
	XORQ         AX, AX

	// for ; i < n&^15; i += 16 { x[i:i+16] *= alpha }
	MOVQ CX, DX
	ANDQ $-16, DX
	JZ   loop4

loop16:
	VMULPD  (DI)(AX*8), Y0, Y1
	VMULPD  32(DI)(AX*8), Y0, Y2
	VMULPD  64(DI)(AX*8), Y0, Y3
	VMULPD  96(DI)(AX*8), Y0, Y4
	VMOVUPD Y1, (DI)(AX*8)
	VMOVUPD Y2, 32(DI)(AX*8)
	VMOVUPD Y3, 64(DI)(AX*8)
	VMOVUPD Y4, 96(DI)(AX*8)
	ADDQ    $16, AX
	CMPQ    AX, DX
	JLT     loop16

loop4:
	// for ; i+4 <= n; i += 4 { x[i:i+4] *= alpha }
	LEAQ    4(AX), DX
	CMPQ    DX, CX
	JGT     tail
	VMULPD  (DI)(AX*8), Y0, Y1
	VMOVUPD Y1, (DI)(AX*8)
	MOVQ    DX, AX
	JMP     loop4

tail:
	// for ; i < n; i++ { x[i] *= alpha }
	CMPQ   AX, CX
	JGE    done
	VMULSD (DI)(AX*8), X0, X1
	VMOVSD X1, (DI)(AX*8)
	INCQ   AX
	JMP    tail

done:
	VZEROUPPER
	RET
