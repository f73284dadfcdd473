package main

import (
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/pente-go/pente/mat"
)

// library is one BLAS under test, behind the four operations the benchmark
// times. Matrices are row-major mat.Dense values (element (i, j) at
// Data[i*Stride+j]) and vectors contiguous slices, whatever the library's
// own types, so that a call allocates nothing.
type library struct {
	// name heads the library's columns: "pente", "gonum", "OpenBLAS".
	name string

	// setThreads makes the library use t threads. pente and gonum follow
	// GOMAXPROCS, which the benchmark sets to t before every measurement,
	// so theirs does nothing.
	setThreads func(t int)

	// spin is how long the library's threads may keep a core busy after
	// a call returns: the benchmark waits that long after timing it with
	// more than one thread, before timing anything else.
	spin time.Duration

	// gemm is C = op(A)·op(B) (alpha 1, beta 0).
	gemm func(tA, tB mat.Transpose, a, b, c *mat.Dense)

	// dgemm is C = op(A)·op(B) in float64 (alpha 1, beta 0), the
	// m×n C and op(A) and op(B) row-major with leading dimensions ldc,
	// lda and ldb.
	dgemm func(tA, tB mat.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int)

	// gemv is y = op(A)·x (alpha 1, beta 0).
	gemv func(tA mat.Transpose, a *mat.Dense, x, y []float32)

	// axpy is y += alpha·x.
	axpy func(alpha float32, x, y []float32)

	// dot is xᵀ·y.
	dot func(x, y []float32) float32
}

// libraries returns the libraries this binary can time, gonum first (the
// others' results are compared with its), then pente, then OpenBLAS when
// built with -tags openblas, and what OpenBLAS says about itself.
func libraries() ([]*library, openblasInfo) {
	libs := []*library{gonumLibrary(), penteLibrary()}
	ob, info := openblasLibrary()
	if ob != nil {
		libs = append(libs, ob)
	}
	return libs, info
}

// penteLibrary is package mat, on the kernels asm.Default chose.
func penteLibrary() *library {
	return &library{
		name:       "pente",
		setThreads: func(int) {},
		gemm: func(tA, tB mat.Transpose, a, b, c *mat.Dense) {
			mat.Gemm(tA, tB, 1, a, b, 0, c)
		},
		dgemm: func(tA, tB mat.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
			mat.Dgemm(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
		},
		gemv: func(tA mat.Transpose, a *mat.Dense, x, y []float32) {
			mat.Gemv(tA, 1, a, x, 0, y)
		},
		axpy: mat.Axpy,
		dot:  mat.Dot,
	}
}

// gonumLibrary is gonum's pure-Go BLAS (gonum.org/v1/gonum/blas/gonum),
// which is row-major like pente.
func gonumLibrary() *library {
	var impl gonum.Implementation
	return &library{
		name:       "gonum",
		setThreads: func(int) {},
		gemm: func(tA, tB mat.Transpose, a, b, c *mat.Dense) {
			m, n, k := gemmDims(tA, tB, a, b)
			impl.Sgemm(gonumTrans(tA), gonumTrans(tB), m, n, k, 1, a.Data, a.Stride, b.Data, b.Stride, 0, c.Data, c.Stride)
		},
		dgemm: func(tA, tB mat.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
			impl.Dgemm(gonumTrans(tA), gonumTrans(tB), m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
		},
		gemv: func(tA mat.Transpose, a *mat.Dense, x, y []float32) {
			impl.Sgemv(gonumTrans(tA), a.Rows, a.Cols, 1, a.Data, a.Stride, x, 1, 0, y, 1)
		},
		axpy: func(alpha float32, x, y []float32) {
			impl.Saxpy(len(x), alpha, x, 1, y, 1)
		},
		dot: func(x, y []float32) float32 {
			return impl.Sdot(len(x), x, 1, y, 1)
		},
	}
}

// gemmDims returns m, n and k of the product op(A)·op(B), for the
// libraries whose gemm takes them.
func gemmDims(tA, tB mat.Transpose, a, b *mat.Dense) (m, n, k int) {
	m, k = a.Rows, a.Cols
	if tA == mat.Trans {
		m, k = k, m
	}
	n = b.Cols
	if tB == mat.Trans {
		n = b.Rows
	}
	return m, n, k
}

// gonumTrans is t as a blas.Transpose.
func gonumTrans(t mat.Transpose) blas.Transpose {
	if t == mat.Trans {
		return blas.Trans
	}
	return blas.NoTrans
}
