//go:build !purego

#include "textflag.h"

// The float64 packers of the gemm driver for full panels (w == nr) of the
// widths the float64 AVX2 micro-kernel uses, 6 and 8 (its MR and NR).
// Every function has the same arguments,
//
//	func dpackRowsNAVX2(k int, src []float64, ld int, panel []float64)
//	func dpackColsNAVX2(k int, src []float64, ld int, panel []float64)
//
// and the register map
//
//	SI: &src[...], the rows being read    DX: ld in bytes
//	DI: &panel[...], the rows being written    CX: the loop counter
//
// The row packers copy k rows of nr float64, two rows per iteration. The
// column packers transpose four columns of src into four rows of the panel
// per iteration, for l < k&^3 only: the caller packs the last k%4 columns.
// Every load stays inside the rows and columns the packer reads, and every
// store inside panel[0:k·nr].

// func dpackRows6AVX2(k int, src []float64, ld int, panel []float64)
//
//	for l := 0; l < k; l++ {
//		panel[l*6 : l*6+6] = src[l*ld : l*ld+6]
//	}
TEXT ·dpackRows6AVX2(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ src_base+8(FP), SI
	MOVQ ld+32(FP), DX
	MOVQ panel_base+40(FP), DI
	SHLQ $3, DX

	// for ; k >= 2; k -= 2: two rows, 32 + 16 bytes each
	CMPQ CX, $2
	JLT  rows6tail

rows6loop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), X1
	VMOVUPD (SI)(DX*1), Y2
	VMOVUPD 32(SI)(DX*1), X3
	VMOVUPD Y0, (DI)
	VMOVUPD X1, 32(DI)
	VMOVUPD Y2, 48(DI)
	VMOVUPD X3, 80(DI)
	LEAQ    (SI)(DX*2), SI
	ADDQ    $96, DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JGE     rows6loop

rows6tail:
	TESTQ   CX, CX
	JZ      rows6done
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), X1
	VMOVUPD Y0, (DI)
	VMOVUPD X1, 32(DI)

rows6done:
	VZEROUPPER
	RET

// func dpackRows8AVX2(k int, src []float64, ld int, panel []float64)
//
//	for l := 0; l < k; l++ {
//		panel[l*8 : l*8+8] = src[l*ld : l*ld+8]
//	}
TEXT ·dpackRows8AVX2(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ src_base+8(FP), SI
	MOVQ ld+32(FP), DX
	MOVQ panel_base+40(FP), DI
	SHLQ $3, DX

	// for ; k >= 2; k -= 2: two rows of 64 bytes
	CMPQ CX, $2
	JLT  rows8tail

rows8loop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD (SI)(DX*1), Y2
	VMOVUPD 32(SI)(DX*1), Y3
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	LEAQ    (SI)(DX*2), SI
	ADDQ    $128, DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JGE     rows8loop

rows8tail:
	TESTQ   CX, CX
	JZ      rows8done
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)

rows8done:
	VZEROUPPER
	RET

// DTRANSPOSE4(p, q) loads the 4×4 block of rows p, p+ld, q, q+ld (q =
// p+2·ld) at columns l..l+3 and leaves its columns in Y0..Y3: column c,
// [src[r][l+c] for r = 0..3], in Y(c). Rows 0 and 1 fill the low lanes,
// rows 2 and 3 the high ones (VINSERTF128), so that one VUNPCKLPD or
// VUNPCKHPD per pair of columns finishes the transpose:
//
//	Y4 = [a0 a1 | c0 c1]    Y5 = [b0 b1 | d0 d1]    → Y0 = [a0 b0 c0 d0], Y1 = [a1 b1 c1 d1]
//	Y6 = [a2 a3 | c2 c3]    Y7 = [b2 b3 | d2 d3]    → Y2, Y3
#define DTRANSPOSE4(p, q) \
	VMOVUPD     (p), X4;                \
	VMOVUPD     (p)(DX*1), X5;          \
	VMOVUPD     16(p), X6;              \
	VMOVUPD     16(p)(DX*1), X7;        \
	VINSERTF128 $1, (q), Y4, Y4;        \
	VINSERTF128 $1, (q)(DX*1), Y5, Y5;  \
	VINSERTF128 $1, 16(q), Y6, Y6;      \
	VINSERTF128 $1, 16(q)(DX*1), Y7, Y7; \
	VUNPCKLPD   Y5, Y4, Y0;             \
	VUNPCKHPD   Y5, Y4, Y1;             \
	VUNPCKLPD   Y7, Y6, Y2;             \
	VUNPCKHPD   Y7, Y6, Y3

// DCOLS_PROLOGUE loads the arguments and sets CX to the number of 4-column
// blocks, jumping to done if there are none.
#define DCOLS_PROLOGUE(done) \
	MOVQ k+0(FP), CX;            \
	MOVQ src_base+8(FP), SI;     \
	MOVQ ld+32(FP), DX;          \
	MOVQ panel_base+40(FP), DI;  \
	SHLQ $3, DX;                 \
	SHRQ $2, CX;                 \
	JZ   done

// func dpackCols6AVX2(k int, src []float64, ld int, panel []float64)
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 6; j++ {
//			panel[l*6+j] = src[j*ld+l]
//		}
//	}
//
// Rows 0..3 of the block are transposed by DTRANSPOSE4 into the first 32
// bytes of four panel rows; rows 4 and 5, [e0 e1 e2 e3] and [f0 f1 f2 f3],
// interleave into [e0 f0 | e2 f2] and [e1 f1 | e3 f3], whose 128-bit halves
// are the last 16 bytes of the four rows.
TEXT ·dpackCols6AVX2(SB), NOSPLIT, $0-64
	DCOLS_PROLOGUE(cols6done)

cols6loop:
	LEAQ         (SI)(DX*2), R9
	LEAQ         (R9)(DX*2), R10
	DTRANSPOSE4(SI, R9)
	VMOVUPD      (R10), Y8
	VMOVUPD      (R10)(DX*1), Y9
	VUNPCKLPD    Y9, Y8, Y10
	VUNPCKHPD    Y9, Y8, Y11
	VMOVUPD      Y0, (DI)
	VMOVUPD      X10, 32(DI)
	VMOVUPD      Y1, 48(DI)
	VMOVUPD      X11, 80(DI)
	VMOVUPD      Y2, 96(DI)
	VEXTRACTF128 $1, Y10, 128(DI)
	VMOVUPD      Y3, 144(DI)
	VEXTRACTF128 $1, Y11, 176(DI)
	ADDQ         $32, SI
	ADDQ         $192, DI
	DECQ         CX
	JNZ          cols6loop

cols6done:
	VZEROUPPER
	RET

// func dpackCols8AVX2(k int, src []float64, ld int, panel []float64)
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 8; j++ {
//			panel[l*8+j] = src[j*ld+l]
//		}
//	}
//
// Two 4×4 transposes, rows 0..3 into the first 32 bytes of four panel
// rows, rows 4..7 into the last 32.
TEXT ·dpackCols8AVX2(SB), NOSPLIT, $0-64
	DCOLS_PROLOGUE(cols8done)

cols8loop:
	LEAQ    (SI)(DX*2), R9
	DTRANSPOSE4(SI, R9)
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 64(DI)
	VMOVUPD Y2, 128(DI)
	VMOVUPD Y3, 192(DI)

	LEAQ    (R9)(DX*2), R10
	LEAQ    (R10)(DX*2), R11
	DTRANSPOSE4(R10, R11)
	VMOVUPD Y0, 32(DI)
	VMOVUPD Y1, 96(DI)
	VMOVUPD Y2, 160(DI)
	VMOVUPD Y3, 224(DI)

	ADDQ $32, SI
	ADDQ $256, DI
	DECQ CX
	JNZ  cols8loop

cols8done:
	VZEROUPPER
	RET

// The block packers copy four adjacent full micro-panels at once, a row of
// 4·nr float64 (three or four cache lines) at a time, into four panels
// k·nr elements apart,
//
//	func dpackRowsNx4AVX2(k int, src []float64, ld int, panel []float64)
//
//	for p := 0; p < 4; p++ {
//		for l := 0; l < k; l++ {
//			panel[p*k*N+l*N : p*k*N+l*N+N] = src[l*ld+p*N : l*ld+p*N+N]
//		}
//	}
//
// for k ≥ 1, with the register map of the row packers and
//
//	R8: k·N·8, the bytes from one panel to the next
//	DI, R9: &panel[p·k·N + l·N] for p = 0 and p = 2
//
// Packed one panel at a time, the rows of B are visited once per panel, a
// cache line of each row per visit, and rows of a matrix wider than 512
// float64 lie on different pages; four panels at a time, a quarter as
// often, for whole lines.
#define DBLOCK_PROLOGUE(nr) \
	MOVQ k+0(FP), CX;           \
	MOVQ src_base+8(FP), SI;    \
	MOVQ ld+32(FP), DX;         \
	MOVQ panel_base+40(FP), DI; \
	SHLQ $3, DX;                \
	MOVQ CX, R8;                \
	IMULQ $(nr*8), R8;          \
	LEAQ (DI)(R8*2), R9

// func dpackRows6x4AVX2(k int, src []float64, ld int, panel []float64)
//
// Panel p's row is the 32 + 16 bytes at 48p of the source row.
TEXT ·dpackRows6x4AVX2(SB), NOSPLIT, $0-64
	DBLOCK_PROLOGUE(6)

rows6x4loop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), X1
	VMOVUPD 48(SI), Y2
	VMOVUPD 80(SI), X3
	VMOVUPD 96(SI), Y4
	VMOVUPD 128(SI), X5
	VMOVUPD 144(SI), Y6
	VMOVUPD 176(SI), X7
	VMOVUPD Y0, (DI)
	VMOVUPD X1, 32(DI)
	VMOVUPD Y2, (DI)(R8*1)
	VMOVUPD X3, 32(DI)(R8*1)
	VMOVUPD Y4, (R9)
	VMOVUPD X5, 32(R9)
	VMOVUPD Y6, (R9)(R8*1)
	VMOVUPD X7, 32(R9)(R8*1)
	ADDQ    DX, SI
	ADDQ    $48, DI
	ADDQ    $48, R9
	DECQ    CX
	JNZ     rows6x4loop

	VZEROUPPER
	RET

// func dpackRows8x4AVX2(k int, src []float64, ld int, panel []float64)
//
// Panel p's row is the 64 bytes at 64p of the source row.
TEXT ·dpackRows8x4AVX2(SB), NOSPLIT, $0-64
	DBLOCK_PROLOGUE(8)

rows8x4loop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	VMOVUPD 128(SI), Y4
	VMOVUPD 160(SI), Y5
	VMOVUPD 192(SI), Y6
	VMOVUPD 224(SI), Y7
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, (DI)(R8*1)
	VMOVUPD Y3, 32(DI)(R8*1)
	VMOVUPD Y4, (R9)
	VMOVUPD Y5, 32(R9)
	VMOVUPD Y6, (R9)(R8*1)
	VMOVUPD Y7, 32(R9)(R8*1)
	ADDQ    DX, SI
	ADDQ    $64, DI
	ADDQ    $64, R9
	DECQ    CX
	JNZ     rows8x4loop

	VZEROUPPER
	RET
