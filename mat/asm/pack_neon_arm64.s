//go:build !purego

#include "textflag.h"

// The packers of the gemm driver for full panels (w == nr) of the widths
// the NEON micro-kernel uses: 8 (MR) and 12 (NR). Every function has the
// same arguments,
//
//	func packRowsNNEON(k int, src []float32, ld int, panel []float32)
//
// and the register map
//
//	R0: &src[...], the rows being read    R2: ld in bytes
//	R1: &panel[...], the rows being written    R3: the loop counter
//
// The row packers copy k rows of nr floats. The column packers transpose
// four columns of src into four rows of the panel per iteration, for
// l < k&^3 only: the caller packs the last k%4 columns.

// func packRows8NEON(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k; l++ {
//		panel[l*8 : l*8+8] = src[l*ld : l*ld+8]
//	}
TEXT ·packRows8NEON(SB), NOSPLIT, $0-64
	MOVD k+0(FP), R3
	MOVD src_base+8(FP), R0
	MOVD ld+32(FP), R2
	MOVD panel_base+40(FP), R1
	LSL  $2, R2

	// for ; k >= 2; k -= 2
	CMP $2, R3
	BLT rows8tail

rows8loop:
	FLDPQ  (R0), (F0, F1)
	ADD    R2, R0
	FLDPQ  (R0), (F2, F3)
	ADD    R2, R0
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R1)
	SUB    $2, R3
	CMP    $2, R3
	BGE    rows8loop

rows8tail:
	CBZ  R3, rows8done
	VLD1 (R0), [V0.S4, V1.S4]
	VST1 [V0.S4, V1.S4], (R1)

rows8done:
	RET

// func packRows12NEON(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k; l++ {
//		panel[l*12 : l*12+12] = src[l*ld : l*ld+12]
//	}
TEXT ·packRows12NEON(SB), NOSPLIT, $0-64
	MOVD k+0(FP), R3
	MOVD src_base+8(FP), R0
	MOVD ld+32(FP), R2
	MOVD panel_base+40(FP), R1
	LSL  $2, R2

	// for ; k >= 2; k -= 2
	CMP $2, R3
	BLT rows12tail

rows12loop:
	FLDPQ  (R0), (F0, F1)
	FMOVQ  32(R0), F2
	ADD    R2, R0
	FLDPQ  (R0), (F3, F4)
	FMOVQ  32(R0), F5
	ADD    R2, R0
	VST1.P [V0.S4, V1.S4, V2.S4], 48(R1)
	VST1.P [V3.S4, V4.S4, V5.S4], 48(R1)
	SUB    $2, R3
	CMP    $2, R3
	BGE    rows12loop

rows12tail:
	CBZ  R3, rows12done
	VLD1 (R0), [V0.S4, V1.S4, V2.S4]
	VST1 [V0.S4, V1.S4, V2.S4], (R1)

rows12done:
	RET

// LOAD4(a, b, c, d) loads src[r+i][l : l+4] into a, b, c, d for four rows
// r..r+3 of src, with R4 at row r, moving R4 down four rows.
#define LOAD4(a, b, c, d) \
	FMOVQ (R4), a; ADD R2, R4; \
	FMOVQ (R4), b; ADD R2, R4; \
	FMOVQ (R4), c; ADD R2, R4; \
	FMOVQ (R4), d; ADD R2, R4

// TRANSPOSE4(a, b, c, d, w, x, y, z) transposes the 4×4 matrix with rows
// a, b, c, d into w, x, y, z, with V28–V31 as scratch:
//
//	V28 = [a0 b0 a2 b2]    V29 = [a1 b1 a3 b3]    (TRN1, TRN2 of single lanes)
//	V30 = [c0 d0 c2 d2]    V31 = [c1 d1 c3 d3]
//	w = [a0 b0 c0 d0]      y = [a2 b2 c2 d2]      (TRN1, TRN2 of lane pairs)
//	x = [a1 b1 c1 d1]      z = [a3 b3 c3 d3]
#define TRANSPOSE4(a, b, c, d, w, x, y, z) \
	VTRN1 b.S4, a.S4, V28.S4;   \
	VTRN2 b.S4, a.S4, V29.S4;   \
	VTRN1 d.S4, c.S4, V30.S4;   \
	VTRN2 d.S4, c.S4, V31.S4;   \
	VTRN1 V30.D2, V28.D2, w.D2; \
	VTRN2 V30.D2, V28.D2, y.D2; \
	VTRN1 V31.D2, V29.D2, x.D2; \
	VTRN2 V31.D2, V29.D2, z.D2

// func packCols8NEON(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 8; j++ {
//			panel[l*8+j] = src[j*ld+l]
//		}
//	}
//
// Four columns of the eight rows per iteration, R4 walking down the rows.
// Row l+i of the panel is [V(16+2i), V(17+2i)]: rows 0..3 of src, then
// rows 4..7. The four rows of the panel, 32 floats in a row, are then
// V16–V23 in order, written by two stores of four registers.
TEXT ·packCols8NEON(SB), NOSPLIT, $0-64
	MOVD k+0(FP), R3
	MOVD src_base+8(FP), R0
	MOVD ld+32(FP), R2
	MOVD panel_base+40(FP), R1
	LSL  $2, R2
	LSR  $2, R3
	CBZ  R3, cols8done

cols8loop:
	MOVD R0, R4
	LOAD4(F0, F1, F2, F3)
	LOAD4(F4, F5, F6, F7)
	TRANSPOSE4(V0, V1, V2, V3, V16, V18, V20, V22)
	TRANSPOSE4(V4, V5, V6, V7, V17, V19, V21, V23)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R1)
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(R1)
	ADD    $16, R0
	SUB    $1, R3
	CBNZ   R3, cols8loop

cols8done:
	RET

// func packCols12NEON(k int, src []float32, ld int, panel []float32)
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 12; j++ {
//			panel[l*12+j] = src[j*ld+l]
//		}
//	}
//
// Four columns of the twelve rows per iteration, R4 walking down the rows.
// Row l+i of the panel is [V(16+3i), V(17+3i), V(18+3i)]: rows 0..3, 4..7
// and 8..11 of src. The four rows of the panel, 48 floats in a row, are
// then V16–V27 in order, written by three stores of four registers.
TEXT ·packCols12NEON(SB), NOSPLIT, $0-64
	MOVD k+0(FP), R3
	MOVD src_base+8(FP), R0
	MOVD ld+32(FP), R2
	MOVD panel_base+40(FP), R1
	LSL  $2, R2
	LSR  $2, R3
	CBZ  R3, cols12done

cols12loop:
	MOVD R0, R4
	LOAD4(F0, F1, F2, F3)
	LOAD4(F4, F5, F6, F7)
	LOAD4(F8, F9, F10, F11)
	TRANSPOSE4(V0, V1, V2, V3, V16, V19, V22, V25)
	TRANSPOSE4(V4, V5, V6, V7, V17, V20, V23, V26)
	TRANSPOSE4(V8, V9, V10, V11, V18, V21, V24, V27)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R1)
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(R1)
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R1)
	ADD    $16, R0
	SUB    $1, R3
	CBNZ   R3, cols12loop

cols12done:
	RET
