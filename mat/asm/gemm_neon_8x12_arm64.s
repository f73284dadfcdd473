//go:build !purego

#include "textflag.h"

// Go's arm64 assembler has no by-element (indexed) FMLA or FMUL, so they
// are emitted with WORD. For single precision (sz = 0) the lane index is
// H:L and the multiplier register is the 5-bit M:Rm, so any of V0–V31 may
// be used:
//
//	FMLA Vd.4S, Vn.4S, Vm.S[i] = 0x4F801000 | L<<21 | M:Rm<<16 | H<<11 | n<<5 | d
//	FMUL Vd.4S, Vn.4S, Vm.S[i] = 0x4F809000 | L<<21 | M:Rm<<16 | H<<11 | n<<5 | d
//
// with L = i&1, H = i>>1.
#define FMLA_ELEM(d, n, m, i) WORD $(0x4F801000 | ((i)&1)<<21 | (m)<<16 | ((i)>>1)<<11 | (n)<<5 | (d))
#define FMUL_ELEM(d, n, m, i) WORD $(0x4F809000 | ((i)&1)<<21 | (m)<<16 | ((i)>>1)<<11 | (n)<<5 | (d))

// Register map of gemm8x12NEON:
//
//	R0        a: the packed A micro-panel, one column of 8 floats per k step
//	R1        b: the packed B micro-panel, one row of 12 floats per k step
//	R2        k steps left to load; R5 the pair counter
//	R3, R4    c and ldc in bytes (after the k loop); R5 a second c pointer
//	V0, V1    A(0:4, l), A(4:8, l) on even steps l
//	V5, V6    A(0:4, l), A(4:8, l) on odd steps l
//	V2–V4     B(l, 0:4), B(l, 4:8), B(l, 8:12)
//	V7        alpha, then beta, in lane 0
//	V8–V31    the 8×12 tile of C: row r, columns 4q..4q+3 in V(8+3r+q)
//
// Each row of the tile is three consecutive registers, stored with one VST1.

// COL(q, b, lo, hi): the q-th column block of the tile, for the 8 rows:
//	acc[r][q] += V(b) * A[r]   with A[0:4] in V(lo) and A[4:8] in V(hi)
#define COL(q, b, lo, hi) \
	FMLA_ELEM(8+(q), b, lo, 0);  \
	FMLA_ELEM(11+(q), b, lo, 1); \
	FMLA_ELEM(14+(q), b, lo, 2); \
	FMLA_ELEM(17+(q), b, lo, 3); \
	FMLA_ELEM(20+(q), b, hi, 0); \
	FMLA_ELEM(23+(q), b, hi, 1); \
	FMLA_ELEM(26+(q), b, hi, 2); \
	FMLA_ELEM(29+(q), b, hi, 3)

// STEP_LOAD(lo, hi, nlo, nhi, ao, bo): one k step with A in V(lo), V(hi)
// and B in V2–V4, loading the next step's A from ao(R0) into nlo, nhi
// (F5, F6 or F0, F1) up front and each of the next B vectors
// from bo(R1) as soon as its last FMLA of this step has been issued. The
// loads take offsets from R0 and R1, which the loop moves once per two
// steps: a chain of post-incremented loads would make each wait for the
// last's address.
#define STEP_LOAD(lo, hi, nlo, nhi, ao, bo) \
	FLDPQ ao(R0), (nlo, nhi);       \
	COL(0, 2, lo, hi);              \
	FMOVQ bo(R1), F2;               \
	COL(1, 3, lo, hi);              \
	FMOVQ bo+16(R1), F3;            \
	COL(2, 4, lo, hi);              \
	FMOVQ bo+32(R1), F4

// STEP_LAST(lo, hi): the last k step, which loads nothing.
#define STEP_LAST(lo, hi) \
	COL(0, 2, lo, hi); \
	COL(1, 3, lo, hi); \
	COL(2, 4, lo, hi)

// func gemm8x12NEON(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int)
//
// C = alpha·A·B + beta·C for the 8×12 tile; C is not read when beta == 0.
// The k loop is unrolled by two, alternating the A registers, and never
// loads past a[8k] or b[12k].
TEXT ·gemm8x12NEON(SB), NOSPLIT, $0-104
	MOVD k+0(FP), R2
	MOVD a_base+16(FP), R0
	MOVD b_base+40(FP), R1

	// acc = 0
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
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

	// if k == 0, the product is zero
	CBZ R2, scale

	// V0, V1 = A(:, 0); V2..V4 = B(0, :); k-1 steps are left to load
	VLD1.P 32(R0), [V0.S4, V1.S4]
	VLD1.P 48(R1), [V2.S4, V3.S4, V4.S4]
	SUB    $1, R2

	// for p := (k-1)/2; p > 0; p--: two steps, each loading the next
	LSR $1, R2, R5
	CBZ R5, tail

loop:
	STEP_LOAD(0, 1, F5, F6, 0, 0)
	STEP_LOAD(5, 6, F0, F1, 32, 48)
	ADD  $64, R0
	ADD  $96, R1
	SUBS $1, R5
	BNE  loop

tail:
	// if (k-1) is odd, two steps are left (one loading the other),
	// otherwise one
	TBZ $0, R2, last1
	STEP_LOAD(0, 1, F5, F6, 0, 0)
	STEP_LAST(5, 6)
	B   scale

last1:
	STEP_LAST(0, 1)

scale:
	// acc *= alpha
	FMOVS alpha+8(FP), F7
	FMUL_ELEM(8, 8, 7, 0)
	FMUL_ELEM(9, 9, 7, 0)
	FMUL_ELEM(10, 10, 7, 0)
	FMUL_ELEM(11, 11, 7, 0)
	FMUL_ELEM(12, 12, 7, 0)
	FMUL_ELEM(13, 13, 7, 0)
	FMUL_ELEM(14, 14, 7, 0)
	FMUL_ELEM(15, 15, 7, 0)
	FMUL_ELEM(16, 16, 7, 0)
	FMUL_ELEM(17, 17, 7, 0)
	FMUL_ELEM(18, 18, 7, 0)
	FMUL_ELEM(19, 19, 7, 0)
	FMUL_ELEM(20, 20, 7, 0)
	FMUL_ELEM(21, 21, 7, 0)
	FMUL_ELEM(22, 22, 7, 0)
	FMUL_ELEM(23, 23, 7, 0)
	FMUL_ELEM(24, 24, 7, 0)
	FMUL_ELEM(25, 25, 7, 0)
	FMUL_ELEM(26, 26, 7, 0)
	FMUL_ELEM(27, 27, 7, 0)
	FMUL_ELEM(28, 28, 7, 0)
	FMUL_ELEM(29, 29, 7, 0)
	FMUL_ELEM(30, 30, 7, 0)
	FMUL_ELEM(31, 31, 7, 0)

	// R3 = R5 = &c[0]; R4 = ldc in bytes; F7 = beta
	MOVD  c_base+72(FP), R3
	MOVD  ldc+96(FP), R4
	LSL   $2, R4
	MOVD  R3, R5
	FMOVS beta+64(FP), F7

	// if beta == 0 (+0 or -0; false for NaN), store without reading C
	FCMPS $(0.0), F7
	BEQ   store

	// C(r, :) = acc[r] + beta*C(r, :), row by row: R5 loads two rows ahead
	// of R3, which stores, alternating V0–V2 and V4–V6 as row buffers.
	VLD1.P (R5)(R4), [V0.S4, V1.S4, V2.S4]
	VLD1.P (R5)(R4), [V4.S4, V5.S4, V6.S4]

	FMLA_ELEM(8, 0, 7, 0)
	FMLA_ELEM(9, 1, 7, 0)
	FMLA_ELEM(10, 2, 7, 0)
	VLD1.P (R5)(R4), [V0.S4, V1.S4, V2.S4]
	VST1.P [V8.S4, V9.S4, V10.S4], (R3)(R4)

	FMLA_ELEM(11, 4, 7, 0)
	FMLA_ELEM(12, 5, 7, 0)
	FMLA_ELEM(13, 6, 7, 0)
	VLD1.P (R5)(R4), [V4.S4, V5.S4, V6.S4]
	VST1.P [V11.S4, V12.S4, V13.S4], (R3)(R4)

	FMLA_ELEM(14, 0, 7, 0)
	FMLA_ELEM(15, 1, 7, 0)
	FMLA_ELEM(16, 2, 7, 0)
	VLD1.P (R5)(R4), [V0.S4, V1.S4, V2.S4]
	VST1.P [V14.S4, V15.S4, V16.S4], (R3)(R4)

	FMLA_ELEM(17, 4, 7, 0)
	FMLA_ELEM(18, 5, 7, 0)
	FMLA_ELEM(19, 6, 7, 0)
	VLD1.P (R5)(R4), [V4.S4, V5.S4, V6.S4]
	VST1.P [V17.S4, V18.S4, V19.S4], (R3)(R4)

	FMLA_ELEM(20, 0, 7, 0)
	FMLA_ELEM(21, 1, 7, 0)
	FMLA_ELEM(22, 2, 7, 0)
	VLD1.P (R5)(R4), [V0.S4, V1.S4, V2.S4]
	VST1.P [V20.S4, V21.S4, V22.S4], (R3)(R4)

	FMLA_ELEM(23, 4, 7, 0)
	FMLA_ELEM(24, 5, 7, 0)
	FMLA_ELEM(25, 6, 7, 0)
	VLD1   (R5), [V4.S4, V5.S4, V6.S4]
	VST1.P [V23.S4, V24.S4, V25.S4], (R3)(R4)

	FMLA_ELEM(26, 0, 7, 0)
	FMLA_ELEM(27, 1, 7, 0)
	FMLA_ELEM(28, 2, 7, 0)
	VST1.P [V26.S4, V27.S4, V28.S4], (R3)(R4)

	FMLA_ELEM(29, 4, 7, 0)
	FMLA_ELEM(30, 5, 7, 0)
	FMLA_ELEM(31, 6, 7, 0)
	VST1   [V29.S4, V30.S4, V31.S4], (R3)
	RET

store:
	// C(r, :) = acc[r]
	VST1.P [V8.S4, V9.S4, V10.S4], (R3)(R4)
	VST1.P [V11.S4, V12.S4, V13.S4], (R3)(R4)
	VST1.P [V14.S4, V15.S4, V16.S4], (R3)(R4)
	VST1.P [V17.S4, V18.S4, V19.S4], (R3)(R4)
	VST1.P [V20.S4, V21.S4, V22.S4], (R3)(R4)
	VST1.P [V23.S4, V24.S4, V25.S4], (R3)(R4)
	VST1.P [V26.S4, V27.S4, V28.S4], (R3)(R4)
	VST1   [V29.S4, V30.S4, V31.S4], (R3)
	RET
