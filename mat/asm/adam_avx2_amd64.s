//go:build !purego

#include "textflag.h"

// The eight words at adamTailMask<>+32-4r are a VMASKMOVPS mask enabling
// the first r lanes, 0 ≤ r ≤ 8.
DATA adamTailMask<>+0(SB)/8, $0xffffffffffffffff
DATA adamTailMask<>+8(SB)/8, $0xffffffffffffffff
DATA adamTailMask<>+16(SB)/8, $0xffffffffffffffff
DATA adamTailMask<>+24(SB)/8, $0xffffffffffffffff
DATA adamTailMask<>+32(SB)/8, $0
DATA adamTailMask<>+40(SB)/8, $0
DATA adamTailMask<>+48(SB)/8, $0
DATA adamTailMask<>+56(SB)/8, $0
GLOBL adamTailMask<>(SB), RODATA|NOPTR, $64

// func adam8AVX2(decay, l2, b1, c1, b2, c2, bc2, eps, alpha float32, flags int, theta, grad, m, v, vmax []float32)
//
// One pass of the Adam update (see adamGeneric) over θ, g, m, v and, with
// AMSGrad, vmax: eight elements per iteration, then the last n%8 with
// masked loads and stores (VMASKMOVPS touches only the enabled lanes).
//
// Register map:
//	SI: &theta[0]  DI: &grad[0]  R8: &m[0]  R9: &v[0]  R10: &vmax[0]
//	CX: n = len(theta)  AX: i  BX: n&^7  DX: flags
//	Y15: decay  Y14: l2  Y13: b1  Y12: c1 = 1−b1  Y11: b2  Y10: c2 = 1−b2
//	Y9: bc2  Y8: eps (the tail mask in the tail)  Y7: alpha
//	Y6: the sign bit if Maximize, else 0
//	Y0: g  Y1: θ, then t  Y2: m  Y3: v, then w and d  Y4, Y5: temporaries
TEXT ·adam8AVX2(SB), NOSPLIT, $0-168
	MOVQ theta_base+48(FP), SI
	MOVQ theta_len+56(FP), CX
	MOVQ grad_base+72(FP), DI
	MOVQ m_base+96(FP), R8
	MOVQ v_base+120(FP), R9
	MOVQ vmax_base+144(FP), R10
	MOVQ flags+40(FP), DX

	VBROADCASTSS decay+0(FP), Y15
	VBROADCASTSS l2+4(FP), Y14
	VBROADCASTSS b1+8(FP), Y13
	VBROADCASTSS c1+12(FP), Y12
	VBROADCASTSS b2+16(FP), Y11
	VBROADCASTSS c2+20(FP), Y10
	VBROADCASTSS bc2+24(FP), Y9
	VBROADCASTSS eps+28(FP), Y8
	VBROADCASTSS alpha+32(FP), Y7

	// Y6 = −0.0 in every lane if Maximize (g ^= Y6 negates), else 0.
	VXORPS Y6, Y6, Y6
	TESTQ  $1, DX
	JZ     start
	MOVL   $0x80000000, BX
	MOVL   BX, X6
	VBROADCASTSS X6, Y6

start:
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX
	JZ   tail

loop8:
	// g = ±grad[i:i+8]; θ = theta[i:i+8]
	VMOVUPS (DI)(AX*4), Y0
	VXORPS  Y6, Y0, Y0
	VMOVUPS (SI)(AX*4), Y1

	// if Coupled { g = l2·θ + g }
	TESTQ       $2, DX
	JZ          decay8
	VFMADD231PS Y14, Y1, Y0

decay8:
	// t = decay·θ
	VMULPS Y15, Y1, Y1

	// m = c1·g + b1·m
	VMULPS      (R8)(AX*4), Y13, Y2
	VFMADD231PS Y12, Y0, Y2
	VMOVUPS     Y2, (R8)(AX*4)

	// v = (c2·g)·g + b2·v
	VMULPS      (R9)(AX*4), Y11, Y3
	VMULPS      Y10, Y0, Y4
	VFMADD231PS Y4, Y0, Y3
	VMOVUPS     Y3, (R9)(AX*4)

	// if AMSGrad { vmax = (v > vmax || v is NaN) ? v : vmax; w = vmax }
	TESTQ     $4, DX
	JZ        denom8
	VMOVUPS   (R10)(AX*4), Y4
	VMAXPS    Y4, Y3, Y5     // v > vmax ? v : vmax (vmax if either is NaN)
	VCMPPS    $3, Y3, Y3, Y4 // v is NaN (unordered)
	VBLENDVPS Y4, Y3, Y5, Y3 // NaN v wins
	VMOVUPS   Y3, (R10)(AX*4)

denom8:
	// d = sqrt(w)/bc2 + eps
	VSQRTPS Y3, Y3
	VDIVPS  Y9, Y3, Y3
	VADDPS  Y8, Y3, Y3

	// theta[i:i+8] = t + (alpha·m)/d
	VMULPS  Y7, Y2, Y2
	VDIVPS  Y3, Y2, Y2
	VADDPS  Y2, Y1, Y1
	VMOVUPS Y1, (SI)(AX*4)

	ADDQ $8, AX
	CMPQ AX, BX
	JLT  loop8

tail:
	// The last r = n − i < 8 elements: the same, under the mask Y8 of
	// their lanes (eps then comes from memory).
	SUBQ    AX, CX
	JZ      done
	SHLQ    $2, CX
	LEAQ    adamTailMask<>+32(SB), BX
	SUBQ    CX, BX
	VMOVUPS (BX), Y8

	VMASKMOVPS (DI)(AX*4), Y8, Y0
	VXORPS     Y6, Y0, Y0
	VMASKMOVPS (SI)(AX*4), Y8, Y1

	TESTQ       $2, DX
	JZ          decay1
	VFMADD231PS Y14, Y1, Y0

decay1:
	VMULPS Y15, Y1, Y1

	VMASKMOVPS  (R8)(AX*4), Y8, Y2
	VMULPS      Y13, Y2, Y2
	VFMADD231PS Y12, Y0, Y2
	VMASKMOVPS  Y2, Y8, (R8)(AX*4)

	VMASKMOVPS  (R9)(AX*4), Y8, Y3
	VMULPS      Y11, Y3, Y3
	VMULPS      Y10, Y0, Y4
	VFMADD231PS Y4, Y0, Y3
	VMASKMOVPS  Y3, Y8, (R9)(AX*4)

	TESTQ      $4, DX
	JZ         denom1
	VMASKMOVPS (R10)(AX*4), Y8, Y4
	VMAXPS     Y4, Y3, Y5
	VCMPPS     $3, Y3, Y3, Y4
	VBLENDVPS  Y4, Y3, Y5, Y3
	VMASKMOVPS Y3, Y8, (R10)(AX*4)

denom1:
	VSQRTPS      Y3, Y3
	VDIVPS       Y9, Y3, Y3
	VBROADCASTSS eps+28(FP), Y4
	VADDPS       Y4, Y3, Y3

	VMULPS     Y7, Y2, Y2
	VDIVPS     Y3, Y2, Y2
	VADDPS     Y2, Y1, Y1
	VMASKMOVPS Y1, Y8, (SI)(AX*4)

done:
	VZEROUPPER
	RET
