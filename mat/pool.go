package mat

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The pool runs the parts of a split operation at the same time: part 0 on
// the calling goroutine, the others on workers.
//
// Waiting spins, then parks. A goroutine that another wakes is queued on
// the waker's processor (P), and an idle P takes it from there only after
// a pause, which on a virtual machine can outlast a whole product of
// n = 256: parts handed over by blocking calls ran one after the other. So
// every wait first spins on the CPU, asking whether it is over: the caller
// waiting for the parts, the parts meeting at the barrier, an idle worker
// polling its mailbox for the next task of a stream. The parts do equal
// work, so these waits are short when every part has a CPU. A wait that
// lasts longer than spinWait (pollWait for an idle worker) means that the
// CPU is wanted elsewhere, by other goroutines or other processes: the
// waiter parks, on the team's condition variable or on its mailbox, and
// its thread leaves the CPU to them until it is woken.
//
// A spin does not yield its P (runtime.Gosched) as a rule: with more Ps
// than busy CPUs, each yield wakes an idle P's thread to look for work,
// which takes CPU time from the parts. It yields only while one of the
// pool's goroutines waits on a run queue (queued): one woken from parking
// and not yet running, or one that yielded, which may be the goroutine
// the spin waits for, stuck behind it on its P. A goroutine that wakes
// another yields once at once (handOver), so that the woken one runs on
// its P without the pause.
//
// The parts of a job run at once, never queued behind each other, since
// those of a Gemm wait for each other at barriers. So each part gets a
// worker of its own, idle or new. There are at most GOMAXPROCS-1 workers:
// no more than GOMAXPROCS goroutines run at a time, and no operation is
// split into more parts than Threads() ≤ GOMAXPROCS. When no worker can be
// had, the job runs in fewer parts, as many as there are workers and the
// caller: jobs read t.parts, and results do not depend on it. A worker
// parked for idleTimeout without a task exits; so that a burst of
// concurrent callers leaves nothing behind, workspace.go drops unused
// workspaces after the same period.
//
// A panic in a part reaches the caller. The part that panics records the
// value and aborts the team: parts waiting at the barrier, or arriving at
// it, unwind with an internal panic (abortPart) that their runner
// recovers. The caller waits until every part has returned, so none still
// touches the job's memory, and panics with the first part's value (its
// own, if part 0 panicked). The workers stay in the pool.

const (
	// spinWait is how long the caller and the parts spin, waiting for each
	// other, before they park: long enough for the few microseconds by
	// which equal parts finish apart, short beside the time slice of a
	// busy CPU (BenchmarkGemmOversubscribed, BenchmarkGemmConcurrent).
	spinWait = 50 * time.Microsecond

	// pollWait is how long a worker polls its mailbox after a task before
	// it parks: the next task of a stream of products then finds it
	// running, without the scheduler's wake-up (BenchmarkGemmOversubscribed
	// at n = 128).
	pollWait = 50 * time.Microsecond

	// idleTimeout is how long a parked worker waits for a task before it
	// exits, and a free workspace for a call before it is dropped: long
	// beside the gaps between the calls of a program at work, so that it
	// keeps its workers, short enough that a burst is soon forgotten.
	idleTimeout = time.Second

	// spinChecks is how many times a spinning wait asks whether it is
	// over between two readings of the clock.
	spinChecks = 32
)

// job is an operation split into parts that run at the same time.
type job interface {
	// run computes part i of t.parts. The parts may meet at t.wait.
	run(t *team, i int)
}

// team is what the parts of one runParallel call share.
type team struct {
	parts int // how many parts the job is split into

	pending  atomic.Int32  // parts on workers not yet done
	arrived  atomic.Int32  // parts at the barrier in this round
	round    atomic.Uint32 // rounds of the barrier completed
	aborted  atomic.Bool   // a part panicked: no part passes the barrier
	sleepers atomic.Int32  // goroutines parked on cond, or about to be

	// mu guards failure and orders parking: a waiter counts itself in
	// sleepers, then tests its condition, holding mu; whoever changes a
	// condition does so first, then, if it finds sleepers, takes them all
	// (counting them in queued) and wakes cond, holding mu. With
	// sequentially consistent atomics, either the waiter sees the change
	// or the changer sees the waiter.
	mu      sync.Mutex
	cond    sync.Cond
	failure any // the first panic value of a part

	ran  bool      // part 0 returned
	crew []*worker // the workers hired for parts 1.., while handing out
}

var teams = sync.Pool{New: func() any {
	t := new(team)
	t.cond.L = &t.mu
	return t
}}

// abortPart is the panic with which parts leave the barrier of a team
// whose part panicked.
type abortPart struct{}

// errGoexit is what the caller panics with when a part ran
// runtime.Goexit: the job was left unfinished.
var errGoexit = errors.New("mat: a part of a split operation called runtime.Goexit")

// wait returns once every part of the team has called it as often as
// this one: the parts of a Gemm meet so around each shared block. If a
// part of the team panics, wait unwinds its part instead.
func (t *team) wait() {
	r := t.round.Load()
	if t.aborted.Load() {
		panic(abortPart{})
	}
	if t.arrived.Add(1) == int32(t.parts) {
		t.arrived.Store(0)
		t.round.Add(1)
		t.wake()
		return
	}
	t.await(func() bool { return t.round.Load() != r || t.aborted.Load() })
	if t.round.Load() == r {
		panic(abortPart{})
	}
}

// await returns once done() is true. It spins for up to spinWait, then
// parks until a change wakes it. While one of the pool's goroutines waits
// on a run queue (queued), the spin yields the processor every spinChecks
// asks, so that it can run here: it may be the one this one waits for.
// Otherwise it does not, since at GOMAXPROCS above the CPUs in use each
// yield would wake an idle P's thread to look for work, taking CPU time
// from the parts.
func (t *team) await(done func() bool) {
	if done() {
		return
	}
	start := time.Now()
	for i := 1; !done(); i++ {
		if i%spinChecks != 0 {
			continue
		}
		if time.Since(start) > spinWait {
			t.park(done)
			return
		}
		if queued.Load() > 0 {
			yield()
		}
	}
}

// park returns once done() is true, parked on cond until then.
func (t *team) park(done func() bool) {
	t.mu.Lock()
	for {
		t.sleepers.Add(1)
		if done() {
			t.sleepers.Add(-1)
			break
		}
		t.cond.Wait()
		queued.Add(-1) // counted by wakeLocked
	}
	t.mu.Unlock()
}

// wake wakes the goroutines parked on the team, if any, after a change of
// what they wait for, and hands over to them.
func (t *team) wake() {
	if t.sleepers.Load() > 0 {
		t.mu.Lock()
		woke := t.wakeLocked()
		t.mu.Unlock()
		if woke {
			handOver()
		}
	}
}

// wakeLocked wakes the goroutines parked on the team, holding mu, and
// reports whether there were any.
func (t *team) wakeLocked() bool {
	n := t.sleepers.Swap(0)
	if n == 0 {
		return false
	}
	queued.Add(n)
	t.cond.Broadcast()
	return true
}

// queued counts the pool's goroutines that wait on a run queue because of
// the pool: woken from parking and not yet running, or yielding in a spin.
var queued atomic.Int32

// yield gives up the processor for a moment, counted in queued.
func yield() {
	queued.Add(1)
	runtime.Gosched()
	queued.Add(-1)
}

// handOver lets the goroutines that this one has just woken run at once.
// A woken goroutine is queued first on its waker's P, which another P may
// take it from only after a pause; yielding runs it here now, and puts
// this one on the global queue, which the P woken for it takes from
// without a pause.
func handOver() { yield() }

// fail records the panic value v of a part, unless it is abortPart or a
// part failed before, and releases the parts waiting at the barrier.
func (t *team) fail(v any) {
	t.mu.Lock()
	if _, ok := v.(abortPart); !ok && t.failure == nil {
		t.failure = v
	}
	t.aborted.Store(true)
	woke := t.wakeLocked()
	t.mu.Unlock()
	if woke {
		handOver()
	}
}

// partDone is the last thing a worker's part does with the team. It
// reports whether it woke the caller.
func (t *team) partDone() (woke bool) {
	t.mu.Lock()
	if t.pending.Add(-1) == 0 {
		woke = t.wakeLocked()
	}
	t.mu.Unlock()
	return woke
}

// join returns once every part on a worker is done with the team.
func (t *team) join() {
	t.await(func() bool { return t.pending.Load() == 0 })
	// The last part may still hold mu, in partDone, after its count.
	t.mu.Lock()
	t.mu.Unlock()
}

// runParallel runs j split into up to want parts, parts 1.. on workers
// and part 0 on the calling goroutine, and returns when all are done. It
// splits j into fewer parts when fewer workers can be had. If a part
// panics, runParallel panics with its value once every part has returned.
func runParallel(j job, want int) {
	t := teams.Get().(*team)
	t.crew = hire(t.crew[:0], want-1)
	t.parts = 1 + len(t.crew)
	t.pending.Store(int32(len(t.crew)))
	t.arrived.Store(0)
	t.aborted.Store(false)
	t.failure, t.ran = nil, false
	woke := false
	for i, w := range t.crew {
		if w.parked.CompareAndSwap(true, false) {
			queued.Add(1) // until the worker runs
			woke = true
		}
		w.mailbox <- task{j, t, i + 1}
		t.crew[i] = nil
	}
	if woke {
		handOver()
	}
	defer t.finish()
	j.run(t, 0)
	t.ran = true
}

// finish ends runParallel, deferred: it waits for the parts on workers
// and panics with the value of a part that panicked. When part 0 itself
// panicked, it first releases the others from the barrier.
func (t *team) finish() {
	var own any // part 0's panic, unless abortPart
	if !t.ran {
		v := recover()
		if v == nil { // runtime.Goexit on the caller: let it go on
			t.fail(errGoexit)
			t.join()
			return
		}
		if _, ok := v.(abortPart); !ok {
			own = v
		}
		t.fail(v)
	}
	t.join()
	failure := t.failure
	t.failure = nil
	teams.Put(t)
	if own != nil {
		panic(own)
	}
	if failure != nil {
		panic(failure)
	}
}

// task is one part of a job, handed to a worker.
type task struct {
	j    job
	t    *team
	part int
}

// worker is a goroutine that runs parts of jobs, one at a time, from its
// mailbox, and exits after idleTimeout without one.
type worker struct {
	mailbox chan task // holds at most the one task it was given
	timer   *time.Timer
	gone    bool // its part called runtime.Goexit

	// parked is set while the worker blocks on its mailbox, or is about
	// to. A caller that clears it counts the worker in queued, and the
	// worker, finding it cleared, uncounts itself once it runs.
	parked atomic.Bool
}

// pool holds the workers waiting for a task, most recently idle last.
var pool struct {
	sync.Mutex
	idle    []*worker
	workers int // workers running, idle or not
	most    int // the most workers there ever were at once (for tests)
}

// hire appends up to n workers to crew, and never more than GOMAXPROCS-1:
// idle ones first, then new ones while there are fewer than GOMAXPROCS-1.
func hire(crew []*worker, n int) []*worker {
	limit := runtime.GOMAXPROCS(0) - 1
	n = min(n, limit)
	if n <= 0 {
		return crew
	}
	pool.Lock()
	for len(crew) < n && len(pool.idle) > 0 {
		last := len(pool.idle) - 1
		crew = append(crew, pool.idle[last])
		pool.idle[last] = nil
		pool.idle = pool.idle[:last]
	}
	for len(crew) < n && pool.workers < limit {
		w := &worker{mailbox: make(chan task, 1)}
		pool.workers++
		go w.work()
		crew = append(crew, w)
	}
	pool.most = max(pool.most, pool.workers)
	pool.Unlock()
	return crew
}

func (w *worker) work() {
	w.timer = time.NewTimer(idleTimeout)
	w.timer.Stop()
	for {
		tk, ok := w.next()
		if !ok {
			return
		}
		w.run(tk)
		if w.gone {
			return
		}
	}
}

// next returns the worker's next task: it polls the mailbox for pollWait,
// yielding the processor as await does, then parks on it for up to
// idleTimeout, and reports false when the worker has left the pool
// instead.
func (w *worker) next() (task, bool) {
	var tk task
	start := time.Now()
	for i := 0; ; i++ {
		select {
		case tk = <-w.mailbox:
			return tk, true
		default:
		}
		if i%spinChecks == 0 {
			if time.Since(start) > pollWait {
				break
			}
			if queued.Load() > 0 {
				yield()
			}
		}
	}
	w.parked.Store(true)
	w.timer.Reset(idleTimeout)
	select {
	case tk = <-w.mailbox:
		w.timer.Stop()
		w.unpark()
		return tk, true
	case <-w.timer.C:
	}
	pool.Lock()
	i := len(pool.idle) - 1
	for i >= 0 && pool.idle[i] != w {
		i--
	}
	if i >= 0 {
		pool.idle = slices.Delete(pool.idle, i, i+1)
		pool.workers--
	}
	pool.Unlock()
	if i < 0 { // hired as the timer fired: the task is on its way
		tk = <-w.mailbox
		w.unpark()
		return tk, true
	}
	return task{}, false
}

// unpark clears parked once the worker has its task. If the caller found
// it parked first, and counted it in queued, it is running now.
func (w *worker) unpark() {
	if !w.parked.CompareAndSwap(true, false) {
		queued.Add(-1)
	}
}

// run runs a task's part, records its panic in the team, and makes the
// worker idle again before the team hears that the part is done: the
// caller's next job then finds this worker instead of starting another.
func (w *worker) run(tk task) {
	t := tk.t
	ok := false
	defer func() {
		if !ok {
			v := recover()
			if v == nil { // runtime.Goexit: the worker ends with it
				v, w.gone = errGoexit, true
			}
			t.fail(v)
		}
		pool.Lock()
		if w.gone {
			pool.workers--
		} else {
			pool.idle = append(pool.idle, w)
		}
		pool.Unlock()
		if t.partDone() {
			handOver()
		}
	}()
	tk.j.run(t, tk.part)
	ok = true
}
