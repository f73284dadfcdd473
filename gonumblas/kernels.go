package gonumblas

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Until pente's float64 entry points (mat/blas.go) land, the blocked
// algorithms run on gonum's own kernels; this file then maps them onto
// pente's.

var g gonum.Implementation

// gerByRows is A += alpha·x·yᵀ as one axpy per row of A: gonum's own Dger
// and Sger (v0.17) leave A as it is when an increment is negative.
func gerByRows[T float](axpy func(n int, alpha T, x []T, incX int, y []T, incY int)) func(m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int) {
	return func(m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int) {
		for i := range m {
			j := i * incX
			if incX < 0 {
				j = (m - 1 - i) * -incX
			}
			xi := x[j]
			axpy(n, alpha*xi, y, incY, a[i*lda:i*lda+n], 1)
		}
	}
}

func bt(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

var f64 = &kernels[float64]{
	gemm: func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
		g.Dgemm(bt(tA), bt(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	},
	gemv: func(tA bool, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
		g.Dgemv(bt(tA), m, n, alpha, a, lda, x, incX, beta, y, incY)
	},
	ger: gerByRows(g.Daxpy), axpy: g.Daxpy, dot: g.Ddot, scal: g.Dscal,
	trsm: g.Dtrsm, trmm: g.Dtrmm, symv: g.Dsymv, trsv: g.Dtrsv, trmv: g.Dtrmv, nrm2: g.Dnrm2,
}

var f32 = &kernels[float32]{
	gemm: func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		g.Sgemm(bt(tA), bt(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	},
	gemv: func(tA bool, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
		g.Sgemv(bt(tA), m, n, alpha, a, lda, x, incX, beta, y, incY)
	},
	ger: gerByRows(g.Saxpy), axpy: g.Saxpy, dot: g.Sdot, scal: g.Sscal,
	trsm: g.Strsm, trmm: g.Strmm, symv: g.Ssymv, trsv: g.Strsv, trmv: g.Strmv, nrm2: g.Snrm2,
}
