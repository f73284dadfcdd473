package gonumblas

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's BLAS with pente's kernels underneath the
// routines listed in the package documentation; every other routine is
// gonum's own, through the embedded gonum.Implementation. The zero value is
// ready to use and safe for concurrent use:
//
//	blas64.Use(gonumblas.Implementation{})
//	blas32.Use(gonumblas.Implementation{})
type Implementation struct {
	gonum.Implementation
}

var (
	_ blas.Float64 = Implementation{}
	_ blas.Float32 = Implementation{}
)

// float is the element type of the blocked algorithms, written once for
// both precisions.
type float interface{ ~float32 | ~float64 }

// kernels are what the blocked algorithms run on, for one precision: the
// products and vector operations (pente's) and the routines of gonum's own
// implementation that serve the small diagonal blocks. The transposes are
// pente's: false is NoTrans, true is Trans.
type kernels[T float] struct {
	gemm func(tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
	gemv func(tA bool, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)
	ger  func(m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int)
	axpy func(n int, alpha T, x []T, incX int, y []T, incY int)
	dot  func(n int, x []T, incX int, y []T, incY int) T
	scal func(n int, alpha T, x []T, incX int) // incX > 0

	// gonum's, for the diagonal blocks.
	trsm func(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha T, a []T, lda int, b []T, ldb int)
	trmm func(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha T, a []T, lda int, b []T, ldb int)
	symv func(ul blas.Uplo, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)
	trsv func(ul blas.Uplo, tA blas.Transpose, d blas.Diag, n int, a []T, lda int, x []T, incX int)
	trmv func(ul blas.Uplo, tA blas.Transpose, d blas.Diag, n int, a []T, lda int, x []T, incX int)
	nrm2 func(n int, x []T, incX int) T
}
