package mat

import (
	"fmt"
	"sync"

	"github.com/pente-go/pente/mat/asm"
)

// Gemv computes y = alpha·op(A)·x + beta·y, where op(A) is A or Aᵀ. When
// beta is zero y is not read; when alpha is zero A and x are not read. It
// panics unless A is well formed (see [Dense.Check]), len(x) is the number
// of columns of op(A) and len(y) its number of rows, and y shares no memory
// with A or x.
func Gemv(tA Transpose, alpha float32, a *Dense, x []float32, beta float32, y []float32) {
	gemvOn(asm.Default(), Threads, tA, alpha, a, x, beta, y)
}

// gemvOn is Gemv on kernels k, with threads() giving the number of threads.
func gemvOn(k asm.Kernels, threads func() int, tA Transpose, alpha float32, a *Dense, x []float32, beta float32, y []float32) {
	if tA > Trans || !a.Valid() {
		tA.check("Gemv", "tA")
		a.check("Gemv", "A")
	}
	m, n := opDims(tA, a)
	if len(x) != n || len(y) != m {
		panic(fmt.Sprintf("mat: Gemv: op(A) is %d×%d but len(x) = %d and len(y) = %d", m, n, len(x), len(y)))
	}
	if overlapVec(y, x) || overlapVec(a.Data, y) && overlapMatVec(a.view(), y) {
		overlapPanic("Gemv", "y", "A or x")
	}
	scaleBy(k, beta, y)
	if alpha == 0 || m == 0 || n == 0 {
		return
	}
	gemv(k, planGemv(threads, a.Rows, a.Cols), tA, alpha, a, x, y)
}

// Ger computes A += alpha·x·yᵀ, the rank-1 update of BLAS's sger: x has one
// element per row of A and y one per column. When alpha is zero A, x and y
// are not read. It panics unless A is well formed, len(x) and len(y) are
// A's dimensions, and A shares no memory with x or y.
func Ger(alpha float32, x, y []float32, a *Dense) {
	if !a.Valid() {
		a.check("Ger", "A")
	}
	if len(x) != a.Rows || len(y) != a.Cols {
		panic(fmt.Sprintf("mat: Ger: A is %d×%d but len(x) = %d and len(y) = %d", a.Rows, a.Cols, len(x), len(y)))
	}
	if overlapVec(a.Data, x) && overlapMatVec(a.view(), x) || overlapVec(a.Data, y) && overlapMatVec(a.view(), y) {
		overlapPanic("Ger", "A", "x or y")
	}
	if alpha == 0 || a.Rows == 0 || a.Cols == 0 {
		return
	}
	asm.Default().Ger(a.Rows, a.Cols, alpha, x, y, a.Data, a.Stride)
}

// gemv computes y += alpha·op(A)·x in up to parts parts: the rows of A
// (each part computing its own elements of y) when op(A) = A, its columns
// when op(A) = Aᵀ (the same, for Aᵀ's rows).
func gemv(k asm.Kernels, parts int, tA Transpose, alpha float32, a *Dense, x, y []float32) {
	gemvOf(kernelsOf[float32](k), parts, tA, alpha, a.view(), x, y)
}

// gemvOf is gemv for either precision.
// It is small enough to be inlined, so that the one-part case, a batch-1
// Gemm's, costs no call of its own.
func gemvOf[T elem](k kern[T], parts int, tA Transpose, alpha T, a *strided[T], x, y []T) {
	if parts <= 1 {
		gemvOnce(k, tA, alpha, a, x, y)
		return
	}
	gemvSplit(k, parts, tA, alpha, a, x, y)
}

// gemvSplit is gemvOf in parts > 1 parts, run on the pool.
func gemvSplit[T elem](k kern[T], parts int, tA Transpose, alpha T, a *strided[T], x, y []T) {
	pool := poolOf[T](&gemvJobs32, &gemvJobs64)
	j := pool.Get().(*gemvJob[T])
	j.k, j.tA, j.alpha, j.a, j.x, j.y = k, tA, alpha, *a, x, y
	runParallel(j, parts)
	j.a, j.x, j.y = strided[T]{}, nil, nil
	pool.Put(j)
}

// gemvJob is one Gemv call split over threads. Cuts fall at multiples of
// the kernels' blocks of rows and columns (gemvRows, gemvCols),
// so every element of y is computed by the same instructions as on one
// thread: the result does not depend on the number of threads.
type gemvJob[T elem] struct {
	k     kern[T]
	tA    Transpose
	alpha T
	a     strided[T]
	x, y  []T
}

var gemvJobs32, gemvJobs64 = sync.Pool{New: func() any { return new(gemvJob[float32]) }},
	sync.Pool{New: func() any { return new(gemvJob[float64]) }}

// run computes part i of the team's parts.
func (j *gemvJob[T]) run(t *team, i int) {
	a := j.a
	if j.tA == NoTrans {
		r0, r1 := span(i, t.parts, a.rows, gemvRows)
		if r0 < r1 {
			j.k.GemvN(r1-r0, a.cols, j.alpha, a.data[r0*a.stride:], a.stride, j.x, j.y[r0:r1])
		}
		return
	}
	c0, c1 := span(i, t.parts, a.cols, gemvCols)
	if c0 < c1 {
		j.k.GemvT(a.rows, c1-c0, j.alpha, a.data[c0:], a.stride, j.x, j.y[c0:c1])
	}
}
