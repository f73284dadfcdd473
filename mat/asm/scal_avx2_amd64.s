//go:build !purego

#include "textflag.h"

// func scalAVX2(alpha float32, x []float32)
//
// Register map:
//	DI: &x[0]    CX: n = len(x)    AX: i    DX: loop bound
//	Y0: alpha in all eight lanes    Y1–Y4: x[i:i+32]
TEXT ·scalAVX2(SB), NOSPLIT, $0-32
	MOVQ         x_base+8(FP), DI
	MOVQ         x_len+16(FP), CX
	VBROADCASTSS alpha+0(FP), Y0
	XORQ         AX, AX

	// for ; i < n&^31; i += 32 { x[i:i+32] *= alpha }
	MOVQ CX, DX
	ANDQ $-32, DX
	JZ   loop8

loop32:
	VMULPS  (DI)(AX*4), Y0, Y1
	VMULPS  32(DI)(AX*4), Y0, Y2
	VMULPS  64(DI)(AX*4), Y0, Y3
	VMULPS  96(DI)(AX*4), Y0, Y4
	VMOVUPS Y1, (DI)(AX*4)
	VMOVUPS Y2, 32(DI)(AX*4)
	VMOVUPS Y3, 64(DI)(AX*4)
	VMOVUPS Y4, 96(DI)(AX*4)
	ADDQ    $32, AX
	CMPQ    AX, DX
	JLT     loop32

loop8:
	// for ; i+8 <= n; i += 8 { x[i:i+8] *= alpha }
	LEAQ    8(AX), DX
	CMPQ    DX, CX
	JGT     tail
	VMULPS  (DI)(AX*4), Y0, Y1
	VMOVUPS Y1, (DI)(AX*4)
	MOVQ    DX, AX
	JMP     loop8

tail:
	// for ; i < n; i++ { x[i] *= alpha }
	CMPQ   AX, CX
	JGE    done
	VMULSS (DI)(AX*4), X0, X1
	VMOVSS X1, (DI)(AX*4)
	INCQ   AX
	JMP    tail

done:
	VZEROUPPER
	RET
