package gonumblas

import (
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/pente-go/pente/mat"
)

// The kernel tables: the products and vector operations are pente's
// BLAS-convention entry points (mat/blas.go), the diagonal blocks and the
// scaled nrm2 gonum's own routines.

var g gonum.Implementation

func pt(t bool) mat.Transpose {
	if t {
		return mat.Trans
	}
	return mat.NoTrans
}

var f64 = &kernels[float64]{
	gemm: func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
		mat.Dgemm(pt(tA), pt(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	},
	gemv: func(tA bool, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
		mat.Dgemv(pt(tA), m, n, alpha, a, lda, x, incX, beta, y, incY)
	},
	ger: mat.Dger, axpy: mat.Daxpy, dot: mat.Ddot, scal: mat.Dscal,
	trsm: g.Dtrsm, trmm: g.Dtrmm, symv: g.Dsymv, trsv: g.Dtrsv, trmv: g.Dtrmv, nrm2: g.Dnrm2,
}

var f32 = &kernels[float32]{
	gemm: func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		mat.Sgemm(pt(tA), pt(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	},
	gemv: func(tA bool, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
		mat.Sgemv(pt(tA), m, n, alpha, a, lda, x, incX, beta, y, incY)
	},
	ger: mat.Sger, axpy: mat.Saxpy, dot: mat.Sdot, scal: mat.Sscal,
	trsm: g.Strsm, trmm: g.Strmm, symv: g.Ssymv, trsv: g.Strsv, trmv: g.Strmv, nrm2: g.Snrm2,
}
