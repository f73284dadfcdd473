//go:build !purego

#include "textflag.h"

// The float64 packers of the gemm driver for full panels (w == nr) of the
// widths the float64 NEON micro-kernel uses: 6 (NR) and 8 (MR). Every
// function has the same arguments,
//
//	func dpackRowsNNEON(k int, src []float64, ld int, panel []float64)
//	func dpackColsNNEON(k int, src []float64, ld int, panel []float64)
//
// and the register map
//
//	R0: &src[...], the rows being read    R2: ld in bytes
//	R1: &panel[...], the rows being written    R3: the loop counter
//
// The row packers copy k rows of nr float64. The column packers transpose
// four columns of src into four rows of the panel per iteration, for
// l < k&^3 only: the caller packs the last k%4 columns. As in the float32
// packers, loads are at offsets from a pointer moved by ADD, not a chain
// of post-incremented loads.

// func dpackRows6NEON(k int, src []float64, ld int, panel []float64)
//
//	for l := 0; l < k; l++ {
//		panel[l*6 : l*6+6] = src[l*ld : l*ld+6]
//	}
TEXT ·dpackRows6NEON(SB), NOSPLIT, $0-64
	MOVD k+0(FP), R3
	MOVD src_base+8(FP), R0
	MOVD ld+32(FP), R2
	MOVD panel_base+40(FP), R1
	LSL  $3, R2

	// for ; k >= 2; k -= 2: two rows of 48 bytes
	CMP $2, R3
	BLT rows6tail

rows6loop:
	FLDPQ  (R0), (F0, F1)
	FMOVQ  32(R0), F2
	ADD    R2, R0
	FLDPQ  (R0), (F3, F4)
	FMOVQ  32(R0), F5
	ADD    R2, R0
	VST1.P [V0.D2, V1.D2, V2.D2], 48(R1)
	VST1.P [V3.D2, V4.D2, V5.D2], 48(R1)
	SUB    $2, R3
	CMP    $2, R3
	BGE    rows6loop

rows6tail:
	CBZ  R3, rows6done
	VLD1 (R0), [V0.D2, V1.D2, V2.D2]
	VST1 [V0.D2, V1.D2, V2.D2], (R1)

rows6done:
	RET

// func dpackRows8NEON(k int, src []float64, ld int, panel []float64)
//
//	for l := 0; l < k; l++ {
//		panel[l*8 : l*8+8] = src[l*ld : l*ld+8]
//	}
TEXT ·dpackRows8NEON(SB), NOSPLIT, $0-64
	MOVD k+0(FP), R3
	MOVD src_base+8(FP), R0
	MOVD ld+32(FP), R2
	MOVD panel_base+40(FP), R1
	LSL  $3, R2

	// for ; k >= 2; k -= 2: two rows of 64 bytes
	CMP $2, R3
	BLT rows8tail

rows8loop:
	FLDPQ  (R0), (F0, F1)
	FLDPQ  32(R0), (F2, F3)
	ADD    R2, R0
	FLDPQ  (R0), (F4, F5)
	FLDPQ  32(R0), (F6, F7)
	ADD    R2, R0
	VST1.P [V0.D2, V1.D2, V2.D2, V3.D2], 64(R1)
	VST1.P [V4.D2, V5.D2, V6.D2, V7.D2], 64(R1)
	SUB    $2, R3
	CMP    $2, R3
	BGE    rows8loop

rows8tail:
	CBZ  R3, rows8done
	VLD1 (R0), [V0.D2, V1.D2, V2.D2, V3.D2]
	VST1 [V0.D2, V1.D2, V2.D2, V3.D2], (R1)

rows8done:
	RET

// DLOAD2(a, b, c, d) loads src[r][l : l+4] into a, b and src[r+1][l : l+4]
// into c, d, with R4 at row r, moving R4 down two rows.
#define DLOAD2(a, b, c, d) \
	FLDPQ (R4), (a, b); ADD R2, R4; \
	FLDPQ (R4), (c, d); ADD R2, R4

// DTRANSPOSE2(a, b, c, d, w, x, y, z) transposes the 2×4 block with rows
// [a b] and [c d] (a = [a0 a1], b = [a2 a3], c = [c0 c1], d = [c2 c3])
// into its four columns: w = [a0 c0], x = [a1 c1], y = [a2 c2], z = [a3 c3].
#define DTRANSPOSE2(a, b, c, d, w, x, y, z) \
	VTRN1 c.D2, a.D2, w.D2; \
	VTRN2 c.D2, a.D2, x.D2; \
	VTRN1 d.D2, b.D2, y.D2; \
	VTRN2 d.D2, b.D2, z.D2

// func dpackCols6NEON(k int, src []float64, ld int, panel []float64)
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 6; j++ {
//			panel[l*6+j] = src[j*ld+l]
//		}
//	}
//
// Four columns of the six rows per iteration, R4 walking down the rows.
// Row l+c of the panel is [V(16+3c), V(17+3c), V(18+3c)]: rows 0..1, 2..3
// and 4..5 of src. The four rows of the panel, 24 float64 in a row, are
// then V16–V27 in order, written by three stores of four registers.
TEXT ·dpackCols6NEON(SB), NOSPLIT, $0-64
	MOVD k+0(FP), R3
	MOVD src_base+8(FP), R0
	MOVD ld+32(FP), R2
	MOVD panel_base+40(FP), R1
	LSL  $3, R2
	LSR  $2, R3
	CBZ  R3, cols6done

cols6loop:
	MOVD R0, R4
	DLOAD2(F0, F1, F2, F3)
	DLOAD2(F4, F5, F6, F7)
	DLOAD2(F8, F9, F10, F11)
	DTRANSPOSE2(V0, V1, V2, V3, V16, V19, V22, V25)
	DTRANSPOSE2(V4, V5, V6, V7, V17, V20, V23, V26)
	DTRANSPOSE2(V8, V9, V10, V11, V18, V21, V24, V27)
	VST1.P [V16.D2, V17.D2, V18.D2, V19.D2], 64(R1)
	VST1.P [V20.D2, V21.D2, V22.D2, V23.D2], 64(R1)
	VST1.P [V24.D2, V25.D2, V26.D2, V27.D2], 64(R1)
	ADD    $32, R0
	SUB    $1, R3
	CBNZ   R3, cols6loop

cols6done:
	RET

// func dpackCols8NEON(k int, src []float64, ld int, panel []float64)
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 8; j++ {
//			panel[l*8+j] = src[j*ld+l]
//		}
//	}
//
// Four columns of the eight rows per iteration, R4 walking down the rows.
// Row l+c of the panel is [V(16+4c), ..., V(19+4c)]: rows 0..1, 2..3, 4..5
// and 6..7 of src. The four rows of the panel, 32 float64 in a row, are
// then V16–V31 in order, written by four stores of four registers.
TEXT ·dpackCols8NEON(SB), NOSPLIT, $0-64
	MOVD k+0(FP), R3
	MOVD src_base+8(FP), R0
	MOVD ld+32(FP), R2
	MOVD panel_base+40(FP), R1
	LSL  $3, R2
	LSR  $2, R3
	CBZ  R3, cols8done

cols8loop:
	MOVD R0, R4
	DLOAD2(F0, F1, F2, F3)
	DLOAD2(F4, F5, F6, F7)
	DLOAD2(F8, F9, F10, F11)
	DLOAD2(F12, F13, F14, F15)
	DTRANSPOSE2(V0, V1, V2, V3, V16, V20, V24, V28)
	DTRANSPOSE2(V4, V5, V6, V7, V17, V21, V25, V29)
	DTRANSPOSE2(V8, V9, V10, V11, V18, V22, V26, V30)
	DTRANSPOSE2(V12, V13, V14, V15, V19, V23, V27, V31)
	VST1.P [V16.D2, V17.D2, V18.D2, V19.D2], 64(R1)
	VST1.P [V20.D2, V21.D2, V22.D2, V23.D2], 64(R1)
	VST1.P [V24.D2, V25.D2, V26.D2, V27.D2], 64(R1)
	VST1.P [V28.D2, V29.D2, V30.D2, V31.D2], 64(R1)
	ADD    $32, R0
	SUB    $1, R3
	CBNZ   R3, cols8loop

cols8done:
	RET
