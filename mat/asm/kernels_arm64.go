//go:build !purego

package asm

// archKernels returns the arm64 assembly implementations. ASIMD (NEON) is
// mandatory in ARMv8-A, so the NEON set is always available.
func archKernels() []Kernels { return []Kernels{neon} }

// neon is the NEON implementation. Its micro-kernel is 8×12: the C tile is
// 24 vectors of four floats, leaving eight of the 32 vector registers for
// the packed A column and B row. The block sizes are those of BLIS's armv8a
// sgemm configuration (MC 120, KC 640, NC 3072).
var neon = newKernels("neon", Blocks{MR: 8, NR: 12, MC: 120, KC: 640, NC: 3072}, unchecked{
	axpy:  axpyNEON,
	dot:   dotNEON,
	scal:  scalNEON,
	gemvN: gemvNNEON,
	gemvT: gemvTNEON,
	ger:   gerNEON,
	gemm:  gemm8x12NEON,

	packRows: packRowsNEON,
	packCols: packColsNEON,
}, neonDBlocks, neonD)

// axpyNEON is
//
//	for i := range y {
//		y[i] += alpha * x[i]
//	}
//
// It reads len(y) elements of x: the caller checks len(x) == len(y).
//
// Reference: axpyGeneric
// Requires: NEON
//
//go:noescape
func axpyNEON(alpha float32, x, y []float32)

// dotNEON is
//
//	for i := range x {
//		sum += x[i] * y[i]
//	}
//	return sum
//
// It reads len(x) elements of y: the caller checks len(x) == len(y).
//
// Reference: dotGeneric
// Requires: NEON
//
//go:noescape
func dotNEON(x, y []float32) float32

// scalNEON is
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// Reference: scalGeneric
// Requires: NEON
//
//go:noescape
func scalNEON(alpha float32, x []float32)

// gemvNNEON is y += alpha·A·x for the m×n matrix A with leading dimension
// lda:
//
//	for i := 0; i < m; i++ {
//		y[i] += alpha * dot(A[i, :], x)
//	}
//
// The caller checks the shapes (checkGemv).
//
// Reference: gemvNGeneric
// Requires: NEON
//
//go:noescape
func gemvNNEON(m, n int, alpha float32, a []float32, lda int, x, y []float32)

// gemvTNEON is y += alpha·Aᵀ·x for the m×n matrix A with leading dimension
// lda:
//
//	for i := 0; i < m; i++ {
//		axpy(alpha*x[i], A[i, :], y)
//	}
//
// The caller checks the shapes (checkGemv).
//
// Reference: gemvTGeneric
// Requires: NEON
//
//go:noescape
func gemvTNEON(m, n int, alpha float32, a []float32, lda int, x, y []float32)

// gemm8x12NEON is the 8×12 micro-kernel: C = alpha·A·B + beta·C for one
// 8×12 tile of C with leading dimension ldc, A packed column by column
// (a[l*8+i]) and B row by row (b[l*12+j]); when beta == 0, C is not read.
// The caller checks the shapes (checkGemm).
//
// Reference: gemmGeneric(8, 12, ...)
// Requires: NEON
//
//go:noescape
func gemm8x12NEON(k int, alpha float32, a, b []float32, beta float32, c []float32, ldc int)

// gerNEON is A += alpha·x·yᵀ for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		axpy(alpha*x[i], y, A[i, :])
//	}
//
// in one call. It writes only A[i, 0:n] of each row; the caller checks the
// shapes.
//
// Reference: gerGeneric
// Requires: NEON
//
//go:noescape
func gerNEON(m, n int, alpha float32, x, y, a []float32, lda int)

// packRowsNEON is packRowsGeneric with the full panels (w == nr) of the
// widths the NEON micro-kernel packs, 8 and 12, in assembly: the edge
// panels, one per block of the gemm driver, stay in Go.
func packRowsNEON(k, w, nr int, src []float32, ld int, panel []float32) {
	if w == nr && k > 0 {
		switch nr {
		case 8:
			packRows8NEON(k, src, ld, panel)
			return
		case 12:
			packRows12NEON(k, src, ld, panel)
			return
		}
	}
	packRowsGeneric(k, w, nr, src, ld, panel)
}

// packColsNEON is packColsGeneric with the full panels (w == nr) of the
// widths the NEON micro-kernel packs, 8 and 12, in assembly, four columns
// of src at a time; the last k%4 columns, and the edge panels, stay in Go.
func packColsNEON(k, w, nr int, src []float32, ld int, panel []float32) {
	k4 := k &^ 3
	if w == nr && k4 > 0 {
		switch nr {
		case 8:
			packCols8NEON(k4, src, ld, panel)
		case 12:
			packCols12NEON(k4, src, ld, panel)
		default:
			k4 = 0
		}
		src, panel = src[k4:], panel[k4*nr:]
		k -= k4
	}
	packColsGeneric(k, w, nr, src, ld, panel)
}

// packRows8NEON is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*8:l*8+8], src[l*ld:l*ld+8])
//	}
//
// for k > 0. The caller checks that src holds the k×8 block and that
// len(panel) >= k·8.
//
// Reference: packRowsGeneric
// Requires: NEON
//
//go:noescape
func packRows8NEON(k int, src []float32, ld int, panel []float32)

// packRows12NEON is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*12:l*12+12], src[l*ld:l*ld+12])
//	}
//
// for k > 0. The caller checks that src holds the k×12 block and that
// len(panel) >= k·12.
//
// Reference: packRowsGeneric
// Requires: NEON
//
//go:noescape
func packRows12NEON(k int, src []float32, ld int, panel []float32)

// packCols8NEON is
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 8; j++ {
//			panel[l*8+j] = src[j*ld+l]
//		}
//	}
//
// four columns of src at a time. The caller checks that src holds the
// 8×k block and that len(panel) >= k·8.
//
// Reference: packColsGeneric
// Requires: NEON
//
//go:noescape
func packCols8NEON(k int, src []float32, ld int, panel []float32)

// packCols12NEON is
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 12; j++ {
//			panel[l*12+j] = src[j*ld+l]
//		}
//	}
//
// four columns of src at a time. The caller checks that src holds the
// 12×k block and that len(panel) >= k·12.
//
// Reference: packColsGeneric
// Requires: NEON
//
//go:noescape
func packCols12NEON(k int, src []float32, ld int, panel []float32)
