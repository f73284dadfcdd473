//go:build !purego

#include "textflag.h"

// The float64 twin of gemm_neon_8x12_arm64.s: the same 24 accumulators
// (V8–V31, each row of the tile three consecutive registers), two float64
// to a vector instead of four float32, so the tile is 8×6. A column of A
// takes four vectors instead of two, so A and B are loaded once per step
// rather than one step ahead; register renaming gives the loads of a step
// their own registers while the FMLAs of the previous one still read the
// old ones.
//
// Go's arm64 assembler has no by-element (indexed) FMLA or FMUL, so they
// are emitted with WORD. For double precision (sz = 1) the lane index is H
// (L = 0) and the multiplier register is the 5-bit M:Rm:
//
//	FMLA Vd.2D, Vn.2D, Vm.D[i] = 0x4FC01000 | M:Rm<<16 | H<<11 | n<<5 | d
//	FMUL Vd.2D, Vn.2D, Vm.D[i] = 0x4FC09000 | M:Rm<<16 | H<<11 | n<<5 | d
//
// with H = i.
#define DFMLA_ELEM(d, n, m, i) WORD $(0x4FC01000 | (m)<<16 | (i)<<11 | (n)<<5 | (d))
#define DFMUL_ELEM(d, n, m, i) WORD $(0x4FC09000 | (m)<<16 | (i)<<11 | (n)<<5 | (d))

// Register map of dgemm8x6NEON:
//
//	R0        a: the packed A micro-panel, one column of 8 float64 per k step
//	R1        b: the packed B micro-panel, one row of 6 float64 per k step
//	R2        k steps left
//	R3, R4    c and ldc in bytes (after the k loop); R5 a second c pointer
//	V0–V3     A(0:2, l), A(2:4, l), A(4:6, l), A(6:8, l)
//	V4–V6     B(l, 0:2), B(l, 2:4), B(l, 4:6)
//	V7        alpha, then beta, in lane 0
//	V8–V31    the 8×6 tile of C: row r, columns 2q..2q+1 in V(8+3r+q)

// DCOL(q, b): the q-th column block of the tile, for the 8 rows:
//	acc[r][q] += V(b) * A[r]   with A[0:8] in V0–V3
#define DCOL(q, b) \
	DFMLA_ELEM(8+(q), b, 0, 0);  \
	DFMLA_ELEM(11+(q), b, 0, 1); \
	DFMLA_ELEM(14+(q), b, 1, 0); \
	DFMLA_ELEM(17+(q), b, 1, 1); \
	DFMLA_ELEM(20+(q), b, 2, 0); \
	DFMLA_ELEM(23+(q), b, 2, 1); \
	DFMLA_ELEM(26+(q), b, 3, 0); \
	DFMLA_ELEM(29+(q), b, 3, 1)

// DSTEP: one k step, loading A(:, l) and B(l, :) and advancing a and b.
#define DSTEP \
	VLD1.P 64(R0), [V0.D2, V1.D2, V2.D2, V3.D2]; \
	VLD1.P 48(R1), [V4.D2, V5.D2, V6.D2];        \
	DCOL(0, 4);                                  \
	DCOL(1, 5);                                  \
	DCOL(2, 6)

// func dgemm8x6NEON(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)
//
// C = alpha·A·B + beta·C for the 8×6 tile; C is not read when beta == 0.
// The k loop is unrolled by two and never loads past a[8k] or b[6k].
TEXT ·dgemm8x6NEON(SB), NOSPLIT, $0-104
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

	// for p := k/2; p > 0; p--: two steps
	LSR $1, R2, R5
	CBZ R5, tail

loop:
	DSTEP
	DSTEP
	SUBS $1, R5
	BNE  loop

tail:
	// if k is odd, one step is left
	TBZ $0, R2, scale
	DSTEP

scale:
	// acc *= alpha
	FMOVD alpha+8(FP), F7
	DFMUL_ELEM(8, 8, 7, 0)
	DFMUL_ELEM(9, 9, 7, 0)
	DFMUL_ELEM(10, 10, 7, 0)
	DFMUL_ELEM(11, 11, 7, 0)
	DFMUL_ELEM(12, 12, 7, 0)
	DFMUL_ELEM(13, 13, 7, 0)
	DFMUL_ELEM(14, 14, 7, 0)
	DFMUL_ELEM(15, 15, 7, 0)
	DFMUL_ELEM(16, 16, 7, 0)
	DFMUL_ELEM(17, 17, 7, 0)
	DFMUL_ELEM(18, 18, 7, 0)
	DFMUL_ELEM(19, 19, 7, 0)
	DFMUL_ELEM(20, 20, 7, 0)
	DFMUL_ELEM(21, 21, 7, 0)
	DFMUL_ELEM(22, 22, 7, 0)
	DFMUL_ELEM(23, 23, 7, 0)
	DFMUL_ELEM(24, 24, 7, 0)
	DFMUL_ELEM(25, 25, 7, 0)
	DFMUL_ELEM(26, 26, 7, 0)
	DFMUL_ELEM(27, 27, 7, 0)
	DFMUL_ELEM(28, 28, 7, 0)
	DFMUL_ELEM(29, 29, 7, 0)
	DFMUL_ELEM(30, 30, 7, 0)
	DFMUL_ELEM(31, 31, 7, 0)

	// R3 = R5 = &c[0]; R4 = ldc in bytes; F7 = beta
	MOVD  c_base+72(FP), R3
	MOVD  ldc+96(FP), R4
	LSL   $3, R4
	MOVD  R3, R5
	FMOVD beta+64(FP), F7

	// if beta == 0 (+0 or -0; false for NaN), store without reading C
	FCMPD $(0.0), F7
	BEQ   store

	// C(r, :) = acc[r] + beta*C(r, :), row by row: R5 loads two rows ahead
	// of R3, which stores, alternating V0–V2 and V4–V6 as row buffers.
	VLD1.P (R5)(R4), [V0.D2, V1.D2, V2.D2]
	VLD1.P (R5)(R4), [V4.D2, V5.D2, V6.D2]

	DFMLA_ELEM(8, 0, 7, 0)
	DFMLA_ELEM(9, 1, 7, 0)
	DFMLA_ELEM(10, 2, 7, 0)
	VLD1.P (R5)(R4), [V0.D2, V1.D2, V2.D2]
	VST1.P [V8.D2, V9.D2, V10.D2], (R3)(R4)

	DFMLA_ELEM(11, 4, 7, 0)
	DFMLA_ELEM(12, 5, 7, 0)
	DFMLA_ELEM(13, 6, 7, 0)
	VLD1.P (R5)(R4), [V4.D2, V5.D2, V6.D2]
	VST1.P [V11.D2, V12.D2, V13.D2], (R3)(R4)

	DFMLA_ELEM(14, 0, 7, 0)
	DFMLA_ELEM(15, 1, 7, 0)
	DFMLA_ELEM(16, 2, 7, 0)
	VLD1.P (R5)(R4), [V0.D2, V1.D2, V2.D2]
	VST1.P [V14.D2, V15.D2, V16.D2], (R3)(R4)

	DFMLA_ELEM(17, 4, 7, 0)
	DFMLA_ELEM(18, 5, 7, 0)
	DFMLA_ELEM(19, 6, 7, 0)
	VLD1.P (R5)(R4), [V4.D2, V5.D2, V6.D2]
	VST1.P [V17.D2, V18.D2, V19.D2], (R3)(R4)

	DFMLA_ELEM(20, 0, 7, 0)
	DFMLA_ELEM(21, 1, 7, 0)
	DFMLA_ELEM(22, 2, 7, 0)
	VLD1.P (R5)(R4), [V0.D2, V1.D2, V2.D2]
	VST1.P [V20.D2, V21.D2, V22.D2], (R3)(R4)

	DFMLA_ELEM(23, 4, 7, 0)
	DFMLA_ELEM(24, 5, 7, 0)
	DFMLA_ELEM(25, 6, 7, 0)
	VLD1   (R5), [V4.D2, V5.D2, V6.D2]
	VST1.P [V23.D2, V24.D2, V25.D2], (R3)(R4)

	DFMLA_ELEM(26, 0, 7, 0)
	DFMLA_ELEM(27, 1, 7, 0)
	DFMLA_ELEM(28, 2, 7, 0)
	VST1.P [V26.D2, V27.D2, V28.D2], (R3)(R4)

	DFMLA_ELEM(29, 4, 7, 0)
	DFMLA_ELEM(30, 5, 7, 0)
	DFMLA_ELEM(31, 6, 7, 0)
	VST1   [V29.D2, V30.D2, V31.D2], (R3)
	RET

store:
	// C(r, :) = acc[r]
	VST1.P [V8.D2, V9.D2, V10.D2], (R3)(R4)
	VST1.P [V11.D2, V12.D2, V13.D2], (R3)(R4)
	VST1.P [V14.D2, V15.D2, V16.D2], (R3)(R4)
	VST1.P [V17.D2, V18.D2, V19.D2], (R3)(R4)
	VST1.P [V20.D2, V21.D2, V22.D2], (R3)(R4)
	VST1.P [V23.D2, V24.D2, V25.D2], (R3)(R4)
	VST1.P [V26.D2, V27.D2, V28.D2], (R3)(R4)
	VST1   [V29.D2, V30.D2, V31.D2], (R3)
	RET
