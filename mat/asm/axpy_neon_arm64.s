//go:build !purego

#include "textflag.h"

// func axpyNEON(alpha float32, x, y []float32)
//
// y[i] += alpha * x[i] for i < len(y), 16 floats per iteration, then 4,
// then one at a time.
TEXT ·axpyNEON(SB), NOSPLIT, $0-56
	FMOVS alpha+0(FP), F0
	MOVD  x_base+8(FP), R0
	MOVD  y_base+32(FP), R1
	MOVD  y_len+40(FP), R2
	MOVD  R1, R4 // y's write cursor, R1 its read cursor

	// V0 = {alpha, alpha, alpha, alpha}; F0 (its lane 0) is still alpha.
	VDUP V0.S[0], V0.S4

	// for ; n >= 16; n -= 16
	LSR  $4, R2, R3
	CBZ  R3, tail4

loop16:
	// V1..V4 = x[0:16]; V5..V8 = y[0:16]; x, y += 16 (the read cursor)
	VLD1.P 64(R0), [V1.S4, V2.S4, V3.S4, V4.S4]
	VLD1.P 64(R1), [V5.S4, V6.S4, V7.S4, V8.S4]

	// y[0:16] += alpha * x[0:16], through the write cursor R4, so that the
	// next loads need not wait for this store's address update
	VFMLA V0.S4, V1.S4, V5.S4
	VFMLA V0.S4, V2.S4, V6.S4
	VFMLA V0.S4, V3.S4, V7.S4
	VFMLA V0.S4, V4.S4, V8.S4
	VST1.P [V5.S4, V6.S4, V7.S4, V8.S4], 64(R4)

	SUBS $1, R3
	BNE  loop16

tail4:
	// for ; n >= 4; n -= 4
	AND  $15, R2
	LSR  $2, R2, R3
	CBZ  R3, tail1

loop4:
	// y[0:4] += alpha * x[0:4]; x, y += 4
	VLD1.P 16(R0), [V1.S4]
	VLD1.P 16(R1), [V5.S4]
	VFMLA  V0.S4, V1.S4, V5.S4
	VST1.P [V5.S4], 16(R4)

	SUBS $1, R3
	BNE  loop4

tail1:
	// for ; n > 0; n--
	AND $3, R2
	CBZ R2, done

loop1:
	// y[0] += alpha * x[0]; x, y++
	FMOVS.P 4(R0), F1
	FMOVS   (R1), F2
	FMADDS  F0, F2, F1, F2
	FMOVS.P F2, 4(R1)

	SUBS $1, R2
	BNE  loop1

done:
	RET
