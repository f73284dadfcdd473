package mat

import (
	"runtime"
	"sync"
	"sync/atomic"
)

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

// job is an operation split into parts that run at the same time.
type job interface {
	// run computes part i of t.parts. The parts may meet at t.wait.
	run(t *team, i int)
}

// team is what the parts of one runParallel call share.
type team struct {
	parts   int          // how many parts the job is split into
	pending atomic.Int32 // parts not yet done
	bar     barrier
}

// wait returns once every part of the team has called it as often as
// this one: the parts of a Gemm meet so around each shared block.
func (t *team) wait() { t.bar.wait() }

var teams = sync.Pool{New: func() any { return new(team) }}

// task is one part of a job, handed to a worker.
type task struct {
	j    job
	t    *team
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
		t.j.run(t.t, t.part)
		// Idle again before the job hears it is done: its caller's next
		// job then finds this worker instead of starting another, which
		// would compete for the processors while it polls.
		idle.Lock()
		idle.workers = append(idle.workers, w)
		idle.Unlock()
		t.t.pending.Add(-1)
	}
}

// runParallel runs j split into up to want parts, parts 1.. on workers
// and part 0 on the calling goroutine, and returns when all are done.
func runParallel(j job, want int) {
	t := teams.Get().(*team)
	t.parts = want
	t.bar.reset(want)
	t.pending.Store(int32(want - 1))
	for i := 1; i < want; i++ {
		hire().mailbox <- task{j, t, i}
	}
	j.run(t, 0)
	spinUntil(func() bool { return t.pending.Load() == 0 })
	teams.Put(t)
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
