package mat

import (
	"fmt"

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
	if len(y) < parallelVector {
		asm.Default().Axpy(alpha, x, y)
		return
	}
	vectorParallel(asm.Default(), Threads(), vecAxpy, alpha, x, y)
}

// Dot returns xᵀ·y, the sum of x[i]·y[i]. It panics if len(x) != len(y).
func Dot(x, y []float32) float32 {
	if len(x) != len(y) {
		panic(fmt.Sprintf("mat: Dot: len(x) = %d but len(y) = %d", len(x), len(y)))
	}
	if len(x) < parallelVector {
		return asm.Default().Dot(x, y)
	}
	return vectorParallel(asm.Default(), Threads(), vecDot, 0, x, y)
}

// Scal computes x *= alpha, in IEEE arithmetic: NaN·0 is NaN.
func Scal(alpha float32, x []float32) {
	if len(x) < parallelVector {
		asm.Default().Scal(alpha, x)
		return
	}
	vectorParallel(asm.Default(), Threads(), vecScal, alpha, nil, x)
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
