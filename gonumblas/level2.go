package gonumblas

import "gonum.org/v1/gonum/blas"

// base2 is the size of the diagonal blocks that symv, trsv and trmv leave
// to gonum's routine; the rest of the matrix goes to gemv, block row by
// block row, so the share left to gonum is about base2/n.
const base2 = 64

// vec is elements [i, i+l) of the n-vector x with increment inc, as a
// vector with the same increment, cut to its exact extent. With inc < 0
// element 0 of a vector is at its end, as BLAS has it.
func vec[T float](x []T, n, inc, i, l int) []T {
	if inc > 0 {
		return x[i*inc : (i+l-1)*inc+1]
	}
	s := (n - i - l) * -inc
	return x[s : s+(l-1)*-inc+1]
}

// opGemv is y = alpha·op(A)[i:i+r, j:j+c]·x + beta·y, for a block off the
// diagonal of the triangle (or symmetric matrix) stored in a: the block
// itself when t is false, else the transpose of A[j:j+c, i:i+r].
func opGemv[T float](k *kernels[T], t bool, a []T, lda, i, j, r, c int, alpha T, x []T, incX int, beta T, y []T, incY int) {
	if !t {
		k.gemv(false, r, c, alpha, sub(a, lda, i, j, r, c), lda, x, incX, beta, y, incY)
	} else {
		k.gemv(true, c, r, alpha, sub(a, lda, j, i, c, r), lda, x, incX, beta, y, incY)
	}
}

func gemv[T float](k *kernels[T], tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int) {
	checkTrans(tA)
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if lda < max(1, n) {
		panic(badLdA)
	}
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	lenX, lenY := m, n
	if tA == blas.NoTrans {
		lenX, lenY = n, m
	}
	if m == 0 || n == 0 {
		return
	}
	if shortVec(len(x), lenX, incX) {
		panic(shortX)
	}
	if shortVec(len(y), lenY, incY) {
		panic(shortY)
	}
	if shortMat(len(a), m, n, lda) {
		panic(shortA)
	}
	if alpha == 0 && beta == 1 {
		return
	}
	if alpha == 0 {
		scaleVec(k, lenY, beta, y, incY)
		return
	}
	k.gemv(trans(tA), m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// scaleVec sets the n-vector y to beta·y, to zero when beta is zero, with
// any increment.
func scaleVec[T float](k *kernels[T], n int, beta T, y []T, inc int) {
	if inc < 0 {
		inc = -inc
	}
	if beta == 0 {
		for i := range n {
			y[i*inc] = 0
		}
		return
	}
	k.scal(n, beta, y, inc)
}

func ger[T float](k *kernels[T], m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int) {
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if lda < max(1, n) {
		panic(badLdA)
	}
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	if m == 0 || n == 0 {
		return
	}
	if shortVec(len(x), m, incX) {
		panic(shortX)
	}
	if shortVec(len(y), n, incY) {
		panic(shortY)
	}
	if shortMat(len(a), m, n, lda) {
		panic(shortA)
	}
	if alpha == 0 {
		return
	}
	k.ger(m, n, alpha, x, incX, y, incY, a, lda)
}

func symv[T float](k *kernels[T], ul blas.Uplo, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int) {
	checkUplo(ul)
	if n < 0 {
		panic(nLT0)
	}
	if lda < max(1, n) {
		panic(badLdA)
	}
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	if n == 0 {
		return
	}
	if shortMat(len(a), n, n, lda) {
		panic(shortA)
	}
	if shortVec(len(x), n, incX) {
		panic(shortX)
	}
	if shortVec(len(y), n, incY) {
		panic(shortY)
	}
	if alpha == 0 && beta == 1 {
		return
	}
	scaleVec(k, n, beta, y, incY)
	if alpha == 0 {
		return
	}
	lower := ul == blas.Lower
	for i := 0; i < n; i += base2 {
		ib := min(base2, n-i)
		xi, yi := vec(x, n, incX, i, ib), vec(y, n, incY, i, ib)
		k.symv(ul, ib, alpha, sub(a, lda, i, i, ib, ib), lda, xi, incX, 1, yi, incY)
		// The stored block row beside the diagonal block, A[i, :i] (lower)
		// or A[i, i+ib:] (upper), serves y_i and, transposed, the rest of y.
		j, c := 0, i
		if !lower {
			j, c = i+ib, n-i-ib
		}
		if c == 0 {
			continue
		}
		blk := sub(a, lda, i, j, ib, c)
		xj, yj := vec(x, n, incX, j, c), vec(y, n, incY, j, c)
		k.gemv(false, ib, c, alpha, blk, lda, xj, incX, 1, yi, incY)
		k.gemv(true, ib, c, alpha, blk, lda, xi, incX, 1, yj, incY)
	}
}

func trxv[T float](k *kernels[T], solve bool, ul blas.Uplo, tA blas.Transpose, d blas.Diag, n int, a []T, lda int, x []T, incX int) {
	checkUplo(ul)
	checkTrans(tA)
	checkDiag(d)
	if n < 0 {
		panic(nLT0)
	}
	if lda < max(1, n) {
		panic(badLdA)
	}
	if incX == 0 {
		panic(zeroIncX)
	}
	if n == 0 {
		return
	}
	if shortMat(len(a), n, n, lda) {
		panic(shortA)
	}
	if shortVec(len(x), n, incX) {
		panic(shortX)
	}
	base := k.trmv
	if solve {
		base = k.trsv
	}
	t := tA != blas.NoTrans
	lower := (ul == blas.Lower) != t // op(A) is lower triangular
	nb := (n + base2 - 1) / base2
	for q := range nb {
		// A solve runs forwards through a lower op(A), a product
		// backwards, so that the part of x a block row reads is solved,
		// or still as it was.
		if lower != solve {
			q = nb - 1 - q
		}
		i := q * base2
		ib := min(base2, n-i)
		xi := vec(x, n, incX, i, ib)
		j, c := 0, i // op(A)[i:i+ib, :i]
		if !lower {
			j, c = i+ib, n-i-ib // op(A)[i:i+ib, i+ib:]
		}
		if !solve {
			base(ul, tA, d, ib, sub(a, lda, i, i, ib, ib), lda, xi, incX)
		}
		if c > 0 {
			alpha := T(1)
			if solve {
				alpha = -1
			}
			opGemv(k, t, a, lda, i, j, ib, c, alpha, vec(x, n, incX, j, c), incX, 1, xi, incX)
		}
		if solve {
			base(ul, tA, d, ib, sub(a, lda, i, i, ib, ib), lda, xi, incX)
		}
	}
}

// Dgemv computes y = alpha·op(A)·x + beta·y on pente's dgemv.
func (Implementation) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	gemv(f64, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Sgemv is Dgemv in float32.
func (Implementation) Sgemv(tA blas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	gemv(f32, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Dger computes A += alpha·x·yᵀ on pente's dger.
func (Implementation) Dger(m, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	ger(f64, m, n, alpha, x, incX, y, incY, a, lda)
}

// Sger is Dger in float32.
func (Implementation) Sger(m, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	ger(f32, m, n, alpha, x, incX, y, incY, a, lda)
}

// Dsymv computes y = alpha·A·x + beta·y, A symmetric and stored in its ul
// triangle; the blocks off the diagonal by gemv.
func (Implementation) Dsymv(ul blas.Uplo, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	symv(f64, ul, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Ssymv is Dsymv in float32.
func (Implementation) Ssymv(ul blas.Uplo, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	symv(f32, ul, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Dtrsv solves op(A)·x = b for x, which overwrites b, A triangular; the
// blocks off the diagonal by gemv.
func (Implementation) Dtrsv(ul blas.Uplo, tA blas.Transpose, d blas.Diag, n int, a []float64, lda int, x []float64, incX int) {
	trxv(f64, true, ul, tA, d, n, a, lda, x, incX)
}

// Strsv is Dtrsv in float32.
func (Implementation) Strsv(ul blas.Uplo, tA blas.Transpose, d blas.Diag, n int, a []float32, lda int, x []float32, incX int) {
	trxv(f32, true, ul, tA, d, n, a, lda, x, incX)
}

// Dtrmv computes x = op(A)·x, A triangular; the blocks off the diagonal by
// gemv.
func (Implementation) Dtrmv(ul blas.Uplo, tA blas.Transpose, d blas.Diag, n int, a []float64, lda int, x []float64, incX int) {
	trxv(f64, false, ul, tA, d, n, a, lda, x, incX)
}

// Strmv is Dtrmv in float32.
func (Implementation) Strmv(ul blas.Uplo, tA blas.Transpose, d blas.Diag, n int, a []float32, lda int, x []float32, incX int) {
	trxv(f32, false, ul, tA, d, n, a, lda, x, incX)
}
