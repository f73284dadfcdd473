//go:build !purego

#include "textflag.h"

// func dgerNEON(m, n int, alpha float64, x, y, a []float64, lda int)
//
// The float64 twin of gerNEON: A[i, 0:n] += (alpha·x[i])·y[0:n] for i < m,
// an axpy of y into each row of A, in one call; each row 8 float64 per
// iteration, then 2, then the last one.
//
// Register map:
//	R4: rows left    R5: n    R6: &x[i]    R7: &y[0]    R8: &A[i, 0]
//	R9: lda in bytes    R0: y cursor    R2, R3: counts
//	R1, R10: A row's read and write cursors (apart, so that a load need not
//	wait for the last store's address update)
//	F0: alpha    V1: alpha·x[i] in both lanes
TEXT ·dgerNEON(SB), NOSPLIT, $0-104
	MOVD  m+0(FP), R4
	MOVD  n+8(FP), R5
	FMOVD alpha+16(FP), F0
	MOVD  x_base+24(FP), R6
	MOVD  y_base+48(FP), R7
	MOVD  a_base+72(FP), R8
	MOVD  lda+96(FP), R9
	LSL   $3, R9
	CBZ   R4, done
	CBZ   R5, done

row:
	// V1 = alpha·x[i] in both lanes; x++
	FMOVD.P 8(R6), F1
	FMULD   F0, F1, F1
	VDUP    V1.D[0], V1.D2
	MOVD    R7, R0
	MOVD    R8, R1
	MOVD    R8, R10

	// for ; count >= 8; count -= 8
	LSR $3, R5, R3
	CBZ R3, tail2

loop8:
	// V2..V5 = y[j:j+8]; V6..V9 = A[i, j:j+8] += V1 · y[j:j+8]
	VLD1.P 64(R0), [V2.D2, V3.D2, V4.D2, V5.D2]
	VLD1.P 64(R1), [V6.D2, V7.D2, V8.D2, V9.D2]
	VFMLA  V1.D2, V2.D2, V6.D2
	VFMLA  V1.D2, V3.D2, V7.D2
	VFMLA  V1.D2, V4.D2, V8.D2
	VFMLA  V1.D2, V5.D2, V9.D2
	VST1.P [V6.D2, V7.D2, V8.D2, V9.D2], 64(R10)
	SUBS   $1, R3
	BNE    loop8

tail2:
	AND $7, R5, R2
	LSR $1, R2, R3
	CBZ R3, tail1

loop2:
	VLD1.P 16(R0), [V2.D2]
	VLD1.P 16(R1), [V6.D2]
	VFMLA  V1.D2, V2.D2, V6.D2
	VST1.P [V6.D2], 16(R10)
	SUBS   $1, R3
	BNE    loop2

tail1:
	// if count is odd: A[i, j] += F1 · y[j]
	TBZ    $0, R2, next
	FMOVD  (R0), F2
	FMOVD  (R1), F3
	FMADDD F1, F3, F2, F3
	FMOVD  F3, (R1)

next:
	ADD  R9, R8
	SUBS $1, R4
	BNE  row

done:
	RET
