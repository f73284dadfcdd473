package mat

import (
	"fmt"
	"sync"

	"github.com/pente-go/pente/mat/asm"
)

// Axpy computes y += alpha·x. It panics if len(x) != len(y), or if x and y
// overlap without being the same slice: Axpy(alpha, x, x), y = (1+alpha)·y
// element by element, is the one overlap allowed.
func Axpy(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("mat: Axpy: len(x) = %d but len(y) = %d", len(x), len(y)))
	}
	if overlapVec(x, y) && !same(x, y) {
		overlapPanic("Axpy", "y", "x")
	}
	if alpha == 0 {
		return
	}
	k := asm.Default()
	if p := planVector(Threads, len(y)); p > 1 {
		vector(k, p, vecAxpy, alpha, x, y)
		return
	}
	k.Axpy(alpha, x, y)
}

// Dot returns xᵀ·y, the sum of x[i]·y[i]. It panics if len(x) != len(y).
// x and y may overlap: Dot only reads them.
func Dot(x, y []float32) float32 {
	if len(x) != len(y) {
		panic(fmt.Sprintf("mat: Dot: len(x) = %d but len(y) = %d", len(x), len(y)))
	}
	k := asm.Default()
	if len(x) >= parallelVector {
		// In dotChunk pieces on any number of threads, one included, so
		// that the sum does not depend on it.
		return vector(k, planVector(Threads, len(x)), vecDot, 0, x, y)
	}
	return k.Dot(x, y)
}

// Scal computes x *= alpha, in IEEE arithmetic: NaN·0 is NaN.
func Scal(alpha float32, x []float32) {
	k := asm.Default()
	if p := planVector(Threads, len(x)); p > 1 {
		vector(k, p, vecScal, alpha, nil, x)
		return
	}
	k.Scal(alpha, x)
}

// dotChunk is the length of the pieces a long Dot is summed in: each piece
// by the kernel, then the pieces' sums in order. The pieces are the same
// whatever the number of threads, so the result is too.
const dotChunk = 1 << 14

// vecOp is one of the vector operations that vector splits.
type vecOp uint8

const (
	vecAxpy vecOp = iota // y += alpha·x
	vecDot               // xᵀ·y
	vecScal              // y *= alpha
)

// vectorJob is one long Axpy, Dot or Scal split into parts of whole
// dotChunks.
type vectorJob[T elem] struct {
	k     kern[T]
	op    vecOp
	alpha T
	x, y  []T
	sums  []T // Dot: the sum of each chunk
}

var vectorJobs32, vectorJobs64 = sync.Pool{New: func() any { return new(vectorJob[float32]) }},
	sync.Pool{New: func() any { return new(vectorJob[float64]) }}

// vector computes op in up to parts parts and returns the dot product for
// vecDot, 0 otherwise. len(x) == len(y) unless op is vecScal, which works
// on y.
func vector[T elem](k asm.Kernels, parts int, op vecOp, alpha T, x, y []T) T {
	n := len(y)
	chunks := ceilDiv(n, dotChunk)
	pool := poolOf[T](&vectorJobs32, &vectorJobs64)
	j := pool.Get().(*vectorJob[T])
	j.k, j.op, j.alpha, j.x, j.y = kernelsOf[T](k), op, alpha, x, y
	if op == vecDot {
		if cap(j.sums) < chunks {
			j.sums = make([]T, chunks)
		}
		j.sums = j.sums[:chunks]
	}
	if parts <= 1 {
		j.part(1, 0)
	} else {
		runParallel(j, parts)
	}
	var sum T
	if op == vecDot {
		for _, s := range j.sums {
			sum += s
		}
	}
	j.x, j.y = nil, nil
	pool.Put(j)
	return sum
}

func (j *vectorJob[T]) run(t *team, i int) { j.part(t.parts, i) }

// part does part i of parts: its share of the chunks.
func (j *vectorJob[T]) part(parts, i int) {
	n := len(j.y)
	lo, hi := span(i, parts, n, dotChunk)
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
