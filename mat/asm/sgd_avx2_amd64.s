//go:build !purego

#include "textflag.h"

// The eight words at sgdTailMask<>+32-4r are a VMASKMOVPS mask enabling
// the first r lanes, 0 ≤ r ≤ 8.
DATA sgdTailMask<>+0(SB)/8, $0xffffffffffffffff
DATA sgdTailMask<>+8(SB)/8, $0xffffffffffffffff
DATA sgdTailMask<>+16(SB)/8, $0xffffffffffffffff
DATA sgdTailMask<>+24(SB)/8, $0xffffffffffffffff
DATA sgdTailMask<>+32(SB)/8, $0
DATA sgdTailMask<>+40(SB)/8, $0
DATA sgdTailMask<>+48(SB)/8, $0
DATA sgdTailMask<>+56(SB)/8, $0
GLOBL sgdTailMask<>(SB), RODATA|NOPTR, $64

// func sgd8AVX2(wd, mu, c, alpha float32, flags int, theta, grad, buf []float32)
//
// One pass of the SGD update (see sgdGeneric) over θ, g and, with
// momentum, buf: eight elements per iteration, then the last n%8 with
// masked loads and stores (VMASKMOVPS touches only the enabled lanes).
// Each line of the update runs under its bit of flags (sgdFlags), tested
// by a branch that goes the same way on every iteration.
//
// Register map:
//	SI: &theta[0]  DI: &grad[0]  R8: &buf[0]
//	CX: n = len(theta)  AX: i  BX: n&^7  DX: flags
//	Y15: wd  Y14: mu  Y13: c = 1−τ  Y12: alpha = −γ
//	Y11: the sign bit if Maximize, else 0  Y10: the tail mask
//	Y0: g  Y1: θ  Y2: buf
TEXT ·sgd8AVX2(SB), NOSPLIT, $0-96
	MOVQ theta_base+24(FP), SI
	MOVQ theta_len+32(FP), CX
	MOVQ grad_base+48(FP), DI
	MOVQ buf_base+72(FP), R8
	MOVQ flags+16(FP), DX

	VBROADCASTSS wd+0(FP), Y15
	VBROADCASTSS mu+4(FP), Y14
	VBROADCASTSS c+8(FP), Y13
	VBROADCASTSS alpha+12(FP), Y12

	// Y11 = −0.0 in every lane if Maximize (g ^= Y11 negates), else 0.
	VXORPS Y11, Y11, Y11
	TESTQ  $1, DX
	JZ     start
	MOVL   $0x80000000, BX
	MOVL   BX, X11
	VBROADCASTSS X11, Y11

start:
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-8, BX
	JZ   tail

loop8:
	// g = ±grad[i:i+8]; θ = theta[i:i+8]
	VMOVUPS (DI)(AX*4), Y0
	VXORPS  Y11, Y0, Y0
	VMOVUPS (SI)(AX*4), Y1

	// if Decay { g = wd·θ + g }
	TESTQ       $2, DX
	JZ          momentum8
	VFMADD231PS Y15, Y1, Y0

momentum8:
	TESTQ $4, DX
	JZ    update8

	// buf = First ? g : mu·buf (+ c·g if Dampen)
	TESTQ   $8, DX
	JZ      old8
	VMOVAPS Y0, Y2
	JMP     store8

old8:
	VMULPS      (R8)(AX*4), Y14, Y2
	TESTQ       $16, DX
	JZ          store8
	VFMADD231PS Y13, Y0, Y2

store8:
	VMOVUPS Y2, (R8)(AX*4)

	// g = Nesterov ? mu·buf + g : buf
	TESTQ       $32, DX
	JZ          heavy8
	VFMADD231PS Y14, Y2, Y0
	JMP         update8

heavy8:
	VMOVAPS Y2, Y0

update8:
	// if Update { theta[i:i+8] = alpha·g + θ }
	TESTQ       $64, DX
	JZ          next8
	VFMADD231PS Y12, Y0, Y1
	VMOVUPS     Y1, (SI)(AX*4)

next8:
	ADDQ $8, AX
	CMPQ AX, BX
	JLT  loop8

tail:
	// The last r = n − i < 8 elements: the same, under the mask Y10 of
	// their lanes.
	SUBQ    AX, CX
	JZ      done
	SHLQ    $2, CX
	LEAQ    sgdTailMask<>+32(SB), BX
	SUBQ    CX, BX
	VMOVUPS (BX), Y10

	VMASKMOVPS (DI)(AX*4), Y10, Y0
	VXORPS     Y11, Y0, Y0
	VMASKMOVPS (SI)(AX*4), Y10, Y1

	TESTQ       $2, DX
	JZ          momentum1
	VFMADD231PS Y15, Y1, Y0

momentum1:
	TESTQ $4, DX
	JZ    update1

	TESTQ   $8, DX
	JZ      old1
	VMOVAPS Y0, Y2
	JMP     store1

old1:
	VMASKMOVPS  (R8)(AX*4), Y10, Y2
	VMULPS      Y14, Y2, Y2
	TESTQ       $16, DX
	JZ          store1
	VFMADD231PS Y13, Y0, Y2

store1:
	VMASKMOVPS Y2, Y10, (R8)(AX*4)

	TESTQ       $32, DX
	JZ          heavy1
	VFMADD231PS Y14, Y2, Y0
	JMP         update1

heavy1:
	VMOVAPS Y2, Y0

update1:
	TESTQ       $64, DX
	JZ          done
	VFMADD231PS Y12, Y0, Y1
	VMASKMOVPS  Y1, Y10, (SI)(AX*4)

done:
	VZEROUPPER
	RET
