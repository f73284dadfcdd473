package mat

import (
	"math"
	"runtime"
	"sync/atomic"

	"github.com/pente-go/pente/mat/asm"
)

// This file decides, once per call, how an operation runs: which path a
// Gemm takes, and into how many parts an operation is split over threads.
// The thresholds are constants; BenchmarkGemmThreads, BenchmarkGemvThreads,
// BenchmarkVectorThreads and BenchmarkGemmSmall measure them, and
// bench/README.md records what they measured. Tests reach the other paths
// by passing a plan, not by changing a threshold.
//
// Work is split over the rows or the columns of C (or of y), never over the
// inner dimension, and cut at the kernels' block edges, so every element of
// the result is computed by the same instructions in the same order whatever
// the number of parts: results are bitwise identical for any number of
// threads.

const (
	// parallelMACs is the number of multiply-adds (m·n·k) from which a
	// packed Gemm is split over threads: handing a part to a worker and
	// meeting it again costs a few microseconds, which a smaller product
	// does not win back (BenchmarkGemmThreads).
	parallelMACs = 112 * 112 * 112

	// tinyMACs is the size up to which a product A·op(B) runs as one gemv
	// per row of C: packing would cost more than it saves
	// (BenchmarkGemmSmall). 16³ packs: on Zen 3, 5,950 instructions a
	// call packed against 7,570 by rows (callgrind), and 1.1–1.7× as fast
	// (best of 5: NN 626 against 1044 ns, NT 885 against 954).
	tinyMACs = 15 * 15 * 15

	// parallelGemv is the number of elements of A from which Gemv is split
	// over threads. It reads each element of A once, at the speed of the
	// memory A comes from, and two cores draw more from L3 and DRAM than
	// one (BenchmarkGemvThreads).
	parallelGemv = 512 * 512

	// parallelVector is the length from which Axpy, Dot and Scal are split
	// over threads, for the same reason (BenchmarkVectorThreads).
	parallelVector = 1 << 16
)

// maxThreads is the limit set by SetThreads; 0 means the default.
var maxThreads atomic.Int32

// SetThreads limits the number of goroutines one operation may use and
// returns the previous limit (0 for the default). n ≤ 0 restores the
// default: the smaller of GOMAXPROCS and the number of CPUs this process
// may run on (see [Threads]). It is the counterpart of
// torch.set_num_threads or openblas_set_num_threads; results do not depend
// on it.
func SetThreads(n int) (prev int) {
	n = max(n, 0)
	return int(maxThreads.Swap(int32(min(n, 1<<20))))
}

// Threads returns the number of goroutines one large operation uses: the
// limit set by SetThreads, or else the number of CPUs this process may run
// on (its CPU affinity, and its cgroup's CPU quota where there is one, read
// at start-up), and never more than GOMAXPROCS.
func Threads() int {
	p := runtime.GOMAXPROCS(0)
	if n := int(maxThreads.Load()); n > 0 {
		return min(p, n)
	}
	return min(p, availableCPUs())
}

// route is the way a Gemm is computed.
type route uint8

const (
	routeScale  route = iota // alpha = 0 or k = 0: C = beta·C
	routeGemvM1              // m = 1: a gemv with op(B)ᵀ, split as Gemv is
	routeGemvN1              // n = 1: a gemv with op(A), split as Gemv is
	routeGer                 // k = 1: a rank-1 update
	routeRows                // one gemv per row of C (small.go)
	routePacked              // packed and blocked (packed.go)
)

// gemmPlan is how one Gemm call runs: its route and, when it is packed or
// a gemv, into how many parts (at most) it is split: a packed product over
// the rows of C or its columns, a gemv as Gemv splits it (gemvOf).
type gemmPlan struct {
	route route
	parts int
	rows  bool
}

// planGemm decides how to compute C = alpha·op(A)·op(B) + beta·C for an
// m×n×kk product with m, n > 0, on kernels k. threads is asked
// only for a product large enough to be split (it takes a lock).
func planGemm(k asm.Kernels, threads func() int, tA, tB Transpose, m, n, kk int, alpha float32, a, b, c *Dense) gemmPlan {
	bl := k.Blocks()
	return planOf(&bl, threads, tA, tB, m, n, kk, alpha == 0, a.Stride, b.Stride, c.Stride)
}

// planOf is planGemm for either precision, under the block sizes *bl of
// that precision's micro-kernel, for operands of strides sa, sb and sc and
// an alpha that is zero or not. bl is a pointer so that the arguments fit
// the registers: planOf runs on every call, the smallest included.
func planOf(bl *asm.Blocks, threads func() int, tA, tB Transpose, m, n, kk int, alphaZero bool, sa, sb, sc int) gemmPlan {
	switch {
	case alphaZero || kk == 0:
		return gemmPlan{route: routeScale}
	case m == 1 && contiguous(sa, tA == Trans, kk):
		// op(B) has n·kk elements: a large layer fed one sample reads
		// them as fast as Gemv does, on every thread.
		return gemmPlan{route: routeGemvM1, parts: planGemv(threads, n, kk)}
	case n == 1 && contiguous(sb, tB == NoTrans, kk) && contiguous(sc, true, m):
		return gemmPlan{route: routeGemvN1, parts: planGemv(threads, m, kk)}
	case kk == 1 && contiguous(sa, tA == NoTrans, m) && contiguous(sb, tB == Trans, n):
		return gemmPlan{route: routeGer}
	}
	size := macs(m, n, kk)
	if tA == NoTrans && (size <= tinyMACs || tB == Trans && (m <= bl.MR || n <= bl.NR/2) && size < parallelMACs) {
		// Tiny products, and A·Bᵀ with C at most a tile tall or half a
		// tile wide, where packing would pad the tiles mostly with zeros:
		// the output layer of a classifier, C = X·Wᵀ with few classes.
		return gemmPlan{route: routeRows}
	}
	p := gemmPlan{route: routePacked, parts: 1}
	if size >= parallelMACs {
		p.parts, p.rows = split(*bl, threads(), m, n)
	}
	return p
}

// split returns into how many parts, at most threads, a packed m×n product
// is split, and whether over the rows of C (true) or its columns. Parts are
// whole tiles. Rows are preferred: the parts then share the packing of
// op(B), each packing its own rows of op(A), so nothing is packed twice.
// When C has fewer tile rows than threads, the columns are split, and each
// part packs all of op(A).
func split(bl asm.Blocks, threads, m, n int) (parts int, rows bool) {
	if threads < 2 {
		return 1, false
	}
	tm, tn := ceilDiv(m, bl.MR), ceilDiv(n, bl.NR)
	if tm >= threads || tm >= tn {
		return min(threads, tm), true
	}
	return min(threads, tn), false
}

// planGemv returns how many parts a Gemv of an m×n matrix is split into.
func planGemv(threads func() int, m, n int) int {
	if m*n < parallelGemv { // m·n ≤ len(A.Data): no overflow
		return 1
	}
	return max(1, threads())
}

// planVector returns how many parts an operation on vectors of n elements
// is split into: whole chunks of dotChunk.
func planVector(threads func() int, n int) int {
	if n < parallelVector {
		return 1
	}
	return max(1, min(threads(), ceilDiv(n, dotChunk)))
}

// macs returns m·n·k, or the largest int if that overflows.
func macs(m, n, k int) int {
	const limit = math.MaxInt
	mn := m * n // m·n elements of C: no overflow
	if k != 0 && mn > limit/k {
		return limit
	}
	return mn * k
}

// contiguous reports whether the first n elements of the first row of a
// matrix of the given stride, or of its first column when col is true, lie
// one after another in memory: a column does only when the matrix has one
// row or a stride of 1.
func contiguous(stride int, col bool, n int) bool {
	return !col || n <= 1 || stride == 1
}

// span returns part i of p of the range [0, n) cut at multiples of step:
// whole steps are dealt as evenly as possible, the last part ends at n.
func span(i, p, n, step int) (lo, hi int) {
	steps := ceilDiv(n, step)
	lo = i * steps / p * step
	hi = min((i+1)*steps/p*step, n)
	return lo, hi
}

func ceilDiv(n, d int) int { return (n + d - 1) / d }
