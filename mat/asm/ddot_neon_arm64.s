//go:build !purego

#include "textflag.h"

// The float64 twin of dot_neon_arm64.s, two float64 to a vector.
//
// Go's arm64 assembler has no floating-point vector add, so these are
// emitted with WORD (sz = 1, bit 22):
//
//	FADD  Vd.2D, Vn.2D, Vm.2D = 0x4E60D400 | m<<16 | n<<5 | d
//	FADDP Dd, Vn.2D           = 0x7E70D800 | n<<5 | d
#define VFADD_2D(m, n, d) WORD $(0x4E60D400 | (m)<<16 | (n)<<5 | (d))
#define FADDP_2D(n, d) WORD $(0x7E70D800 | (n)<<5 | (d))

// func ddotNEON(x, y []float64) float64
//
// Returns the sum of x[i]*y[i] for i < len(x): four vector accumulators
// over 8 float64 per iteration, then 2 at a time into the first; the
// accumulators are summed across, then the last len(x)%2 product is added.
TEXT ·ddotNEON(SB), NOSPLIT, $0-56
	MOVD x_base+0(FP), R0
	MOVD y_base+24(FP), R1
	MOVD x_len+8(FP), R2

	// V16..V19 = 0: four independent sums.
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16

	// for ; n >= 8; n -= 8
	LSR $3, R2, R3
	CBZ R3, tail2

loop8:
	// V0..V3 = x[0:8]; V4..V7 = y[0:8]; x, y += 8
	VLD1.P 64(R0), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P 64(R1), [V4.D2, V5.D2, V6.D2, V7.D2]

	// V16..V19 += x[0:8] * y[0:8]
	VFMLA V0.D2, V4.D2, V16.D2
	VFMLA V1.D2, V5.D2, V17.D2
	VFMLA V2.D2, V6.D2, V18.D2
	VFMLA V3.D2, V7.D2, V19.D2

	SUBS $1, R3
	BNE  loop8

tail2:
	// for ; n >= 2; n -= 2
	AND $7, R2
	LSR $1, R2, R3
	CBZ R3, reduce

loop2:
	// V16 += x[0:2] * y[0:2]; x, y += 2
	VLD1.P 16(R0), [V0.D2]
	VLD1.P 16(R1), [V4.D2]
	VFMLA  V0.D2, V4.D2, V16.D2

	SUBS $1, R3
	BNE  loop2

reduce:
	// V16 = (V16 + V17) + (V18 + V19)
	VFADD_2D(17, 16, 16)
	VFADD_2D(19, 18, 18)
	VFADD_2D(18, 16, 16)

	// F0 = V16[0] + V16[1]
	FADDP_2D(16, 0)

	// if n > 0 (one left)
	AND $1, R2
	CBZ R2, done

	// sum += x[0] * y[0]
	FMOVD (R0), F1
	FMOVD (R1), F2
	FMADDD F1, F0, F2, F0

done:
	FMOVD F0, ret+48(FP)
	RET
