//go:build !purego

#include "textflag.h"

// The float64 twin of gemv_neon_arm64.s, two float64 to a vector.
//
// Go's arm64 assembler has no floating-point vector add or multiply, so
// these are emitted with WORD (sz = 1, bit 22):
//
//	FADD  Vd.2D, Vn.2D, Vm.2D = 0x4E60D400 | m<<16 | n<<5 | d
//	FADDP Vd.2D, Vn.2D, Vm.2D = 0x6E60D400 | m<<16 | n<<5 | d
//	FADDP Dd, Vn.2D           = 0x7E70D800 | n<<5 | d
//	FMUL  Vd.2D, Vn.2D, Vm.2D = 0x6E60DC00 | m<<16 | n<<5 | d
#define VFADD_2D(m, n, d) WORD $(0x4E60D400 | (m)<<16 | (n)<<5 | (d))
#define VFADDP_2D(m, n, d) WORD $(0x6E60D400 | (m)<<16 | (n)<<5 | (d))
#define FADDP_2D(n, d) WORD $(0x7E70D800 | (n)<<5 | (d))
#define VFMUL_2D(m, n, d) WORD $(0x6E60DC00 | (m)<<16 | (n)<<5 | (d))

// func dgemvNNEON(m, n int, alpha float64, a []float64, lda int, x, y []float64)
//
// y[i] += alpha * ddot(A[i, :], x). Four rows at a time share each load of
// x: eight columns per iteration with four accumulators per row (sixteen,
// so that no multiply-add waits for the last one's four cycles of latency:
// with two per row, the loop would be bound by that latency, not by its
// loads), then four columns, then two, then the last column gathered one
// per row into two vectors, so that the four sums land in two vectors and
// update y[i:i+4] at once. The last m%4 rows are done one at a time. No
// element past column n-1 of a row is read.
//
// Register map:
//	R6..R9: &A[i+0..3, j]    R10: &x[j]    R2: &y[i]    R5: lda in bytes
//	V0..V3: x[j:j+8]    V4..V11: two rows of A[·, j:j+8]
//	V12: {alpha, alpha}    V16..V31: row r's sums in V(16+4r)..V(19+4r)
TEXT ·dgemvNNEON(SB), NOSPLIT, $0-104
	MOVD  m+0(FP), R3
	MOVD  n+8(FP), R4
	FMOVD alpha+16(FP), F12
	MOVD  a_base+24(FP), R0
	MOVD  lda+48(FP), R5
	MOVD  x_base+56(FP), R1
	MOVD  y_base+80(FP), R2

	// if m == 0 || n == 0 { return }: y is unchanged, even for alpha = Inf.
	CBZ R3, done
	CBZ R4, done

	// R5 = lda in bytes; V12 = {alpha, alpha}
	LSL  $3, R5
	VDUP V12.D[0], V12.D2

rows4:
	// for ; m >= 4; m -= 4
	CMP $4, R3
	BLT rows1

	// R6..R9 = &A[i+0..3, 0]; R10 = &x[0]
	MOVD R0, R6
	ADD  R5, R6, R7
	ADD  R5, R7, R8
	ADD  R5, R8, R9
	MOVD R1, R10

	// V16..V31 = 0
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16

	// for j := 0; j+8 <= n; j += 8
	LSR $3, R4, R11
	CBZ R11, rows4n4

rows4n8:
	// V0..V3 = x[j:j+8]; sum[r] += A[i+r, j:j+8] * x[j:j+8], rows 0 and 1
	// in V4..V11, then rows 2 and 3 in the same registers
	VLD1.P 64(R10), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P 64(R6), [V4.D2, V5.D2, V6.D2, V7.D2]
	VLD1.P 64(R7), [V8.D2, V9.D2, V10.D2, V11.D2]
	VFMLA  V0.D2, V4.D2, V16.D2
	VFMLA  V1.D2, V5.D2, V17.D2
	VFMLA  V2.D2, V6.D2, V18.D2
	VFMLA  V3.D2, V7.D2, V19.D2
	VFMLA  V0.D2, V8.D2, V20.D2
	VFMLA  V1.D2, V9.D2, V21.D2
	VFMLA  V2.D2, V10.D2, V22.D2
	VFMLA  V3.D2, V11.D2, V23.D2
	VLD1.P 64(R8), [V4.D2, V5.D2, V6.D2, V7.D2]
	VLD1.P 64(R9), [V8.D2, V9.D2, V10.D2, V11.D2]
	VFMLA  V0.D2, V4.D2, V24.D2
	VFMLA  V1.D2, V5.D2, V25.D2
	VFMLA  V2.D2, V6.D2, V26.D2
	VFMLA  V3.D2, V7.D2, V27.D2
	VFMLA  V0.D2, V8.D2, V28.D2
	VFMLA  V1.D2, V9.D2, V29.D2
	VFMLA  V2.D2, V10.D2, V30.D2
	VFMLA  V3.D2, V11.D2, V31.D2

	SUBS $1, R11
	BNE  rows4n8

rows4n4:
	// if n&4 != 0: sum[r] += A[i+r, j:j+4] * x[j:j+4]; j += 4
	TBZ    $2, R4, rows4n2
	VLD1.P 32(R10), [V0.D2, V1.D2]
	VLD1.P 32(R6), [V4.D2, V5.D2]
	VLD1.P 32(R7), [V6.D2, V7.D2]
	VLD1.P 32(R8), [V8.D2, V9.D2]
	VLD1.P 32(R9), [V10.D2, V11.D2]
	VFMLA  V0.D2, V4.D2, V16.D2
	VFMLA  V1.D2, V5.D2, V17.D2
	VFMLA  V0.D2, V6.D2, V20.D2
	VFMLA  V1.D2, V7.D2, V21.D2
	VFMLA  V0.D2, V8.D2, V24.D2
	VFMLA  V1.D2, V9.D2, V25.D2
	VFMLA  V0.D2, V10.D2, V28.D2
	VFMLA  V1.D2, V11.D2, V29.D2

rows4n2:
	// if n&2 != 0: sum[r] += A[i+r, j:j+2] * x[j:j+2]; j += 2
	TBZ    $1, R4, rows4reduce
	VLD1.P 16(R10), [V0.D2]
	VLD1.P 16(R6), [V4.D2]
	VLD1.P 16(R7), [V6.D2]
	VLD1.P 16(R8), [V8.D2]
	VLD1.P 16(R9), [V10.D2]
	VFMLA  V0.D2, V4.D2, V18.D2
	VFMLA  V0.D2, V6.D2, V22.D2
	VFMLA  V0.D2, V8.D2, V26.D2
	VFMLA  V0.D2, V10.D2, V30.D2

rows4reduce:
	// V(16+4r) = (V(16+4r) + V(17+4r)) + (V(18+4r) + V(19+4r))
	VFADD_2D(17, 16, 16)
	VFADD_2D(19, 18, 18)
	VFADD_2D(21, 20, 20)
	VFADD_2D(23, 22, 22)
	VFADD_2D(25, 24, 24)
	VFADD_2D(27, 26, 26)
	VFADD_2D(29, 28, 28)
	VFADD_2D(31, 30, 30)
	VFADD_2D(18, 16, 16)
	VFADD_2D(22, 20, 20)
	VFADD_2D(26, 24, 24)
	VFADD_2D(30, 28, 28)

	// V16 = {Σ sum[0], Σ sum[1]}; V24 = {Σ sum[2], Σ sum[3]}
	VFADDP_2D(20, 16, 16)
	VFADDP_2D(28, 24, 24)

	// if n&1 != 0 (the last column)
	TBZ $0, R4, rows4store

	// V0 = {x[j], x[j]}; V1 = {A[i+0, j], A[i+1, j]}; V2 = {A[i+2, j], A[i+3, j]}
	VLD1R (R10), [V0.D2]
	VLD1  (R6), V1.D[0]
	VLD1  (R7), V1.D[1]
	VLD1  (R8), V2.D[0]
	VLD1  (R9), V2.D[1]

	// V16, V24 += V1, V2 * x[j]
	VFMLA V0.D2, V1.D2, V16.D2
	VFMLA V0.D2, V2.D2, V24.D2

rows4store:
	// y[i:i+4] += alpha * {V16, V24}; y += 4
	VLD1   (R2), [V2.D2, V3.D2]
	VFMLA  V12.D2, V16.D2, V2.D2
	VFMLA  V12.D2, V24.D2, V3.D2
	VST1.P [V2.D2, V3.D2], 32(R2)

	// a += 4 rows; m -= 4
	ADD R5<<2, R0, R0
	SUB $4, R3
	B   rows4

rows1:
	// for ; m > 0; m--
	CBZ R3, done

	// R6 = &A[i, 0]; R10 = &x[0]; V16, V17 = 0
	MOVD R0, R6
	MOVD R1, R10
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16

	// for j := 0; j+4 <= n; j += 4
	LSR $2, R4, R11
	CBZ R11, rows1n2

rows1n4:
	// V16, V17 += A[i, j:j+4] * x[j:j+4]
	VLD1.P 32(R10), [V0.D2, V1.D2]
	VLD1.P 32(R6), [V2.D2, V3.D2]
	VFMLA  V0.D2, V2.D2, V16.D2
	VFMLA  V1.D2, V3.D2, V17.D2

	SUBS $1, R11
	BNE  rows1n4

rows1n2:
	// if n&2 != 0: V16 += A[i, j:j+2] * x[j:j+2]; j += 2
	TBZ    $1, R4, rows1reduce
	VLD1.P 16(R10), [V0.D2]
	VLD1.P 16(R6), [V2.D2]
	VFMLA  V0.D2, V2.D2, V16.D2

rows1reduce:
	// F16 = Σ (V16 + V17)
	VFADD_2D(17, 16, 16)
	FADDP_2D(16, 16)

	// if n&1 != 0: F16 += A[i, j] * x[j]
	TBZ    $0, R4, rows1store
	FMOVD  (R10), F0
	FMOVD  (R6), F1
	FMADDD F0, F16, F1, F16

rows1store:
	// y[i] += alpha * F16; y++
	FMOVD   (R2), F2
	FMADDD  F12, F2, F16, F2
	FMOVD.P F2, 8(R2)

	// a += 1 row; m--
	ADD R5, R0
	SUB $1, R3
	B   rows1

done:
	RET

// func dgemvTNEON(m, n int, alpha float64, a []float64, lda int, x, y []float64)
//
// y[j] += alpha * Σ_i x[i] * A[i, j]. Four rows at a time, so that each
// load and store of y serves four rows: c[r] = alpha*x[i+r] is broadcast,
// then y[j:j+4] += c[0]*A[i, j:j+4] + ... + c[3]*A[i+3, j:j+4], then two
// columns, then the last one. The last m%4 rows are done one at a time.
// No element past column n-1 of a row is read.
TEXT ·dgemvTNEON(SB), NOSPLIT, $0-104
	MOVD  m+0(FP), R3
	MOVD  n+8(FP), R4
	FMOVD alpha+16(FP), F31
	MOVD  a_base+24(FP), R0
	MOVD  lda+48(FP), R5
	MOVD  x_base+56(FP), R1
	MOVD  y_base+80(FP), R2

	// if m == 0 || n == 0 { return }
	CBZ R3, done
	CBZ R4, done

	// R5 = lda in bytes; V31 = {alpha, alpha}
	LSL  $3, R5
	VDUP V31.D[0], V31.D2

rows4:
	// for ; m >= 4; m -= 4
	CMP $4, R3
	BLT rows1

	// V5, V6 = alpha * x[i:i+4]; x += 4
	VLD1.P 32(R1), [V5.D2, V6.D2]
	VFMUL_2D(31, 5, 5)
	VFMUL_2D(31, 6, 6)

	// V1..V4 = broadcast c[0..3]; F1..F4 (their lane 0) are c[0..3] too
	VDUP V5.D[0], V1.D2
	VDUP V5.D[1], V2.D2
	VDUP V6.D[0], V3.D2
	VDUP V6.D[1], V4.D2

	// R6..R9 = &A[i+0..3, 0]; R10, R12 = &y[0], y's read and write
	// cursors: apart, so that a load of y need not wait for the last
	// store's address update
	MOVD R0, R6
	ADD  R5, R6, R7
	ADD  R5, R7, R8
	ADD  R5, R8, R9
	MOVD R2, R10
	MOVD R2, R12

	// for j := 0; j+4 <= n; j += 4
	LSR $2, R4, R11
	CBZ R11, rows4n2

rows4n4:
	// V16, V17 = y[j:j+4]; V20..V27 = A[i+0..3, j:j+4]
	VLD1.P 32(R10), [V16.D2, V17.D2]
	VLD1.P 32(R6), [V20.D2, V21.D2]
	VLD1.P 32(R7), [V22.D2, V23.D2]
	VLD1.P 32(R8), [V24.D2, V25.D2]
	VLD1.P 32(R9), [V26.D2, V27.D2]

	// y[j:j+4] += c[r] * A[i+r, j:j+4] for r = 0..3; y += 4
	VFMLA  V1.D2, V20.D2, V16.D2
	VFMLA  V1.D2, V21.D2, V17.D2
	VFMLA  V2.D2, V22.D2, V16.D2
	VFMLA  V2.D2, V23.D2, V17.D2
	VFMLA  V3.D2, V24.D2, V16.D2
	VFMLA  V3.D2, V25.D2, V17.D2
	VFMLA  V4.D2, V26.D2, V16.D2
	VFMLA  V4.D2, V27.D2, V17.D2
	VST1.P [V16.D2, V17.D2], 32(R12)

	SUBS $1, R11
	BNE  rows4n4

rows4n2:
	// if n&2 != 0: y[j:j+2] += Σ c[r] * A[i+r, j:j+2]; j += 2
	TBZ    $1, R4, rows4n1
	VLD1.P 16(R10), [V16.D2]
	VLD1.P 16(R6), [V20.D2]
	VLD1.P 16(R7), [V22.D2]
	VLD1.P 16(R8), [V24.D2]
	VLD1.P 16(R9), [V26.D2]
	VFMLA  V1.D2, V20.D2, V16.D2
	VFMLA  V2.D2, V22.D2, V16.D2
	VFMLA  V3.D2, V24.D2, V16.D2
	VFMLA  V4.D2, V26.D2, V16.D2
	VST1.P [V16.D2], 16(R12)

rows4n1:
	// if n&1 != 0: y[j] += Σ c[r] * A[i+r, j]
	TBZ    $0, R4, rows4next
	FMOVD  (R10), F16
	FMOVD  (R6), F20
	FMOVD  (R7), F22
	FMOVD  (R8), F24
	FMOVD  (R9), F26
	FMADDD F1, F16, F20, F16
	FMADDD F2, F16, F22, F16
	FMADDD F3, F16, F24, F16
	FMADDD F4, F16, F26, F16
	FMOVD  F16, (R12)

rows4next:
	// a += 4 rows; m -= 4
	ADD R5<<2, R0, R0
	SUB $4, R3
	B   rows4

rows1:
	// for ; m > 0; m--
	CBZ R3, done

	// F1 = c = alpha * x[i]; V1 = {c, c}; x++
	FMOVD.P 8(R1), F0
	FMULD   F31, F0, F1
	VDUP    V1.D[0], V1.D2

	// R6 = &A[i, 0]; R10, R12 = &y[0] (read and write cursors)
	MOVD R0, R6
	MOVD R2, R10
	MOVD R2, R12

	// for j := 0; j+4 <= n; j += 4
	LSR $2, R4, R11
	CBZ R11, rows1n2

rows1n4:
	// y[j:j+4] += c * A[i, j:j+4]; y += 4
	VLD1.P 32(R10), [V16.D2, V17.D2]
	VLD1.P 32(R6), [V20.D2, V21.D2]
	VFMLA  V1.D2, V20.D2, V16.D2
	VFMLA  V1.D2, V21.D2, V17.D2
	VST1.P [V16.D2, V17.D2], 32(R12)

	SUBS $1, R11
	BNE  rows1n4

rows1n2:
	// if n&2 != 0: y[j:j+2] += c * A[i, j:j+2]; j += 2
	TBZ    $1, R4, rows1n1
	VLD1.P 16(R10), [V16.D2]
	VLD1.P 16(R6), [V20.D2]
	VFMLA  V1.D2, V20.D2, V16.D2
	VST1.P [V16.D2], 16(R12)

rows1n1:
	// if n&1 != 0: y[j] += c * A[i, j]
	TBZ    $0, R4, rows1next
	FMOVD  (R10), F16
	FMOVD  (R6), F20
	FMADDD F1, F16, F20, F16
	FMOVD  F16, (R12)

rows1next:
	// a += 1 row; m--
	ADD R5, R0
	SUB $1, R3
	B   rows1

done:
	RET
