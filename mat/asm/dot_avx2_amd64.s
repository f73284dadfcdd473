//go:build !purego

#include "textflag.h"

// func dotAVX2(x, y []float32) float32
//
// Register map:
//	SI: &x[0]    DI: &y[0]    CX: n = len(x)    AX: i    DX: loop bound
//	Y0–Y7: eight independent partial sums    Y8–Y15: x[i:i+64]
TEXT ·dotAVX2(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), SI
	MOVQ   y_base+24(FP), DI
	MOVQ   x_len+8(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ   AX, AX

	// for ; i < n&^63; i += 64 { sum[0:8] += x[i+8s:i+8s+8] * y[i+8s:i+8s+8] } for s in 0..7
	MOVQ CX, DX
	ANDQ $-64, DX
	JZ   loop8

loop64:
	VMOVUPS     (SI)(AX*4), Y8
	VMOVUPS     32(SI)(AX*4), Y9
	VMOVUPS     64(SI)(AX*4), Y10
	VMOVUPS     96(SI)(AX*4), Y11
	VMOVUPS     128(SI)(AX*4), Y12
	VMOVUPS     160(SI)(AX*4), Y13
	VMOVUPS     192(SI)(AX*4), Y14
	VMOVUPS     224(SI)(AX*4), Y15
	VFMADD231PS (DI)(AX*4), Y8, Y0
	VFMADD231PS 32(DI)(AX*4), Y9, Y1
	VFMADD231PS 64(DI)(AX*4), Y10, Y2
	VFMADD231PS 96(DI)(AX*4), Y11, Y3
	VFMADD231PS 128(DI)(AX*4), Y12, Y4
	VFMADD231PS 160(DI)(AX*4), Y13, Y5
	VFMADD231PS 192(DI)(AX*4), Y14, Y6
	VFMADD231PS 224(DI)(AX*4), Y15, Y7
	ADDQ        $64, AX
	CMPQ        AX, DX
	JLT         loop64

loop8:
	// for ; i+8 <= n; i += 8 { sum0 += x[i:i+8] * y[i:i+8] }
	LEAQ        8(AX), DX
	CMPQ        DX, CX
	JGT         reduce
	VMOVUPS     (SI)(AX*4), Y8
	VFMADD231PS (DI)(AX*4), Y8, Y0
	MOVQ        DX, AX
	JMP         loop8

reduce:
	// Y0 = sum0 + sum1 + ... + sum7
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y5, Y4, Y4
	VADDPS Y7, Y6, Y6
	VADDPS Y2, Y0, Y0
	VADDPS Y6, Y4, Y4
	VADDPS Y4, Y0, Y0

	// X0[0] = Y0[0] + Y0[1] + ... + Y0[7]
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0

tail:
	// for ; i < n; i++ { sum += x[i] * y[i] }
	CMPQ        AX, CX
	JGE         done
	VMOVSS      (SI)(AX*4), X1
	VFMADD231SS (DI)(AX*4), X1, X0
	INCQ        AX
	JMP         tail

done:
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET
