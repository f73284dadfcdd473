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
// A large Gemm, Gemv or vector operation is split over up to [Threads]
// goroutines: by default the number of CPUs this process may run on (its
// affinity and its cgroup's CPU quota), never more than GOMAXPROCS, or
// fewer after [SetThreads]. The work is divided over the rows or the
// columns of the result, never over the inner dimension, so the result is
// bitwise the same for any number of threads; products too small to gain
// from a second thread stay on the caller's goroutine. How a call runs is
// decided once, at its start (plan.go); the parts run on a pool of worker
// goroutines (pool.go) that wait for work by spinning briefly and then
// blocking, so that a busy machine is not made busier, that takes no more
// workers than it has CPUs to give them (a call that finds none free runs
// in fewer parts, or alone), and whose idle workers and packing buffers are
// let go after a few seconds. Any number of goroutines may call the
// operations at once, on disjoint outputs.
//
// # Files
//
// The package is cut by role: dense.go holds the matrix type and the check
// of its shape, overlap.go the test for shared memory; level1.go, level2.go
// and level3.go the BLAS operations of each level with their argument
// checks; plan.go decides how a call runs; small.go holds Gemm's unpacked
// paths for vector-shaped and small products, packed.go its blocked driver
// and pack.go its packing; pool.go and workspace.go the worker pool and the
// packing buffers; cpus.go the number of CPUs. The driver is written once
// over the element type, float32 or float64 (kernels.go says how it reaches
// each precision's kernels); blas.go holds its BLAS-convention entry points
// in both precisions, Sgemm and Dgemm, Sgemv and Dgemv, Sger and Dger,
// Saxpy, Sdot, Sscal and their float64 twins, on raw slices with leading
// dimensions and increments, row-major as gonum's blas.Float32 and
// blas.Float64.
//
// # Panics
//
// Every operation checks its operands before any kernel runs and panics,
// on the calling goroutine, with a message that names the operation and the
// shapes, for example
//
//	mat: Gemm: op(A) is 2×3 but op(B) is 4×2
//	mat: Gemv: A is 5×1 with stride 2305843009213693952 > 281474976710656, the largest allowed
//
// A matrix is checked as [Dense.Check] says, in arithmetic that cannot
// overflow: what passes the check is in bounds, whatever the integers in
// it. A panic in a part of a split operation is raised again on the calling
// goroutine, where it can be recovered; the pool stays usable.
//
// The result of Gemm, Gemv or Ger must not share memory with its inputs
// (C with A or B; y with A or x; A with x or y), and Axpy's y must not
// overlap x unless it is x itself (Axpy(alpha, x, x) is defined element by
// element): as PyTorch does, the operations panic when it does. Views of
// disjoint parts of one matrix are fine, even when their rows interleave
// (see [Overlap]).
//
// Dimensions of zero are valid: the operations then do nothing, or only
// scale by beta.
package mat
