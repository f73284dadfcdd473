package mat

import (
	"sync"

	"github.com/pente-go/pente/mat/asm"
)

// Gemv and the vector operations on long vectors run on the worker pool
// of parallel.go too, cut so that the result does not depend on the number
// of threads.

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

// parallelVector is the length from which Axpy, Dot and Scal are split
// over threads. They run at the speed of the memory their vectors come
// from, and two cores draw more than one: BenchmarkVectorThreads measured
// (two cores) axpy and dot at 1.7× and 1.4× on 64K elements, 2.6× and 3.1×
// on 256K (each core's half then stays in its own L2), 2.0× and 2.1× on 1M,
// 2.2× and 2.3× on 16M.
var parallelVector = 1 << 16

// dotChunk is the length of the pieces a long Dot is summed in: each piece
// by the kernel, then the pieces' sums in order. The pieces are the same
// whatever the number of threads, so the result is too.
const dotChunk = 1 << 14

// vecOp is one of the vector operations vectorParallel splits.
type vecOp uint8

const (
	vecAxpy vecOp = iota // y += alpha·x
	vecDot               // xᵀ·y
	vecScal              // y *= alpha
)

// vectorJob is one long Axpy, Dot or Scal split over threads, in whole
// dotChunks.
type vectorJob struct {
	team
	k     *asm.Kernels
	op    vecOp
	alpha float32
	x, y  []float32
	parts int
	sums  []float32 // Dot: the sum of each chunk
}

func (j *vectorJob) teamOf() *team { return &j.team }

var vectorJobs = sync.Pool{New: func() any { return new(vectorJob) }}

// vectorParallel computes op on up to threads goroutines and returns the
// dot product for vecDot, 0 otherwise. len(x) == len(y) unless op is
// vecScal, which works on y.
func vectorParallel(k *asm.Kernels, threads int, op vecOp, alpha float32, x, y []float32) float32 {
	n := len(y)
	chunks := (n + dotChunk - 1) / dotChunk
	j := vectorJobs.Get().(*vectorJob)
	j.k, j.op, j.alpha, j.x, j.y, j.parts = k, op, alpha, x, y, max(1, min(threads, chunks))
	if op == vecDot {
		if cap(j.sums) < chunks {
			j.sums = make([]float32, chunks)
		}
		j.sums = j.sums[:chunks]
	}
	if j.parts == 1 {
		j.run(0)
	} else {
		runParallel(j, j.parts)
	}
	var sum float32
	if op == vecDot {
		for _, s := range j.sums {
			sum += s
		}
	}
	j.x, j.y = nil, nil
	vectorJobs.Put(j)
	return sum
}

// run does part i of the job: its share of the chunks.
func (j *vectorJob) run(i int) {
	n := len(j.y)
	lo, hi := span(i, j.parts, n, dotChunk)
	switch j.op {
	case vecAxpy:
		j.k.Axpy(j.alpha, j.x[lo:hi], j.y[lo:hi])
	case vecScal:
		j.k.Scal(j.alpha, j.y[lo:hi])
	case vecDot:
		for c := lo; c < hi; c += dotChunk {
			e := min(c+dotChunk, n)
			j.sums[c/dotChunk] = j.k.Dot(j.x[c:e], j.y[c:e])
		}
	}
}
