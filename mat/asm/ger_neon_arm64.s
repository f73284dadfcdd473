//go:build !purego

#include "textflag.h"

// func gerNEON(m, n int, alpha float32, x, y, a []float32, lda int)
//
// A[i, 0:n] += (alpha·x[i])·y[0:n] for i < m: an axpy of y into each row of
// A, in one call; each row 16 floats per iteration, then 4, then one at a
// time.
//
// Register map:
//	R4: rows left    R5: n    R6: &x[i]    R7: &y[0]    R8: &A[i, 0]
//	R9: lda in bytes    R0: y cursor    R2, R3: counts
//	R1, R10: A row's read and write cursors (apart, so that a load need not
//	wait for the last store's address update)
//	F0: alpha    V1: alpha·x[i] in all four lanes
TEXT ·gerNEON(SB), NOSPLIT, $0-104
	MOVD  m+0(FP), R4
	MOVD  n+8(FP), R5
	FMOVS alpha+16(FP), F0
	MOVD  x_base+24(FP), R6
	MOVD  y_base+48(FP), R7
	MOVD  a_base+72(FP), R8
	MOVD  lda+96(FP), R9
	LSL   $2, R9
	CBZ   R4, done
	CBZ   R5, done

row:
	// V1 = alpha·x[i] in every lane; x++
	FMOVS.P 4(R6), F1
	FMULS   F0, F1, F1
	VDUP    V1.S[0], V1.S4
	MOVD    R7, R0
	MOVD    R8, R1
	MOVD    R8, R10

	// for ; count >= 16; count -= 16
	LSR $4, R5, R3
	CBZ R3, tail4

loop16:
	// V2..V5 = y[j:j+16]; V6..V9 = A[i, j:j+16] += V1 · y[j:j+16]
	VLD1.P 64(R0), [V2.S4, V3.S4, V4.S4, V5.S4]
	VLD1.P 64(R1), [V6.S4, V7.S4, V8.S4, V9.S4]
	VFMLA  V1.S4, V2.S4, V6.S4
	VFMLA  V1.S4, V3.S4, V7.S4
	VFMLA  V1.S4, V4.S4, V8.S4
	VFMLA  V1.S4, V5.S4, V9.S4
	VST1.P [V6.S4, V7.S4, V8.S4, V9.S4], 64(R10)
	SUBS   $1, R3
	BNE    loop16

tail4:
	AND $15, R5, R2
	LSR $2, R2, R3
	CBZ R3, tail1

loop4:
	VLD1.P 16(R0), [V2.S4]
	VLD1.P 16(R1), [V6.S4]
	VFMLA  V1.S4, V2.S4, V6.S4
	VST1.P [V6.S4], 16(R10)
	SUBS   $1, R3
	BNE    loop4

tail1:
	AND $3, R2
	CBZ R2, next

loop1:
	// A[i, j] += F1 · y[j]
	FMOVS.P 4(R0), F2
	FMOVS   (R1), F3
	FMADDS  F1, F3, F2, F3
	FMOVS.P F3, 4(R1)
	SUBS    $1, R2
	BNE     loop1

next:
	ADD  R9, R8
	SUBS $1, R4
	BNE  row

done:
	RET
