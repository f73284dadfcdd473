package mat

import (
	"fmt"
	"sync"

	"github.com/pente-go/pente/mat/asm"
)

// Transpose says whether an operand is used as it is or transposed.
type Transpose uint8

const (
	NoTrans Transpose = iota // op(A) = A
	Trans                    // op(A) = Aᵀ
)

func (t Transpose) String() string {
	switch t {
	case NoTrans:
		return "NoTrans"
	case Trans:
		return "Trans"
	}
	return fmt.Sprintf("Transpose(%d)", uint8(t))
}

func (t Transpose) check(op, name string) {
	if t > Trans {
		panic(fmt.Sprintf("mat: %s: %s is %v", op, name, t))
	}
}

// opDims returns the dimensions of op(m).
func opDims(t Transpose, m *Dense) (rows, cols int) {
	if t == Trans {
		return m.Cols, m.Rows
	}
	return m.Rows, m.Cols
}

// Axpy computes y += alpha·x. It panics if len(x) != len(y).
func Axpy(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("mat: Axpy: len(x) = %d but len(y) = %d", len(x), len(y)))
	}
	if alpha == 0 {
		return
	}
	asm.Default().Axpy(alpha, x, y)
}

// Dot returns xᵀ·y, the sum of x[i]·y[i]. It panics if len(x) != len(y).
func Dot(x, y []float32) float32 {
	if len(x) != len(y) {
		panic(fmt.Sprintf("mat: Dot: len(x) = %d but len(y) = %d", len(x), len(y)))
	}
	return asm.Default().Dot(x, y)
}

// Scal computes x *= alpha, in IEEE arithmetic: NaN·0 is NaN.
func Scal(alpha float32, x []float32) {
	asm.Default().Scal(alpha, x)
}

// scaleBy computes y = beta·y with BLAS's rule for beta: when beta is zero,
// y is set to zero without being read.
func scaleBy(k *asm.Kernels, beta float32, y []float32) {
	switch beta {
	case 1:
	case 0:
		clear(y)
	default:
		k.Scal(beta, y)
	}
}

// Gemv computes y = alpha·op(A)·x + beta·y, where op(A) is A or Aᵀ. When
// beta is zero y is not read; when alpha is zero A and x are not read. It
// panics unless len(x) is the number of columns of op(A) and len(y) its
// number of rows.
func Gemv(tA Transpose, alpha float32, a *Dense, x []float32, beta float32, y []float32) {
	gemv(asm.Default(), tA, alpha, a, x, beta, y)
}

func gemv(k *asm.Kernels, tA Transpose, alpha float32, a *Dense, x []float32, beta float32, y []float32) {
	tA.check("Gemv", "tA")
	a.check("Gemv", "A")
	m, n := opDims(tA, a)
	if len(x) != n || len(y) != m {
		panic(fmt.Sprintf("mat: Gemv: op(A) is %d×%d but len(x) = %d and len(y) = %d", m, n, len(x), len(y)))
	}
	scaleBy(k, beta, y)
	if alpha == 0 || m == 0 || n == 0 {
		return
	}
	if a.Rows*a.Cols < parallelGemv {
		gemvKernel(k, tA, alpha, a, x, y)
		return
	}
	gemvParallel(k, Threads(), tA, alpha, a, x, y)
}

// gemvKernel computes y += alpha·op(A)·x on the calling goroutine.
func gemvKernel(k *asm.Kernels, tA Transpose, alpha float32, a *Dense, x, y []float32) {
	if tA == NoTrans {
		k.GemvN(a.Rows, a.Cols, alpha, a.Data, a.Stride, x, y)
	} else {
		k.GemvT(a.Rows, a.Cols, alpha, a.Data, a.Stride, x, y)
	}
}

// parallelGemv is the number of elements of A from which Gemv is split over
// threads. A matrix-vector product reads each element of A once, so it runs
// at the speed of the memory A comes from, and two cores draw more from L3
// and DRAM than one. BenchmarkGemvThreads measured (avx512, two cores) for
// A·x and Aᵀ·x: 1.24× and 0.89× at 256², 1.8× and 1.1× at 512², 4.0× and
// 1.9× at 1024² (each core's half of A then stays in its own L2), 2.0× and
// 1.9× at 2048².
var parallelGemv = 512 * 512

// gemvJob is one Gemv call split over threads: the rows of A (so each part
// computes its own elements of y) when op(A) = A, its columns when
// op(A) = Aᵀ (the same, for Aᵀ's rows). Cuts fall at multiples of the
// kernels' blocks of rows (4) and columns (32), so every element of y is
// computed by the same instructions as on one thread: the result does not
// depend on the number of threads.
type gemvJob struct {
	team
	k     *asm.Kernels
	tA    Transpose
	alpha float32
	a     *Dense
	x, y  []float32
	parts int
}

func (j *gemvJob) teamOf() *team { return &j.team }

var gemvJobs = sync.Pool{New: func() any { return new(gemvJob) }}

// gemvParallel computes y += alpha·op(A)·x on up to threads goroutines.
func gemvParallel(k *asm.Kernels, threads int, tA Transpose, alpha float32, a *Dense, x, y []float32) {
	parts := 1
	if threads > 1 && a.Rows*a.Cols >= parallelGemv {
		parts = threads
	}
	if parts == 1 {
		gemvKernel(k, tA, alpha, a, x, y)
		return
	}
	j := gemvJobs.Get().(*gemvJob)
	j.k, j.tA, j.alpha, j.a, j.x, j.y, j.parts = k, tA, alpha, a, x, y, parts
	runParallel(j, parts)
	j.a, j.x, j.y = nil, nil, nil
	gemvJobs.Put(j)
}

// run computes part i of the job.
func (j *gemvJob) run(i int) {
	a := j.a
	if j.tA == NoTrans {
		r0, r1 := span(i, j.parts, a.Rows, 4)
		if r0 < r1 {
			j.k.GemvN(r1-r0, a.Cols, j.alpha, a.Data[r0*a.Stride:], a.Stride, j.x, j.y[r0:r1])
		}
		return
	}
	c0, c1 := span(i, j.parts, a.Cols, 32)
	if c0 < c1 {
		j.k.GemvT(a.Rows, c1-c0, j.alpha, a.Data[c0:], a.Stride, j.x, j.y[c0:c1])
	}
}

// Ger computes A += alpha·x·yᵀ, the rank-1 update of BLAS's sger: x has one
// element per row of A and y one per column. When alpha is zero A, x and y
// are not read. It panics unless len(x) and len(y) are A's dimensions.
func Ger(alpha float32, x, y []float32, a *Dense) {
	a.check("Ger", "A")
	if len(x) != a.Rows || len(y) != a.Cols {
		panic(fmt.Sprintf("mat: Ger: A is %d×%d but len(x) = %d and len(y) = %d", a.Rows, a.Cols, len(x), len(y)))
	}
	if alpha == 0 || a.Rows == 0 || a.Cols == 0 {
		return
	}
	asm.Default().Ger(a.Rows, a.Cols, alpha, x, y, a.Data, a.Stride)
}
