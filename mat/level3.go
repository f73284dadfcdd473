package mat

import (
	"fmt"

	"github.com/pente-go/pente/mat/asm"
)

// Gemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ as
// tA and tB say. op(A) is m×k, op(B) k×n and C m×n. When beta is zero C is
// not read; when alpha is zero, or k is zero, A and B are not read.
//
// Gemm panics, before computing anything, if an operand is malformed (see
// [Dense.Check]), if the shapes do not agree, or if C shares memory with A
// or B (see [Overlap]).
//
// Products with a dimension of 1, tiny products and narrow products A·Bᵀ
// run on the matrix-vector kernels without packing; larger ones are packed
// and split over up to [Threads] goroutines. The result does not depend on
// the number of threads.
func Gemm(tA, tB Transpose, alpha float32, a, b *Dense, beta float32, c *Dense) {
	gemmOn(asm.Default(), Threads, tA, tB, alpha, a, b, beta, c)
}

// gemmOn is Gemm on kernels k, with threads() giving the number of threads.
func gemmOn(k asm.Kernels, threads func() int, tA, tB Transpose, alpha float32, a, b *Dense, beta float32, c *Dense) {
	m, n, kk := gemmShapes(tA, tB, a, b, c)
	if m == 0 || n == 0 {
		return
	}
	bl := k.Blocks()
	p := planOf(&bl, threads, tA, tB, m, n, kk, alpha == 0, a.Stride, b.Stride, c.Stride)
	kf, av, bv, cv := kernelsOf[float32](k), a.view(), b.view(), c.view()
	// gemmOf's routes for one sample, called from here: one call less on
	// the calls of a network fed one sample at a time.
	switch p.route {
	case routeGemvM1:
		gemmM1(kf, p.parts, tB, n, kk, alpha, av, bv, beta, cv)
	case routeGer:
		gemmK1(kf, m, n, alpha, av, bv, beta, cv)
	default:
		gemmOf(kf, p, tA, tB, m, n, kk, alpha, av, bv, beta, cv)
	}
}

// gemmShapes checks Gemm's arguments and returns m, n and k.
func gemmShapes(tA, tB Transpose, a, b, c *Dense) (m, n, k int) {
	if tA > Trans || tB > Trans || !a.Valid() || !b.Valid() || !c.Valid() {
		gemmOperandPanic(tA, tB, a, b, c)
	}
	m, ka := opDims(tA, a)
	kb, n := opDims(tB, b)
	if ka != kb || c.Rows != m || c.Cols != n {
		gemmShapePanic(m, ka, kb, n, c)
	}
	if cv, av, bv := c.view(), a.view(), b.view(); m > 0 && n > 0 && ka > 0 &&
		(spansMeet(cv, av) && regionsMeet(regionOf(cv), regionOf(av)) ||
			spansMeet(cv, bv) && regionsMeet(regionOf(cv), regionOf(bv))) {
		overlapPanic("Gemm", "C", "A or B")
	}
	return m, n, ka
}

func gemmOperandPanic(tA, tB Transpose, a, b, c *Dense) {
	tA.check("Gemm", "tA")
	tB.check("Gemm", "tB")
	a.check("Gemm", "A")
	b.check("Gemm", "B")
	c.check("Gemm", "C")
}

func gemmShapePanic(m, ka, kb, n int, c *Dense) {
	if ka != kb {
		panic(fmt.Sprintf("mat: Gemm: op(A) is %d×%d but op(B) is %d×%d", m, ka, kb, n))
	}
	panic(fmt.Sprintf("mat: Gemm: op(A)·op(B) is %d×%d but C is %d×%d", m, n, c.Rows, c.Cols))
}

// gemm computes C = alpha·op(A)·op(B) + beta·C for checked operands with
// m, n > 0 as plan p says: gemmOn's second half, which the tests call with
// plans of their own.
func gemm(k asm.Kernels, p gemmPlan, tA, tB Transpose, m, n, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	gemmOf(kernelsOf[float32](k), p, tA, tB, m, n, kk, alpha, a.view(), b.view(), beta, c.view())
}

// gemmOf is gemm for either precision.
func gemmOf[T elem](k kern[T], p gemmPlan, tA, tB Transpose, m, n, kk int, alpha T, a, b *strided[T], beta T, c *strided[T]) {
	switch p.route {
	case routeScale:
		for i := 0; i < m; i++ {
			scaleBy(k.k, beta, c.data[i*c.stride:i*c.stride+n])
		}
	case routeGemvM1:
		gemmM1(k, p.parts, tB, n, kk, alpha, a, b, beta, c)
	case routeGemvN1:
		gemmN1(k, p.parts, tA, m, kk, alpha, a, b, beta, c)
	case routeGer:
		gemmK1(k, m, n, alpha, a, b, beta, c)
	case routeRows:
		gemmRowsOf(k, tB, m, n, kk, alpha, a, b, beta, c)
	default:
		gemmPacked(k, p, tA, tB, m, n, kk, alpha, a, b, beta, c)
	}
}
