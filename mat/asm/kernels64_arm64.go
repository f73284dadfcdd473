//go:build !purego

package asm

// The float64 kernels of the neon set (the float32 ones are in
// kernels_arm64.go).

// neonDBlocks are the float64 block sizes of the 8×6 NEON micro-kernel,
// BLIS's armv8a dgemm ones (MC 120, KC 240, NC 3072): an MC×KC block of A
// is 225 KiB and a KC×NR micro-panel of B 11 KiB.
var neonDBlocks = Blocks{MR: 8, NR: 6, MC: 120, KC: 240, NC: 3072}

// neonD is the float64 NEON implementation: the 8×6 micro-kernel, daxpy,
// ddot and dscal in assembly, the pure-Go references for the rest.
var neonD = func() unchecked64 {
	d := genericD
	d.axpy = daxpyNEON
	d.dot = ddotNEON
	d.scal = dscalNEON
	d.gemm = dgemm8x6NEON
	return d
}()

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
