//go:build !purego

package asm

// The float64 kernels of the neon set (the float32 ones are in
// kernels_arm64.go).

// neonDBlocks are the float64 block sizes of the 8×6 NEON micro-kernel,
// BLIS's armv8a dgemm ones (MC 120, KC 240, NC 3072): an MC×KC block of A
// is 225 KiB and a KC×NR micro-panel of B 11 KiB.
var neonDBlocks = Blocks{MR: 8, NR: 6, MC: 120, KC: 240, NC: 3072}

// neonD is the float64 NEON implementation: every kernel in assembly, the
// packers for the full panels of widths 6 and 8.
var neonD = unchecked64{
	axpy:  daxpyNEON,
	dot:   ddotNEON,
	scal:  dscalNEON,
	gemvN: dgemvNNEON,
	gemvT: dgemvTNEON,
	ger:   dgerNEON,
	gemm:  dgemm8x6NEON,

	packRows: dpackRowsNEON,
	packCols: dpackColsNEON,
}

// daxpyNEON is
//
//	for i := range y {
//		y[i] += alpha * x[i]
//	}
//
// It reads len(y) elements of x: the caller checks len(x) == len(y).
//
// Reference: daxpyGeneric
// Requires: NEON
//
//go:noescape
func daxpyNEON(alpha float64, x, y []float64)

// ddotNEON is
//
//	for i := range x {
//		sum += x[i] * y[i]
//	}
//	return sum
//
// It reads len(x) elements of y: the caller checks len(x) == len(y).
//
// Reference: ddotGeneric
// Requires: NEON
//
//go:noescape
func ddotNEON(x, y []float64) float64

// dscalNEON is
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// Reference: dscalGeneric
// Requires: NEON
//
//go:noescape
func dscalNEON(alpha float64, x []float64)

// dgemm8x6NEON is the 8×6 float64 micro-kernel: C = alpha·A·B + beta·C
// for one 8×6 tile of C with leading dimension ldc, A packed column by
// column (a[l*8+i]) and B row by row (b[l*6+j]); when beta == 0, C is not
// read. The caller checks the shapes.
//
// Reference: dgemmGeneric(8, 6, ...)
// Requires: NEON
//
//go:noescape
func dgemm8x6NEON(k int, alpha float64, a, b []float64, beta float64, c []float64, ldc int)

// dgemvNNEON is y += alpha·A·x for the m×n matrix A with leading dimension
// lda:
//
//	for i := 0; i < m; i++ {
//		y[i] += alpha * ddot(A[i, :], x)
//	}
//
// four rows at a time. It reads only A[i, 0:n] of each row; the caller
// checks the shapes.
//
// Reference: dgemvNGeneric
// Requires: NEON
//
//go:noescape
func dgemvNNEON(m, n int, alpha float64, a []float64, lda int, x, y []float64)

// dgemvTNEON is y += alpha·Aᵀ·x for the m×n matrix A with leading dimension
// lda:
//
//	for i := 0; i < m; i++ {
//		daxpy(alpha*x[i], A[i, :], y)
//	}
//
// four rows at a time, so that y is loaded and stored once per four rows.
// It reads only A[i, 0:n] of each row; the caller checks the shapes.
//
// Reference: dgemvTGeneric
// Requires: NEON
//
//go:noescape
func dgemvTNEON(m, n int, alpha float64, a []float64, lda int, x, y []float64)

// dgerNEON is A += alpha·x·yᵀ for the m×n matrix A:
//
//	for i := 0; i < m; i++ {
//		daxpy(alpha*x[i], y, A[i, :])
//	}
//
// in one call. It writes only A[i, 0:n] of each row; the caller checks the
// shapes.
//
// Reference: dgerGeneric
// Requires: NEON
//
//go:noescape
func dgerNEON(m, n int, alpha float64, x, y, a []float64, lda int)

// dpackRowsNEON is dpackRowsGeneric with the full panels (w == nr) of the
// widths the float64 NEON micro-kernel packs, 6 and 8, in assembly: the
// edge panels, one per block of the gemm driver, stay in Go.
func dpackRowsNEON(k, w, nr int, src []float64, ld int, panel []float64) {
	if w == nr && k > 0 {
		switch nr {
		case 6:
			dpackRows6NEON(k, src, ld, panel)
			return
		case 8:
			dpackRows8NEON(k, src, ld, panel)
			return
		}
	}
	dpackRowsGeneric(k, w, nr, src, ld, panel)
}

// dpackColsNEON is dpackColsGeneric with the full panels (w == nr) of the
// widths the float64 NEON micro-kernel packs, 6 and 8, in assembly, four
// columns of src at a time; the last k%4 columns, and the edge panels,
// stay in Go.
func dpackColsNEON(k, w, nr int, src []float64, ld int, panel []float64) {
	k4 := k &^ 3
	if w == nr && k4 > 0 {
		switch nr {
		case 6:
			dpackCols6NEON(k4, src, ld, panel)
		case 8:
			dpackCols8NEON(k4, src, ld, panel)
		default:
			k4 = 0
		}
		src, panel = src[k4:], panel[k4*nr:]
		k -= k4
	}
	dpackColsGeneric(k, w, nr, src, ld, panel)
}

// dpackRows6NEON is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*6:l*6+6], src[l*ld:l*ld+6])
//	}
//
// for k > 0. The caller checks that src holds the k×6 block and that
// len(panel) >= k·6.
//
// Reference: dpackRowsGeneric
// Requires: NEON
//
//go:noescape
func dpackRows6NEON(k int, src []float64, ld int, panel []float64)

// dpackRows8NEON is
//
//	for l := 0; l < k; l++ {
//		copy(panel[l*8:l*8+8], src[l*ld:l*ld+8])
//	}
//
// for k > 0. The caller checks that src holds the k×8 block and that
// len(panel) >= k·8.
//
// Reference: dpackRowsGeneric
// Requires: NEON
//
//go:noescape
func dpackRows8NEON(k int, src []float64, ld int, panel []float64)

// dpackCols6NEON is
//
//	for l := 0; l < k&^3; l++ {
//		for j := 0; j < 6; j++ {
//			panel[l*6+j] = src[j*ld+l]
//		}
//	}
//
// four columns of src at a time. The caller checks that src holds the
// 6×k block and that len(panel) >= k·6.
//
// Reference: dpackColsGeneric
// Requires: NEON
//
//go:noescape
func dpackCols6NEON(k int, src []float64, ld int, panel []float64)

// dpackCols8NEON is
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
// Reference: dpackColsGeneric
// Requires: NEON
//
//go:noescape
func dpackCols8NEON(k int, src []float64, ld int, panel []float64)
