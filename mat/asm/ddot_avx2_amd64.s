//go:build !purego

#include "textflag.h"

// The float64 twin of dot_avx2_amd64.s, four float64 to a ymm register.

// func ddotAVX2(x, y []float64) float64
//
// Register map:
//	SI: &x[0]    DI: &y[0]    CX: n = len(x)    AX: i    DX: loop bound
//	Y0–Y7: eight independent partial sums    Y8–Y15: x[i:i+32]
TEXT ·ddotAVX2(SB), NOSPLIT, $0-56
	MOVQ   x_base+0(FP), SI
	MOVQ   y_base+24(FP), DI
	MOVQ   x_len+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ   AX, AX

	// for ; i < n&^31; i += 32 { sum[s] += x[i+4s:i+4s+4] * y[i+4s:i+4s+4] } for s in 0..7
	MOVQ CX, DX
	ANDQ $-32, DX
	JZ   loop4

loop32:
	VMOVUPD     (SI)(AX*8), Y8
	VMOVUPD     32(SI)(AX*8), Y9
	VMOVUPD     64(SI)(AX*8), Y10
	VMOVUPD     96(SI)(AX*8), Y11
	VMOVUPD     128(SI)(AX*8), Y12
	VMOVUPD     160(SI)(AX*8), Y13
	VMOVUPD     192(SI)(AX*8), Y14
	VMOVUPD     224(SI)(AX*8), Y15
	VFMADD231PD (DI)(AX*8), Y8, Y0
	VFMADD231PD 32(DI)(AX*8), Y9, Y1
	VFMADD231PD 64(DI)(AX*8), Y10, Y2
	VFMADD231PD 96(DI)(AX*8), Y11, Y3
	VFMADD231PD 128(DI)(AX*8), Y12, Y4
	VFMADD231PD 160(DI)(AX*8), Y13, Y5
	VFMADD231PD 192(DI)(AX*8), Y14, Y6
	VFMADD231PD 224(DI)(AX*8), Y15, Y7
	ADDQ        $32, AX
	CMPQ        AX, DX
	JLT         loop32

loop4:
	// for ; i+4 <= n; i += 4 { sum0 += x[i:i+4] * y[i:i+4] }
	LEAQ        4(AX), DX
	CMPQ        DX, CX
	JGT         reduce
	VMOVUPD     (SI)(AX*8), Y8
	VFMADD231PD (DI)(AX*8), Y8, Y0
	MOVQ        DX, AX
	JMP         loop4

reduce:
	// Y0 = sum0 + sum1 + ... + sum7
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y5, Y4, Y4
	VADDPD Y7, Y6, Y6
	VADDPD Y2, Y0, Y0
	VADDPD Y6, Y4, Y4
	VADDPD Y4, Y0, Y0

	// X0[0] = Y0[0] + Y0[1] + Y0[2] + Y0[3]
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VMOVHLPS     X0, X0, X1
	VADDSD       X1, X0, X0

tail:
	// for ; i < n; i++ { sum += x[i] * y[i] }
	CMPQ        AX, CX
	JGE         done
	VMOVSD      (SI)(AX*8), X1
	VFMADD231SD (DI)(AX*8), X1, X0
	INCQ        AX
	JMP         tail

done:
	VMOVSD X0, ret+48(FP)
	VZEROUPPER
	RET
