//go:build !purego

#include "textflag.h"

// Go's arm64 assembler has no floating-point vector add or multiply, so
// these are emitted with WORD:
//
//	FADD  Vd.4S, Vn.4S, Vm.4S = 0x4E20D400 | m<<16 | n<<5 | d
//	FADDP Vd.4S, Vn.4S, Vm.4S = 0x6E20D400 | m<<16 | n<<5 | d
//	FADDP Sd, Vn.2S           = 0x7E30D800 | n<<5 | d
//	FMUL  Vd.4S, Vn.4S, Vm.4S = 0x6E20DC00 | m<<16 | n<<5 | d
#define VFADD_4S(m, n, d) WORD $(0x4E20D400 | (m)<<16 | (n)<<5 | (d))
#define VFADDP_4S(m, n, d) WORD $(0x6E20D400 | (m)<<16 | (n)<<5 | (d))
#define FADDP_2S(n, d) WORD $(0x7E30D800 | (n)<<5 | (d))
#define VFMUL_4S(m, n, d) WORD $(0x6E20DC00 | (m)<<16 | (n)<<5 | (d))

// func gemvNNEON(m, n int, alpha float32, a []float32, lda int, x, y []float32)
//
// y[i] += alpha * dot(A[i, :], x). Four rows at a time share each load of
// x: eight columns per iteration with two accumulators per row, then four
// columns, then the last n%4 columns gathered one per row into a vector, so
// that the four sums land in one vector and update y[i:i+4] at once. The
// last m%4 rows are done one at a time. No element past column n-1 of a
// row is read.
TEXT ·gemvNNEON(SB), NOSPLIT, $0-104
	MOVD  m+0(FP), R3
	MOVD  n+8(FP), R4
	FMOVS alpha+16(FP), F31
	MOVD  a_base+24(FP), R0
	MOVD  lda+48(FP), R5
	MOVD  x_base+56(FP), R1
	MOVD  y_base+80(FP), R2

	// if m == 0 || n == 0 { return }: y is unchanged, even for alpha = Inf.
	CBZ R3, done
	CBZ R4, done

	// R5 = lda in bytes; V31 = {alpha, alpha, alpha, alpha}
	LSL  $2, R5
	VDUP V31.S[0], V31.S4

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

	// V16..V23 = 0: row r sums in V(16+2r), V(17+2r)
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16

	// for j := 0; j+8 <= n; j += 8
	LSR $3, R4, R11
	CBZ R11, rows4n4

rows4n8:
	// V0, V1 = x[j:j+8]; V2..V9 = A[i+0..3, j:j+8]
	VLD1.P 32(R10), [V0.S4, V1.S4]
	VLD1.P 32(R6), [V2.S4, V3.S4]
	VLD1.P 32(R7), [V4.S4, V5.S4]
	VLD1.P 32(R8), [V6.S4, V7.S4]
	VLD1.P 32(R9), [V8.S4, V9.S4]

	// sum[r] += A[i+r, j:j+8] * x[j:j+8]
	VFMLA V0.S4, V2.S4, V16.S4
	VFMLA V1.S4, V3.S4, V17.S4
	VFMLA V0.S4, V4.S4, V18.S4
	VFMLA V1.S4, V5.S4, V19.S4
	VFMLA V0.S4, V6.S4, V20.S4
	VFMLA V1.S4, V7.S4, V21.S4
	VFMLA V0.S4, V8.S4, V22.S4
	VFMLA V1.S4, V9.S4, V23.S4

	SUBS $1, R11
	BNE  rows4n8

rows4n4:
	// if n&4 != 0: sum[r] += A[i+r, j:j+4] * x[j:j+4]; j += 4
	TBZ    $2, R4, rows4reduce
	VLD1.P 16(R10), [V0.S4]
	VLD1.P 16(R6), [V2.S4]
	VLD1.P 16(R7), [V4.S4]
	VLD1.P 16(R8), [V6.S4]
	VLD1.P 16(R9), [V8.S4]
	VFMLA  V0.S4, V2.S4, V16.S4
	VFMLA  V0.S4, V4.S4, V18.S4
	VFMLA  V0.S4, V6.S4, V20.S4
	VFMLA  V0.S4, V8.S4, V22.S4

rows4reduce:
	// V16 = {Σ sum[0], Σ sum[1], Σ sum[2], Σ sum[3]}
	VFADD_4S(17, 16, 16)
	VFADD_4S(19, 18, 18)
	VFADD_4S(21, 20, 20)
	VFADD_4S(23, 22, 22)
	VFADDP_4S(18, 16, 16)
	VFADDP_4S(22, 20, 20)
	VFADDP_4S(20, 16, 16)

	// for ; j < n; j++
	ANDS $3, R4, R11
	BEQ  rows4store

rows4n1:
	// V0 = {x[j], x[j], x[j], x[j]}; V1 = {A[i+0, j], ..., A[i+3, j]}
	VLD1R.P 4(R10), [V0.S4]
	VLD1.P  4(R6), V1.S[0]
	VLD1.P  4(R7), V1.S[1]
	VLD1.P  4(R8), V1.S[2]
	VLD1.P  4(R9), V1.S[3]

	// V16 += V1 * x[j]
	VFMLA V0.S4, V1.S4, V16.S4

	SUBS $1, R11
	BNE  rows4n1

rows4store:
	// y[i:i+4] += alpha * V16; y += 4
	VLD1   (R2), [V2.S4]
	VFMLA  V31.S4, V16.S4, V2.S4
	VST1.P [V2.S4], 16(R2)

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

	// for j := 0; j+8 <= n; j += 8
	LSR $3, R4, R11
	CBZ R11, rows1n4

rows1n8:
	// V16, V17 += A[i, j:j+8] * x[j:j+8]
	VLD1.P 32(R10), [V0.S4, V1.S4]
	VLD1.P 32(R6), [V2.S4, V3.S4]
	VFMLA  V0.S4, V2.S4, V16.S4
	VFMLA  V1.S4, V3.S4, V17.S4

	SUBS $1, R11
	BNE  rows1n8

rows1n4:
	// if n&4 != 0: V16 += A[i, j:j+4] * x[j:j+4]; j += 4
	TBZ    $2, R4, rows1reduce
	VLD1.P 16(R10), [V0.S4]
	VLD1.P 16(R6), [V2.S4]
	VFMLA  V0.S4, V2.S4, V16.S4

rows1reduce:
	// F16 = Σ (V16 + V17)
	VFADD_4S(17, 16, 16)
	VFADDP_4S(16, 16, 16)
	FADDP_2S(16, 16)

	// for ; j < n; j++: F16 += A[i, j] * x[j]
	ANDS $3, R4, R11
	BEQ  rows1store

rows1n1:
	FMOVS.P 4(R10), F0
	FMOVS.P 4(R6), F1
	FMADDS  F0, F16, F1, F16

	SUBS $1, R11
	BNE  rows1n1

rows1store:
	// y[i] += alpha * F16; y++
	FMOVS   (R2), F2
	FMADDS  F31, F2, F16, F2
	FMOVS.P F2, 4(R2)

	// a += 1 row; m--
	ADD R5, R0
	SUB $1, R3
	B   rows1

done:
	RET

// func gemvTNEON(m, n int, alpha float32, a []float32, lda int, x, y []float32)
//
// y[j] += alpha * Σ_i x[i] * A[i, j]. Four rows at a time, so that each
// load and store of y serves four rows: c[r] = alpha*x[i+r] is broadcast,
// then y[j:j+8] += c[0]*A[i, j:j+8] + ... + c[3]*A[i+3, j:j+8], then four
// columns, then one at a time. The last m%4 rows are done one at a time.
// No element past column n-1 of a row is read.
TEXT ·gemvTNEON(SB), NOSPLIT, $0-104
	MOVD  m+0(FP), R3
	MOVD  n+8(FP), R4
	FMOVS alpha+16(FP), F31
	MOVD  a_base+24(FP), R0
	MOVD  lda+48(FP), R5
	MOVD  x_base+56(FP), R1
	MOVD  y_base+80(FP), R2

	// if m == 0 || n == 0 { return }
	CBZ R3, done
	CBZ R4, done

	// R5 = lda in bytes; V31 = {alpha, alpha, alpha, alpha}
	LSL  $2, R5
	VDUP V31.S[0], V31.S4

rows4:
	// for ; m >= 4; m -= 4
	CMP $4, R3
	BLT rows1

	// V0 = alpha * x[i:i+4]; x += 4
	VLD1.P 16(R1), [V0.S4]
	VFMUL_4S(31, 0, 0)

	// V1..V4 = broadcast c[0..3]; F1..F4 (their lane 0) are c[0..3] too
	VDUP V0.S[0], V1.S4
	VDUP V0.S[1], V2.S4
	VDUP V0.S[2], V3.S4
	VDUP V0.S[3], V4.S4

	// R6..R9 = &A[i+0..3, 0]; R10, R12 = &y[0], y's read and write
	// cursors: apart, so that a load of y need not wait for the last
	// store's address update
	MOVD R0, R6
	ADD  R5, R6, R7
	ADD  R5, R7, R8
	ADD  R5, R8, R9
	MOVD R2, R10
	MOVD R2, R12

	// for j := 0; j+8 <= n; j += 8
	LSR $3, R4, R11
	CBZ R11, rows4n4

rows4n8:
	// V16, V17 = y[j:j+8]; V20..V27 = A[i+0..3, j:j+8]
	VLD1.P 32(R10), [V16.S4, V17.S4]
	VLD1.P 32(R6), [V20.S4, V21.S4]
	VLD1.P 32(R7), [V22.S4, V23.S4]
	VLD1.P 32(R8), [V24.S4, V25.S4]
	VLD1.P 32(R9), [V26.S4, V27.S4]

	// y[j:j+8] += c[r] * A[i+r, j:j+8] for r = 0..3; y += 8
	VFMLA  V1.S4, V20.S4, V16.S4
	VFMLA  V1.S4, V21.S4, V17.S4
	VFMLA  V2.S4, V22.S4, V16.S4
	VFMLA  V2.S4, V23.S4, V17.S4
	VFMLA  V3.S4, V24.S4, V16.S4
	VFMLA  V3.S4, V25.S4, V17.S4
	VFMLA  V4.S4, V26.S4, V16.S4
	VFMLA  V4.S4, V27.S4, V17.S4
	VST1.P [V16.S4, V17.S4], 32(R12)

	SUBS $1, R11
	BNE  rows4n8

rows4n4:
	// if n&4 != 0: y[j:j+4] += Σ c[r] * A[i+r, j:j+4]; j += 4
	TBZ    $2, R4, rows4n1start
	VLD1.P 16(R10), [V16.S4]
	VLD1.P 16(R6), [V20.S4]
	VLD1.P 16(R7), [V22.S4]
	VLD1.P 16(R8), [V24.S4]
	VLD1.P 16(R9), [V26.S4]
	VFMLA  V1.S4, V20.S4, V16.S4
	VFMLA  V2.S4, V22.S4, V16.S4
	VFMLA  V3.S4, V24.S4, V16.S4
	VFMLA  V4.S4, V26.S4, V16.S4
	VST1.P [V16.S4], 16(R12)

rows4n1start:
	// for ; j < n; j++
	ANDS $3, R4, R11
	BEQ  rows4next

rows4n1:
	// y[j] += Σ c[r] * A[i+r, j]; y++
	FMOVS.P 4(R10), F16
	FMOVS.P 4(R6), F20
	FMOVS.P 4(R7), F22
	FMOVS.P 4(R8), F24
	FMOVS.P 4(R9), F26
	FMADDS  F1, F16, F20, F16
	FMADDS  F2, F16, F22, F16
	FMADDS  F3, F16, F24, F16
	FMADDS  F4, F16, F26, F16
	FMOVS.P F16, 4(R12)

	SUBS $1, R11
	BNE  rows4n1

rows4next:
	// a += 4 rows; m -= 4
	ADD R5<<2, R0, R0
	SUB $4, R3
	B   rows4

rows1:
	// for ; m > 0; m--
	CBZ R3, done

	// F1 = c = alpha * x[i]; V1 = {c, c, c, c}; x++
	FMOVS.P 4(R1), F0
	FMULS   F31, F0, F1
	VDUP    V1.S[0], V1.S4

	// R6 = &A[i, 0]; R10, R12 = &y[0] (read and write cursors)
	MOVD R0, R6
	MOVD R2, R10
	MOVD R2, R12

	// for j := 0; j+8 <= n; j += 8
	LSR $3, R4, R11
	CBZ R11, rows1n4

rows1n8:
	// y[j:j+8] += c * A[i, j:j+8]; y += 8
	VLD1.P 32(R10), [V16.S4, V17.S4]
	VLD1.P 32(R6), [V20.S4, V21.S4]
	VFMLA  V1.S4, V20.S4, V16.S4
	VFMLA  V1.S4, V21.S4, V17.S4
	VST1.P [V16.S4, V17.S4], 32(R12)

	SUBS $1, R11
	BNE  rows1n8

rows1n4:
	// if n&4 != 0: y[j:j+4] += c * A[i, j:j+4]; j += 4
	TBZ    $2, R4, rows1n1start
	VLD1.P 16(R10), [V16.S4]
	VLD1.P 16(R6), [V20.S4]
	VFMLA  V1.S4, V20.S4, V16.S4
	VST1.P [V16.S4], 16(R12)

rows1n1start:
	// for ; j < n; j++
	ANDS $3, R4, R11
	BEQ  rows1next

rows1n1:
	// y[j] += c * A[i, j]; y++
	FMOVS.P 4(R10), F16
	FMOVS.P 4(R6), F20
	FMADDS  F1, F16, F20, F16
	FMOVS.P F16, 4(R12)

	SUBS $1, R11
	BNE  rows1n1

rows1next:
	// a += 1 row; m--
	ADD R5, R0
	SUB $1, R3
	B   rows1

done:
	RET
