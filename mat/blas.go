package mat

import (
	"fmt"
	"math/bits"
	"sync"

	"github.com/pente-go/pente/mat/asm"
)

// The BLAS-convention entry points: the operations of this package on raw
// slices with explicit dimensions, leading dimensions and increments, in
// float32 (S…) and float64 (D…), row-major as gonum's blas.Float32 and
// blas.Float64 are, so that an adapter maps each routine onto one of these
// one to one. They run on the same driver as Gemm, Gemv and the others, and
// their results likewise do not depend on the number of threads.
//
// Transpose is this package's type: NoTrans or Trans (gonum's blas.NoTrans
// and blas.Trans; blas.ConjTrans is Trans for real matrices).
//
// Arguments are checked before anything is computed, in BLAS's order, in
// arithmetic that cannot overflow; a bad one panics with a message naming
// the routine and the argument, "mat: Dgemm: lda (3) < k (4)". A matrix
// argument of r×c elements with leading dimension ld needs ld ≥ max(1, c)
// and, unless r or c is 0, len ≥ (r-1)·ld + c; a vector of n elements with
// increment inc needs inc ≠ 0 and, unless n is 0, len ≥ 1 + (n-1)·|inc|.
// A negative increment walks the vector from its end, as BLAS does: element
// i is x[(n-1-i)·|inc|].
//
// Where a routine writes a matrix or a vector that shares memory with one it
// reads (C with A or B; y with A or x; A with x or y), it panics, as Gemm
// does, since the result would depend on the order of the computation. The
// level-1 routines compute any overlap element by element, in order, as
// BLAS's reference loops do.

// Each routine runs on the kernels asm.Default returns, split over up to
// Threads goroutines; blasGemm and the others take both as arguments, for
// the tests.

// Sgemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ as
// tA and tB say. C is m×n with leading dimension ldc, op(A) m×k (A itself
// k×m when transposed) and op(B) k×n. When beta is zero C is not read, so
// NaN or Inf there vanish; when alpha or k is zero A and B are not read.
func Sgemm(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	blasGemm("Sgemm", asm.Default(), Threads, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm is Sgemm in float64.
func Dgemm(tA, tB Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	blasGemm("Dgemm", asm.Default(), Threads, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemv computes y = alpha·op(A)·x + beta·y for the m×n matrix A with
// leading dimension lda: x has n elements and y m (Trans: m and n), with
// increments incX and incY. When beta is zero y is not read; when alpha is
// zero A and x are not read; when m or n is zero nothing is done.
func Sgemv(tA Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	blasGemv("Sgemv", asm.Default(), Threads, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Dgemv is Sgemv in float64.
func Dgemv(tA Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	blasGemv("Dgemv", asm.Default(), Threads, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Sger computes A += alpha·x·yᵀ for the m×n matrix A with leading
// dimension lda, x of m elements and y of n. When alpha is zero nothing is
// read.
func Sger(m, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	blasGer("Sger", asm.Default(), m, n, alpha, x, incX, y, incY, a, lda)
}

// Dger is Sger in float64.
func Dger(m, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	blasGer("Dger", asm.Default(), m, n, alpha, x, incX, y, incY, a, lda)
}

// Saxpy computes y += alpha·x for vectors of n elements.
func Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	blasAxpy("Saxpy", asm.Default(), Threads, n, alpha, x, incX, y, incY)
}

// Daxpy is Saxpy in float64.
func Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	blasAxpy("Daxpy", asm.Default(), Threads, n, alpha, x, incX, y, incY)
}

// Sdot returns xᵀ·y for vectors of n elements.
func Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	return blasDot("Sdot", asm.Default(), Threads, n, x, incX, y, incY)
}

// Ddot is Sdot in float64.
func Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	return blasDot("Ddot", asm.Default(), Threads, n, x, incX, y, incY)
}

// Sscal computes x *= alpha for a vector of n elements, in IEEE
// arithmetic (NaN·0 is NaN). incX must be positive, as in BLAS.
func Sscal(n int, alpha float32, x []float32, incX int) {
	blasScal("Sscal", asm.Default(), Threads, n, alpha, x, incX)
}

// Dscal is Sscal in float64.
func Dscal(n int, alpha float64, x []float64, incX int) {
	blasScal("Dscal", asm.Default(), Threads, n, alpha, x, incX)
}

func blasGemm[T elem](name string, kern asm.Kernels, threads func() int, tA, tB Transpose, m, n, kk int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	tA.check(name, "tA")
	tB.check(name, "tB")
	nonNegative(name, "m", m)
	nonNegative(name, "n", n)
	nonNegative(name, "k", kk)
	ar, ac, acName := m, kk, "k"
	if tA == Trans {
		ar, ac, acName = kk, m, "m"
	}
	br, bc, bcName := kk, n, "n"
	if tB == Trans {
		br, bc, bcName = n, kk, "k"
	}
	leading(name, "lda", lda, ac, acName)
	leading(name, "ldb", ldb, bc, bcName)
	leading(name, "ldc", ldc, n, "n")
	if m == 0 || n == 0 {
		return
	}
	av := matrixArg(name, "a", a, ar, ac, lda)
	bv := matrixArg(name, "b", b, br, bc, ldb)
	cv := matrixArg(name, "c", c, m, n, ldc)
	if kk > 0 && (overlaps(&cv, &av) || overlaps(&cv, &bv)) {
		overlapPanic(name, "c", "a or b")
	}
	k := kernelsOf[T](kern)
	bl := k.blocks()
	p := planOf(&bl, threads, tA, tB, m, n, kk, alpha == 0, av.stride, bv.stride, cv.stride)
	gemmOf(k, p, tA, tB, m, n, kk, alpha, &av, &bv, beta, &cv)
}

func blasGemv[T elem](name string, kern asm.Kernels, threads func() int, tA Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int) {
	tA.check(name, "tA")
	nonNegative(name, "m", m)
	nonNegative(name, "n", n)
	leading(name, "lda", lda, n, "n")
	nonZero(name, "incX", incX)
	nonZero(name, "incY", incY)
	if m == 0 || n == 0 {
		return
	}
	av := matrixArg(name, "a", a, m, n, lda)
	lx, ly := n, m
	if tA == Trans {
		lx, ly = m, n
	}
	vectorArg(name, "x", x, lx, incX)
	vectorArg(name, "y", y, ly, incY)
	if alpha == 0 && beta == 1 {
		return
	}
	yv, xv := vectorView(y, ly, incY), vectorView(x, lx, incX)
	if alpha != 0 && (meets(&av, &yv) || meets(&xv, &yv)) {
		overlapPanic(name, "y", "a or x")
	}
	k := kernelsOf[T](kern)
	ys, yTmp := gathered(y, ly, incY, beta != 0)
	scaleBy(k.k, beta, ys)
	if alpha != 0 {
		xs, xTmp := gathered(x, lx, incX, true)
		gemvOf(k, planGemv(threads, m, n), tA, alpha, &av, xs, ys)
		release(xTmp)
	}
	if yTmp != nil {
		scatter(ys, y, incY)
		release(yTmp)
	}
}

func blasGer[T elem](name string, kern asm.Kernels, m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int) {
	nonNegative(name, "m", m)
	nonNegative(name, "n", n)
	nonZero(name, "incX", incX)
	nonZero(name, "incY", incY)
	leading(name, "lda", lda, n, "n")
	if m == 0 || n == 0 {
		return
	}
	vectorArg(name, "x", x, m, incX)
	vectorArg(name, "y", y, n, incY)
	av := matrixArg(name, "a", a, m, n, lda)
	if alpha == 0 {
		return
	}
	if xv, yv := vectorView(x, m, incX), vectorView(y, n, incY); meets(&av, &xv) || meets(&av, &yv) {
		overlapPanic(name, "a", "x or y")
	}
	xs, xTmp := gathered(x, m, incX, true)
	ys, yTmp := gathered(y, n, incY, true)
	kernelsOf[T](kern).Ger(m, n, alpha, xs, ys, av.data, av.stride)
	release(xTmp)
	release(yTmp)
}

func blasAxpy[T elem](name string, k asm.Kernels, threads func() int, n int, alpha T, x []T, incX int, y []T, incY int) {
	nonNegative(name, "n", n)
	nonZero(name, "incX", incX)
	nonZero(name, "incY", incY)
	if n == 0 {
		return
	}
	vectorArg(name, "x", x, n, incX)
	vectorArg(name, "y", y, n, incY)
	if alpha == 0 {
		return
	}
	if incX == 1 && incY == 1 {
		x, y = x[:n], y[:n]
		if !overlapVec(x, y) {
			if p := planVector(threads, n); p > 1 {
				vector(k, p, vecAxpy, alpha, x, y)
			} else {
				kernelsOf[T](k).Axpy(alpha, x, y)
			}
			return
		}
	}
	ix, iy := start(n, incX), start(n, incY)
	for range n {
		y[iy] += alpha * x[ix]
		ix += incX
		iy += incY
	}
}

func blasDot[T elem](name string, k asm.Kernels, threads func() int, n int, x []T, incX int, y []T, incY int) T {
	nonNegative(name, "n", n)
	nonZero(name, "incX", incX)
	nonZero(name, "incY", incY)
	if n == 0 {
		return 0
	}
	vectorArg(name, "x", x, n, incX)
	vectorArg(name, "y", y, n, incY)
	xs, xTmp := gathered(x, n, incX, true)
	ys, yTmp := gathered(y, n, incY, true)
	var d T
	if n >= parallelVector { // in dotChunk pieces however many threads, as Dot
		d = vector(k, planVector(threads, n), vecDot, 0, xs, ys)
	} else {
		d = kernelsOf[T](k).Dot(xs, ys)
	}
	release(xTmp)
	release(yTmp)
	return d
}

func blasScal[T elem](name string, k asm.Kernels, threads func() int, n int, alpha T, x []T, incX int) {
	nonNegative(name, "n", n)
	if incX <= 0 {
		panic(fmt.Sprintf("mat: %s: incX (%d) ≤ 0", name, incX))
	}
	if n == 0 {
		return
	}
	vectorArg(name, "x", x, n, incX)
	if incX == 1 {
		if p := planVector(threads, n); p > 1 {
			vector(k, p, vecScal, alpha, nil, x[:n])
		} else {
			kernelsOf[T](k).Scal(alpha, x[:n])
		}
		return
	}
	for i := 0; i < n*incX; i += incX { // n·incX ≤ len(x) + incX - 1: no overflow
		x[i] *= alpha
	}
}

// nonNegative panics unless the dimension v is at least 0.
func nonNegative(name, arg string, v int) {
	if v < 0 {
		panic(fmt.Sprintf("mat: %s: %s (%d) < 0", name, arg, v))
	}
}

// nonZero panics if the increment inc is 0.
func nonZero(name, arg string, inc int) {
	if inc == 0 {
		panic(fmt.Sprintf("mat: %s: %s is 0", name, arg))
	}
}

// leading panics unless the leading dimension ld is at least max(1, cols),
// cols being the dimension called dim.
func leading(name, arg string, ld, cols int, dim string) {
	if ld < max(1, cols) {
		if cols < 1 {
			panic(fmt.Sprintf("mat: %s: %s (%d) < 1", name, arg, ld))
		}
		panic(fmt.Sprintf("mat: %s: %s (%d) < %s (%d)", name, arg, ld, dim, cols))
	}
}

// matrixArg checks that s holds the rows×cols matrix arg with leading
// dimension ld ≥ max(1, cols), rows and cols > 0, and returns it as the
// driver sees it: its Data cut to its last element, and the stride of a
// single row, which no element uses, brought to cols.
func matrixArg[T elem](name, arg string, s []T, rows, cols, ld int) strided[T] {
	if rows == 0 || cols == 0 {
		return strided[T]{rows: rows, cols: cols, stride: max(1, cols)}
	}
	if rows == 1 {
		ld = cols
	}
	hi, lo := bits.Mul64(uint64(rows-1), uint64(ld))
	need, carry := bits.Add64(lo, uint64(cols), 0)
	if hi != 0 || carry != 0 || need > uint64(len(s)) {
		panic(fmt.Sprintf("mat: %s: len(%s) (%d) < (%d-1)·%d + %d, the elements of a %d×%d matrix with leading dimension %d",
			name, arg, len(s), rows, ld, cols, rows, cols, ld))
	}
	if uint64(ld) > maxStride {
		panic(fmt.Sprintf("mat: %s: ld%s (%d) > %d, the largest allowed", name, arg, ld, uint64(maxStride)))
	}
	return strided[T]{rows: rows, cols: cols, stride: ld, data: s[:need]}
}

// vectorArg checks that s holds n > 0 elements with increment inc ≠ 0.
func vectorArg[T elem](name, arg string, s []T, n, inc int) {
	hi, lo := bits.Mul64(uint64(n-1), absInc(inc))
	if hi != 0 || lo >= uint64(len(s)) {
		panic(fmt.Sprintf("mat: %s: len(%s) (%d) < 1 + (%d-1)·%d, the elements of a vector of %d with increment %d",
			name, arg, len(s), n, absInc(inc), n, inc))
	}
}

func absInc(inc int) uint64 {
	if inc < 0 {
		return -uint64(inc)
	}
	return uint64(inc)
}

// vectorView returns the n elements of s with increment inc as a checked
// matrix of one column: what the overlap tests need.
func vectorView[T elem](s []T, n, inc int) strided[T] {
	step := int(absInc(inc))
	if n == 1 || step == 1 {
		return strided[T]{rows: 1, cols: n, stride: n, data: s[:n]}
	}
	return strided[T]{rows: n, cols: 1, stride: step, data: s[:(n-1)*step+1]}
}

// meets reports whether the matrix a and the vector v (a vectorView) share
// an element. Unlike overlaps, it is exact for any strides: a vector whose
// span meets a matrix of another stride is tested element by element.
func meets[T elem](a, v *strided[T]) bool {
	if !spansMeet(a, v) {
		return false
	}
	ra, rv := regionOf(a), regionOf(v)
	if ra.rows == 1 || rv.rows == 1 || ra.stride == rv.stride {
		return regionsMeet(ra, rv)
	}
	for i := 0; i < rv.rows; i++ {
		if e := rv.start + i*rv.stride; rowsMeet(ra, e, e+1) {
			return true
		}
	}
	return false
}

// start returns the index of element 0 of a vector of n elements with
// increment inc: 0, or (n-1)·|inc| when inc is negative.
func start(n, inc int) int {
	if inc < 0 {
		return (n - 1) * -inc
	}
	return 0
}

// gathered returns the n elements of s with increment inc as a contiguous
// slice: s itself when inc is 1, or else a scratch buffer filled from s if
// fill, left as it is otherwise, with the buffer to release.
func gathered[T elem](s []T, n, inc int, fill bool) ([]T, *[]T) {
	if inc == 1 {
		return s[:n], nil
	}
	buf := scratch[T](n)
	d := *buf
	if fill {
		for i, j := 0, start(n, inc); i < n; i, j = i+1, j+inc {
			d[i] = s[j]
		}
	}
	return d, buf
}

// scatter stores the elements of d into s with increment inc.
func scatter[T elem](d, s []T, inc int) {
	for i, j := 0, start(len(d), inc); i < len(d); i, j = i+1, j+inc {
		s[j] = d[i]
	}
}

// scratch32 and scratch64 are the free lists of the buffers into which the
// strided vectors of the level-2 routines and Dot are gathered.
var scratch32, scratch64 sync.Pool

// scratch returns a buffer of n elements of type T.
func scratch[T elem](n int) *[]T {
	buf, _ := poolOf[T](&scratch32, &scratch64).Get().(*[]T)
	if buf == nil {
		buf = new([]T)
	}
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	*buf = (*buf)[:n]
	return buf
}

// release returns a buffer from scratch, if buf is one.
func release[T elem](buf *[]T) {
	if buf != nil {
		poolOf[T](&scratch32, &scratch64).Put(buf)
	}
}
