//go:build !purego

#include "textflag.h"

// The float64 twin of axpy_neon_arm64.s, two float64 to a vector.

// func daxpyNEON(alpha float64, x, y []float64)
//
// y[i] += alpha * x[i] for i < len(y), 8 float64 per iteration, then 2,
// then one at a time.
TEXT ·daxpyNEON(SB), NOSPLIT, $0-56
	FMOVD alpha+0(FP), F0
	MOVD  x_base+8(FP), R0
	MOVD  y_base+32(FP), R1
	MOVD  y_len+40(FP), R2

	// V0 = {alpha, alpha}; F0 (its lane 0) is still alpha.
	VDUP V0.D[0], V0.D2

	// for ; n >= 8; n -= 8
	LSR  $3, R2, R3
	CBZ  R3, tail2

loop8:
	// V1..V4 = x[0:8]; V5..V8 = y[0:8]; x += 8
	VLD1.P 64(R0), [V1.D2, V2.D2, V3.D2, V4.D2]
	VLD1   (R1), [V5.D2, V6.D2, V7.D2, V8.D2]

	// y[0:8] += alpha * x[0:8]; y += 8
	VFMLA V0.D2, V1.D2, V5.D2
	VFMLA V0.D2, V2.D2, V6.D2
	VFMLA V0.D2, V3.D2, V7.D2
	VFMLA V0.D2, V4.D2, V8.D2
	VST1.P [V5.D2, V6.D2, V7.D2, V8.D2], 64(R1)

	SUBS $1, R3
	BNE  loop8

tail2:
	// for ; n >= 2; n -= 2
	AND  $7, R2
	LSR  $1, R2, R3
	CBZ  R3, tail1

loop2:
	// y[0:2] += alpha * x[0:2]; x, y += 2
	VLD1.P 16(R0), [V1.D2]
	VLD1   (R1), [V5.D2]
	VFMLA  V0.D2, V1.D2, V5.D2
	VST1.P [V5.D2], 16(R1)

	SUBS $1, R3
	BNE  loop2

tail1:
	// for ; n > 0; n--
	AND $1, R2
	CBZ R2, done

loop1:
	// y[0] += alpha * x[0]; x, y++
	FMOVD.P 8(R0), F1
	FMOVD   (R1), F2
	FMADDD  F0, F2, F1, F2
	FMOVD.P F2, 8(R1)

	SUBS $1, R2
	BNE  loop1

done:
	RET
