// Package mat is pente's dense float32 linear algebra: a row-major matrix
// type and the BLAS operations a neural network needs, running on the
// kernels of package mat/asm.
//
// # Storage
//
// A [Dense] holds element (i, j) at Data[i*Stride+j]. Stride may exceed Cols,
// so that [Dense.Slice] returns views that share memory with their parent.
// Vectors are plain []float32 with unit increment. [Dense.Check] tells
// whether a matrix is well formed, and [Dense.Resize] reshapes a buffer in
// place, reusing its memory when it is large enough, which is how the
// layers and losses keep their outputs without allocating per batch.
//
// # Operations
//
//	Gemm  C = alpha·op(A)·op(B) + beta·C   (op is the identity or the transpose)
//	Gemv  y = alpha·op(A)·x + beta·y
//	Ger   A += alpha·x·yᵀ
//	Axpy  y += alpha·x
//	Dot   xᵀ·y
//	Scal  x *= alpha
//
// These follow BLAS: when beta is zero, C (or y) is not read, so NaN or Inf
// already there do not propagate; when alpha is zero, A and B (or x) are not
// read. Gemm packs op(A) and op(B) into panels as BLIS does, so all four
// transpose cases run at the same speed, and it keeps its packing buffers
// for reuse: a steady stream of calls does not allocate. Products with a
// dimension of 1 (a network fed one sample at a time) skip the packing and
// run on the matrix-vector kernels.
//
// # Threads
//
// A large Gemm is split over up to [Threads] goroutines: GOMAXPROCS, or
// fewer after [SetThreads]. The goroutines are started once and kept. The
// work is divided over the rows or the columns of C in whole micro-tiles,
// never over the inner dimension, so the result is bitwise the same for any
// number of threads; products too small to gain from a second thread stay
// on the caller's goroutine.
//
// As in BLAS, the result of Gemm or Gemv must not share elements with its
// inputs; this is not checked. Views of disjoint parts of one matrix are
// fine.
//
// # Panics
//
// Every operation checks its shapes before any kernel runs and panics with a
// message that names the operation and the shapes, for example
//
//	mat: Gemm: op(A) is 2×3 but op(B) is 4×2
//
// Dimensions of zero are valid: the operations then do nothing, or only
// scale by beta.
package mat
