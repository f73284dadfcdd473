//go:build !purego

#include "textflag.h"

// The packers of the gemm driver for full panels (w == nr) of the widths
// the x86 micro-kernels use: 6 and 16 (avx2fma's MR and NR), 12 and 32
// (avx512's, which packs with these AVX2 kernels: on zmm registers they
// measured no faster). Every function has the same arguments,
//
//	func packRowsNAVX2(k int, src []float32, ld int, panel []float32)
//	func packColsNAVX2(k int, src []float32, ld int, panel []float32)
//
// and the register map
//
//	SI: &src[...], the rows being read    DX: ld in bytes
//	DI: &panel[...], the rows being written    CX: the loop counter
//
// The row packers copy k rows of nr floats, two rows per iteration. The
// column packers transpose eight columns of src into eight rows of the
// panel per iteration, for l < k&^7 only: the caller packs the last k%8
// columns. Every load stays inside the rows and columns the packer reads,
// and every store inside panel[0:k·nr].
//
// Once the source is out of L1 the packers are bound by memory, not by
// instructions: from L2 they reach a third (rows) to a half (transposes) of
// their speed on L1-resident data. Software prefetching of the rows ahead
// measured no faster, the out-of-order window already keeping the fill
// buffers busy, so there is none.

// func packRows6AVX2(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k; l++ {
//		panel[l*6 : l*6+6] = src[l*ld : l*ld+6]
//	}
TEXT ·packRows6AVX2(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ src_base+8(FP), SI
	MOVQ ld+32(FP), DX
	MOVQ panel_base+40(FP), DI
	SHLQ $2, DX

	// for ; k >= 2; k -= 2: two rows, 16 + 8 bytes each
	CMPQ CX, $2
	JLT  rows6tail

rows6loop:
	VMOVUPS (SI), X0
	VMOVSD  16(SI), X1
	VMOVUPS (SI)(DX*1), X2
	VMOVSD  16(SI)(DX*1), X3
	VMOVUPS X0, (DI)
	VMOVSD  X1, 16(DI)
	VMOVUPS X2, 24(DI)
	VMOVSD  X3, 40(DI)
	LEAQ    (SI)(DX*2), SI
	ADDQ    $48, DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JGE     rows6loop

rows6tail:
	TESTQ   CX, CX
	JZ      rows6done
	VMOVUPS (SI), X0
	VMOVSD  16(SI), X1
	VMOVUPS X0, (DI)
	VMOVSD  X1, 16(DI)

rows6done:
	RET

// func packRows12AVX2(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k; l++ {
//		panel[l*12 : l*12+12] = src[l*ld : l*ld+12]
//	}
TEXT ·packRows12AVX2(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ src_base+8(FP), SI
	MOVQ ld+32(FP), DX
	MOVQ panel_base+40(FP), DI
	SHLQ $2, DX

	// for ; k >= 2; k -= 2: two rows, 32 + 16 bytes each
	CMPQ CX, $2
	JLT  rows12tail

rows12loop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), X1
	VMOVUPS (SI)(DX*1), Y2
	VMOVUPS 32(SI)(DX*1), X3
	VMOVUPS Y0, (DI)
	VMOVUPS X1, 32(DI)
	VMOVUPS Y2, 48(DI)
	VMOVUPS X3, 80(DI)
	LEAQ    (SI)(DX*2), SI
	ADDQ    $96, DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JGE     rows12loop

rows12tail:
	TESTQ   CX, CX
	JZ      rows12done
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), X1
	VMOVUPS Y0, (DI)
	VMOVUPS X1, 32(DI)

rows12done:
	VZEROUPPER
	RET

// func packRows16AVX2(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k; l++ {
//		panel[l*16 : l*16+16] = src[l*ld : l*ld+16]
//	}
TEXT ·packRows16AVX2(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ src_base+8(FP), SI
	MOVQ ld+32(FP), DX
	MOVQ panel_base+40(FP), DI
	SHLQ $2, DX

	// for ; k >= 2; k -= 2: two rows of 64 bytes
	CMPQ CX, $2
	JLT  rows16tail

rows16loop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS (SI)(DX*1), Y2
	VMOVUPS 32(SI)(DX*1), Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	LEAQ    (SI)(DX*2), SI
	ADDQ    $128, DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JGE     rows16loop

rows16tail:
	TESTQ   CX, CX
	JZ      rows16done
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)

rows16done:
	VZEROUPPER
	RET

// func packRows32AVX2(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k; l++ {
//		panel[l*32 : l*32+32] = src[l*ld : l*ld+32]
//	}
TEXT ·packRows32AVX2(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ src_base+8(FP), SI
	MOVQ ld+32(FP), DX
	MOVQ panel_base+40(FP), DI
	SHLQ $2, DX

	// for ; k >= 2; k -= 2: two rows of 128 bytes
	CMPQ CX, $2
	JLT  rows32tail

rows32loop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VMOVUPS (SI)(DX*1), Y4
	VMOVUPS 32(SI)(DX*1), Y5
	VMOVUPS 64(SI)(DX*1), Y6
	VMOVUPS 96(SI)(DX*1), Y7
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	LEAQ    (SI)(DX*2), SI
	ADDQ    $256, DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JGE     rows32loop

rows32tail:
	TESTQ   CX, CX
	JZ      rows32done
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)

rows32done:
	VZEROUPPER
	RET

// The column packers work on 8×8 blocks of src: rows r..r+7, columns
// l..l+7. R8 holds 3·ld in bytes, so that four rows at p are (p),
// (p)(DX*1), (p)(DX*2) and (p)(R8*1).
//
// LOAD8x8(p, q) loads the block with rows r..r+3 at p and rows r+4..r+7 at
// q, half rows into 128-bit lanes, so that a transpose within the lanes
// finishes the job and no shuffle crosses them:
//
//	Y(i)   = [src[r+i][l : l+4] | src[r+4+i][l : l+4]]      i = 0..3
//	Y(4+i) = [src[r+i][l+4 : l+8] | src[r+4+i][l+4 : l+8]]
//
// The upper lanes come straight from memory (VINSERTF128 with a memory
// operand, a load and a simple vector µop), which spares the shuffle port
// the eight lane-crossing permutes of a transpose done in registers.
#define LOAD8x8(p, q) \
	VMOVUPS     (p), X0;                   \
	VMOVUPS     (p)(DX*1), X1;             \
	VMOVUPS     (p)(DX*2), X2;             \
	VMOVUPS     (p)(R8*1), X3;             \
	VMOVUPS     16(p), X4;                 \
	VMOVUPS     16(p)(DX*1), X5;           \
	VMOVUPS     16(p)(DX*2), X6;           \
	VMOVUPS     16(p)(R8*1), X7;           \
	VINSERTF128 $1, (q), Y0, Y0;           \
	VINSERTF128 $1, (q)(DX*1), Y1, Y1;     \
	VINSERTF128 $1, (q)(DX*2), Y2, Y2;     \
	VINSERTF128 $1, (q)(R8*1), Y3, Y3;     \
	VINSERTF128 $1, 16(q), Y4, Y4;         \
	VINSERTF128 $1, 16(q)(DX*1), Y5, Y5;   \
	VINSERTF128 $1, 16(q)(DX*2), Y6, Y6;   \
	VINSERTF128 $1, 16(q)(R8*1), Y7, Y7

// TRANSPOSE4(a, b, c, d, t0, t1, t2, t3) transposes the 4×4 matrix in
// each 128-bit lane of a, b, c, d, with t0..t3 as scratch. In one lane,
// with a = [a0 a1 a2 a3] and so on:
//
//	t0 = [a0 b0 a1 b1]    t1 = [a2 b2 a3 b3]    (VUNPCKLPS, VUNPCKHPS)
//	t2 = [c0 d0 c1 d1]    t3 = [c2 d2 c3 d3]
//	a = [a0 b0 c0 d0]     b = [a1 b1 c1 d1]     (VSHUFPS: two from t0, two from t2)
//	c = [a2 b2 c2 d2]     d = [a3 b3 c3 d3]
#define TRANSPOSE4(a, b, c, d, t0, t1, t2, t3) \
	VUNPCKLPS b, a, t0;         \
	VUNPCKHPS b, a, t1;         \
	VUNPCKLPS d, c, t2;         \
	VUNPCKHPS d, c, t3;         \
	VSHUFPS   $0x44, t2, t0, a; \
	VSHUFPS   $0xEE, t2, t0, b; \
	VSHUFPS   $0x44, t3, t1, c; \
	VSHUFPS   $0xEE, t3, t1, d

// TRANSPOSE8x8 finishes what LOAD8x8 started: afterwards Y(c) holds
// column l+c of the block, src[r:r+8][l+c], for c = 0..7.
#define TRANSPOSE8x8 \
	TRANSPOSE4(Y0, Y1, Y2, Y3, Y8, Y9, Y10, Y11); \
	TRANSPOSE4(Y4, Y5, Y6, Y7, Y12, Y13, Y14, Y15)

// STORE8(off, s) writes column c of the block to row c of the panel,
// whose rows are s bytes apart: panel[l+c][off/4 : off/4+8] = Y(c).
#define STORE8(off, s) \
	VMOVUPS Y0, off(DI);         \
	VMOVUPS Y1, off+(s)(DI);     \
	VMOVUPS Y2, off+2*(s)(DI);   \
	VMOVUPS Y3, off+3*(s)(DI);   \
	VMOVUPS Y4, off+4*(s)(DI);   \
	VMOVUPS Y5, off+5*(s)(DI);   \
	VMOVUPS Y6, off+6*(s)(DI);   \
	VMOVUPS Y7, off+7*(s)(DI)

// COLS_PROLOGUE loads the arguments and sets CX to the number of 8-column
// blocks, jumping to done if there are none.
#define COLS_PROLOGUE(done) \
	MOVQ k+0(FP), CX;            \
	MOVQ src_base+8(FP), SI;     \
	MOVQ ld+32(FP), DX;          \
	MOVQ panel_base+40(FP), DI;  \
	SHLQ $2, DX;                 \
	LEAQ (DX)(DX*2), R8;         \
	SHRQ $3, CX;                 \
	JZ   done

// func packCols6AVX2(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k&^7; l++ {
//		for j := 0; j < 6; j++ {
//			panel[l*6+j] = src[j*ld+l]
//		}
//	}
//
// The six rows are the block's rows 0..5; rows 6 and 7 are zero (VMOVUPS
// of an X register clears the upper lane). A row of the panel is 24 bytes:
// rows l..l+6 are stored whole, 32 bytes each, in order, so that the two
// floats too many that each writes are overwritten by the next; row l+7
// is stored as 16 + 8 bytes and writes nothing past the block.
TEXT ·packCols6AVX2(SB), NOSPLIT, $0-64
	COLS_PROLOGUE(cols6done)

cols6loop:
	LEAQ        (SI)(DX*4), R9
	VMOVUPS     (SI), X0
	VMOVUPS     (SI)(DX*1), X1
	VMOVUPS     (SI)(DX*2), X2
	VMOVUPS     (SI)(R8*1), X3
	VMOVUPS     16(SI), X4
	VMOVUPS     16(SI)(DX*1), X5
	VMOVUPS     16(SI)(DX*2), X6
	VMOVUPS     16(SI)(R8*1), X7
	VINSERTF128 $1, (R9), Y0, Y0
	VINSERTF128 $1, (R9)(DX*1), Y1, Y1
	VINSERTF128 $1, 16(R9), Y4, Y4
	VINSERTF128 $1, 16(R9)(DX*1), Y5, Y5
	TRANSPOSE8x8
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 24(DI)
	VMOVUPS     Y2, 48(DI)
	VMOVUPS     Y3, 72(DI)
	VMOVUPS     Y4, 96(DI)
	VMOVUPS     Y5, 120(DI)
	VMOVUPS     Y6, 144(DI)
	VMOVUPS     X7, 168(DI)
	VEXTRACTF128 $1, Y7, X7
	VMOVSD      X7, 184(DI)
	ADDQ        $32, SI
	ADDQ        $192, DI
	DECQ        CX
	JNZ         cols6loop

cols6done:
	VZEROUPPER
	RET

// func packCols12AVX2(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k&^7; l++ {
//		for j := 0; j < 12; j++ {
//			panel[l*12+j] = src[j*ld+l]
//		}
//	}
//
// Rows 0..7 are one 8×8 block. Rows 8..11 are loaded whole, eight floats
// each, so that after a transpose within the lanes Y(c) holds column l+c
// in its lower lane and column l+4+c in its upper one.
TEXT ·packCols12AVX2(SB), NOSPLIT, $0-64
	COLS_PROLOGUE(cols12done)

cols12loop:
	LEAQ (SI)(DX*4), R9
	LEAQ (SI)(DX*8), R10
	LOAD8x8(SI, R9)
	TRANSPOSE8x8
	STORE8(0, 48)

	VMOVUPS      (R10), Y0
	VMOVUPS      (R10)(DX*1), Y1
	VMOVUPS      (R10)(DX*2), Y2
	VMOVUPS      (R10)(R8*1), Y3
	TRANSPOSE4(Y0, Y1, Y2, Y3, Y8, Y9, Y10, Y11)
	VMOVUPS      X0, 32(DI)
	VMOVUPS      X1, 32+48(DI)
	VMOVUPS      X2, 32+2*48(DI)
	VMOVUPS      X3, 32+3*48(DI)
	VEXTRACTF128 $1, Y0, 32+4*48(DI)
	VEXTRACTF128 $1, Y1, 32+5*48(DI)
	VEXTRACTF128 $1, Y2, 32+6*48(DI)
	VEXTRACTF128 $1, Y3, 32+7*48(DI)

	ADDQ $32, SI
	ADDQ $384, DI
	DECQ CX
	JNZ  cols12loop

cols12done:
	VZEROUPPER
	RET

// func packCols16AVX2(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k&^7; l++ {
//		for j := 0; j < 16; j++ {
//			panel[l*16+j] = src[j*ld+l]
//		}
//	}
//
// Two 8×8 blocks: rows 0..7 and 8..15.
TEXT ·packCols16AVX2(SB), NOSPLIT, $0-64
	COLS_PROLOGUE(cols16done)

cols16loop:
	LEAQ (SI)(DX*4), R9
	LOAD8x8(SI, R9)
	TRANSPOSE8x8
	STORE8(0, 64)

	LEAQ (SI)(DX*8), R10
	LEAQ (R9)(DX*8), R11
	LOAD8x8(R10, R11)
	TRANSPOSE8x8
	STORE8(32, 64)

	ADDQ $32, SI
	ADDQ $512, DI
	DECQ CX
	JNZ  cols16loop

cols16done:
	VZEROUPPER
	RET

// func packCols32AVX2(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k&^7; l++ {
//		for j := 0; j < 32; j++ {
//			panel[l*32+j] = src[j*ld+l]
//		}
//	}
//
// Four 8×8 blocks: rows 0..7, 8..15, 16..23 and 24..31, R9 and R10 the
// rows 8g and 8g+4 of block g.
TEXT ·packCols32AVX2(SB), NOSPLIT, $0-64
	COLS_PROLOGUE(cols32done)

cols32loop:
	MOVQ SI, R9
	LEAQ (SI)(DX*4), R10
	LOAD8x8(R9, R10)
	TRANSPOSE8x8
	STORE8(0, 128)

	LEAQ (R9)(DX*8), R9
	LEAQ (R10)(DX*8), R10
	LOAD8x8(R9, R10)
	TRANSPOSE8x8
	STORE8(32, 128)

	LEAQ (R9)(DX*8), R9
	LEAQ (R10)(DX*8), R10
	LOAD8x8(R9, R10)
	TRANSPOSE8x8
	STORE8(64, 128)

	LEAQ (R9)(DX*8), R9
	LEAQ (R10)(DX*8), R10
	LOAD8x8(R9, R10)
	TRANSPOSE8x8
	STORE8(96, 128)

	ADDQ $32, SI
	ADDQ $1024, DI
	DECQ CX
	JNZ  cols32loop

cols32done:
	VZEROUPPER
	RET
