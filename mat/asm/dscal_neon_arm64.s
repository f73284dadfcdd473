//go:build !purego

#include "textflag.h"

// The float64 twin of scal_neon_arm64.s, two float64 to a vector.
//
// Go's arm64 assembler has no floating-point vector multiply, so it is
// emitted with WORD (sz = 1, bit 22):
//
//	FMUL Vd.2D, Vn.2D, Vm.2D = 0x6E60DC00 | m<<16 | n<<5 | d
#define VFMUL_2D(m, n, d) WORD $(0x6E60DC00 | (m)<<16 | (n)<<5 | (d))

// func dscalNEON(alpha float64, x []float64)
//
// x[i] *= alpha, 8 float64 per iteration, then 2, then one at a time.
TEXT ·dscalNEON(SB), NOSPLIT, $0-32
	FMOVD alpha+0(FP), F0
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2

	// V0 = {alpha, alpha}; F0 (its lane 0) is still alpha.
	VDUP V0.D[0], V0.D2

	// for ; n >= 8; n -= 8
	LSR $3, R2, R3
	CBZ R3, tail2

loop8:
	// V1..V4 = x[0:8] * alpha
	VLD1 (R0), [V1.D2, V2.D2, V3.D2, V4.D2]
	VFMUL_2D(0, 1, 1)
	VFMUL_2D(0, 2, 2)
	VFMUL_2D(0, 3, 3)
	VFMUL_2D(0, 4, 4)

	// x[0:8] = V1..V4; x += 8
	VST1.P [V1.D2, V2.D2, V3.D2, V4.D2], 64(R0)

	SUBS $1, R3
	BNE  loop8

tail2:
	// for ; n >= 2; n -= 2
	AND $7, R2
	LSR $1, R2, R3
	CBZ R3, tail1

loop2:
	// x[0:2] *= alpha; x += 2
	VLD1 (R0), [V1.D2]
	VFMUL_2D(0, 1, 1)
	VST1.P [V1.D2], 16(R0)

	SUBS $1, R3
	BNE  loop2

tail1:
	// for ; n > 0; n--
	AND $1, R2
	CBZ R2, done

loop1:
	// x[0] *= alpha; x++
	FMOVD   (R0), F1
	FMULD   F0, F1, F1
	FMOVD.P F1, 8(R0)

	SUBS $1, R2
	BNE  loop1

done:
	RET
