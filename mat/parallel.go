package mat

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Gemm runs on up to [Threads] goroutines. The work is split over the rows
// or the columns of C, never over k, in whole micro-tiles, so every element
// of C is computed by the same instructions in the same order whatever the
// number of threads: results are bitwise identical for any GOMAXPROCS.

// maxThreads is the limit set by SetThreads; 0 means GOMAXPROCS.
var maxThreads atomic.Int32

// SetThreads limits the number of goroutines one Gemm call may use and
// returns the previous limit. n ≤ 0 restores the default, GOMAXPROCS. It is
// the counterpart of torch.set_num_threads or openblas_set_num_threads;
// results do not depend on it.
func SetThreads(n int) (prev int) {
	n = max(n, 0)
	return int(maxThreads.Swap(int32(min(n, 1<<20))))
}

// Threads returns the number of goroutines one large Gemm call uses: the
// limit set by SetThreads, or GOMAXPROCS.
func Threads() int {
	p := runtime.GOMAXPROCS(0)
	if n := int(maxThreads.Load()); n > 0 {
		p = min(p, n)
	}
	return p
}

// parallelFlops is the number of multiply-adds (m·n·k) below which Gemm
// stays on the calling goroutine: handing a part to a worker and meeting it
// again costs about two microseconds, which a smaller product does not win
// back. BenchmarkGemmThreads measured it (avx512, two cores): two threads
// lose up to 96³ and win from 128³ on, by 1.13× there, 1.33× at 192³,
// 1.6× at 256³ and 1.84× at 512³. Tests lower it to force the parallel path
// on small shapes.
var parallelFlops = 112 * 112 * 112

// partition returns how many parts to split an m×n product over, and
// whether to split the rows (true) or the columns of C. Parts are whole
// multiples of the tile, so that splitting changes no tile. Rows are
// preferred: the parts then share the packing of op(B), each packing its
// own rows of op(A), so nothing is packed twice. When C has fewer tile rows
// than threads, the columns are split, and each part packs all of op(A).
func partition(threads, m, n, kk, mr, nr int) (parts int, rows bool) {
	if threads < 2 || m*n*kk < parallelFlops {
		return 1, false
	}
	tm, tn := (m+mr-1)/mr, (n+nr-1)/nr
	if tm >= threads || tm >= tn {
		return min(threads, tm), true
	}
	return min(threads, tn), false
}

// span returns part i of p of the range [0, n) cut at multiples of step:
// whole steps are dealt as evenly as possible, the last part ends at n.
func span(i, p, n, step int) (lo, hi int) {
	steps := (n + step - 1) / step
	lo = i * steps / p * step
	hi = min((i+1)*steps/p*step, n)
	return lo, hi
}

// Handing work to other goroutines, the Go scheduler must be kept from
// putting them on the processor (P) of the goroutine that readied them:
// a goroutine woken by another runs next on the waker's P, and an idle P
// steals it only after a pause, which on a virtual machine can last longer
// than a whole product of n = 256. The parts would then run one after the
// other. So nothing here blocks while a product is under way: each worker
// has a mailbox that it polls for a while after each task before it
// sleeps, and the caller and the parts wait for each other by spinning on
// counters, as OpenBLAS's threads do. Only a worker that has slept pays the
// scheduler's wake-up, on its first task.
//
// Every part goes to a worker of its own, taken from the idle ones or
// started for it: the parts of a Gemm wait for each other at barriers, so
// a part queued behind busy workers, whose own parts waited for it, would
// never run.

// job is an operation split into parts that can run at the same time.
type job interface {
	run(part int)
	teamOf() *team
}

// team is what the parts of a job share: the count of parts not yet done.
type team struct {
	pending atomic.Int32
}

// task is one part of a job, handed to a worker.
type task struct {
	j    job
	part int
}

// worker is a goroutine that lives as long as the program and runs parts
// of jobs, one at a time, from its mailbox.
type worker struct {
	mailbox chan task // holds at most the one task it was given
}

// idle holds the workers waiting for a task. Workers are started when none
// is idle, so there are as many as parts ever ran at once.
var idle struct {
	sync.Mutex
	workers []*worker
	started int // workers ever started
}

// hire returns an idle worker, or a new one.
func hire() *worker {
	idle.Lock()
	var w *worker
	if n := len(idle.workers); n > 0 {
		w = idle.workers[n-1]
		idle.workers = idle.workers[:n-1]
	} else {
		idle.started++
	}
	idle.Unlock()
	if w == nil {
		w = &worker{mailbox: make(chan task, 1)}
		go w.work()
	}
	return w
}

// pollTasks is how many times a worker looks for a task, without
// sleeping, after it finished one: about 200 µs here (measured: 20000
// non-blocking receives on an empty channel take 180–210 µs).
const pollTasks = 20000

func (w *worker) work() {
	for {
		t, ok := task{}, false
		for range pollTasks {
			select {
			case t = <-w.mailbox:
				ok = true
			default:
			}
			if ok {
				break
			}
		}
		if !ok {
			t = <-w.mailbox // sleep until there is work
		}
		t.j.run(t.part)
		// Idle again before the job hears it is done: its caller's next
		// job then finds this worker instead of starting another, which
		// would compete for the processors while it polls.
		idle.Lock()
		idle.workers = append(idle.workers, w)
		idle.Unlock()
		t.j.teamOf().pending.Add(-1)
	}
}

// runParallel runs parts 1..parts-1 of j on workers and part 0 on the
// calling goroutine, and returns when all are done.
func runParallel(j job, parts int) {
	t := j.teamOf()
	t.pending.Store(int32(parts - 1))
	for i := 1; i < parts; i++ {
		hire().mailbox <- task{j, i}
	}
	j.run(0)
	spinUntil(func() bool { return t.pending.Load() == 0 })
}

// spinUntil returns when done() is true, asking it again and again and,
// after a while, yielding the processor between asks, in case the
// goroutine it waits for is queued behind this one.
func spinUntil(done func() bool) {
	for spins := 0; !done(); spins++ {
		if spins > 1000 {
			runtime.Gosched()
		}
	}
}

// barrier is where the parts of a Gemm split over rows wait for each other
// around each shared block of packed op(B). The waits are short, as the
// parts do equal work, so it spins, yielding the processor after a while in
// case there are more goroutines than processors.
type barrier struct {
	parts   int32
	arrived atomic.Int32
	round   atomic.Uint32
}

func (b *barrier) reset(parts int) {
	b.parts = int32(parts)
	b.arrived.Store(0)
}

// wait returns once every part has called it, as often as this one.
func (b *barrier) wait() {
	r := b.round.Load()
	if b.arrived.Add(1) == b.parts {
		b.arrived.Store(0)
		b.round.Add(1)
		return
	}
	spinUntil(func() bool { return b.round.Load() != r })
}
