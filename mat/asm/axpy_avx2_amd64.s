//go:build !purego

#include "textflag.h"

// func axpyAVX2(alpha float32, x, y []float32)
//
// Register map:
//	SI: &x[0]    DI: &y[0]    CX: n = len(y)    AX: i    DX: loop bound
//	Y0: alpha in all eight lanes    Y1–Y4: y[i:i+32]
TEXT ·axpyAVX2(SB), NOSPLIT, $0-56
	MOVQ         x_base+8(FP), SI
	MOVQ         y_base+32(FP), DI
	MOVQ         y_len+40(FP), CX
	VBROADCASTSS alpha+0(FP), Y0
	XORQ         AX, AX

	// for ; i < n&^31; i += 32 { y[i:i+32] += alpha * x[i:i+32] }
	MOVQ CX, DX
	ANDQ $-32, DX
	JZ   loop8

loop32:
	VMOVUPS     (DI)(AX*4), Y1
	VMOVUPS     32(DI)(AX*4), Y2
	VMOVUPS     64(DI)(AX*4), Y3
	VMOVUPS     96(DI)(AX*4), Y4
	VFMADD231PS (SI)(AX*4), Y0, Y1
	VFMADD231PS 32(SI)(AX*4), Y0, Y2
	VFMADD231PS 64(SI)(AX*4), Y0, Y3
	VFMADD231PS 96(SI)(AX*4), Y0, Y4
	VMOVUPS     Y1, (DI)(AX*4)
	VMOVUPS     Y2, 32(DI)(AX*4)
	VMOVUPS     Y3, 64(DI)(AX*4)
	VMOVUPS     Y4, 96(DI)(AX*4)
	ADDQ        $32, AX
	CMPQ        AX, DX
	JLT         loop32

loop8:
	// for ; i+8 <= n; i += 8 { y[i:i+8] += alpha * x[i:i+8] }
	LEAQ        8(AX), DX
	CMPQ        DX, CX
	JGT         tail
	VMOVUPS     (DI)(AX*4), Y1
	VFMADD231PS (SI)(AX*4), Y0, Y1
	VMOVUPS     Y1, (DI)(AX*4)
	MOVQ        DX, AX
	JMP         loop8

tail:
	// for ; i < n; i++ { y[i] += alpha * x[i] }
	CMPQ        AX, CX
	JGE         done
	VMOVSS      (DI)(AX*4), X1
	VFMADD231SS (SI)(AX*4), X0, X1
	VMOVSS      X1, (DI)(AX*4)
	INCQ        AX
	JMP         tail

done:
	VZEROUPPER
	RET
