package mat

import (
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pente-go/pente/mat/asm"
)

// testJob is a job for the pool's tests: each part goes through rounds
// barriers, meeting the others at t.wait, and calls act, if set, before
// each barrier and after the last (round == rounds). It counts the parts
// that started and returned, and checks at every barrier that all parts
// arrived.
type testJob struct {
	rounds  int
	act     func(t *team, part, round int)
	started atomic.Int32
	exited  atomic.Int32
	parts   atomic.Int32 // t.parts, as the parts saw it
	counts  []atomic.Int32
	bad     atomic.Int32 // barriers passed before every part arrived
}

func newTestJob(rounds int, act func(t *team, part, round int)) *testJob {
	return &testJob{rounds: rounds, act: act, counts: make([]atomic.Int32, rounds)}
}

func (j *testJob) run(t *team, i int) {
	j.started.Add(1)
	defer j.exited.Add(1)
	j.parts.Store(int32(t.parts))
	for r := range j.rounds {
		if j.act != nil {
			j.act(t, i, r)
		}
		j.counts[r].Add(1)
		t.wait()
		if j.counts[r].Load() != int32(t.parts) {
			j.bad.Add(1)
		}
	}
	if j.act != nil {
		j.act(t, i, j.rounds)
	}
}

// runRecover runs j in up to parts parts and returns what runParallel
// panicked with, or nil.
func runRecover(j job, parts int) (v any) {
	defer func() { v = recover() }()
	runParallel(j, parts)
	return nil
}

// settle waits up to timeout for cond to hold, polling, and reports whether
// it did.
func settle(timeout time.Duration, cond func() bool) bool {
	for end := time.Now().Add(timeout); ; time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

func poolWorkers() (workers, idle int) {
	pool.Lock()
	defer pool.Unlock()
	return pool.workers, len(pool.idle)
}

func freeWorkspaces() int {
	workspaces.Lock()
	defer workspaces.Unlock()
	return len(workspaces.free)
}

// indexOutOfRange panics with the runtime's error for s[i].
func indexOutOfRange(i int) {
	var s []int
	_ = s[i]
}

var errPart2 = errors.New("part 2 failed")

// TestPoolPanics checks that a panic in any part of a split job, with or
// without barriers, reaches the caller with its value once every part has
// returned, and that the pool works as before afterwards, with no
// goroutine left behind.
func TestPoolPanics(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	runParallel(newTestJob(1, nil), 4) // hire the workers before counting
	before := runtime.NumGoroutine()
	const parts = 4
	var runtimeErr runtime.Error
	func() {
		defer func() { runtimeErr = recover().(runtime.Error) }()
		indexOutOfRange(5)
	}()
	cases := []struct {
		name   string
		rounds int
		panics func(t *team, part, round int) bool
		value  any
	}{
		{"part 0, no barrier", 0, func(t *team, i, r int) bool { return i == 0 }, "part 0"},
		{"part 0, before the first barrier", 3, func(t *team, i, r int) bool { return i == 0 && r == 0 }, "part 0"},
		{"part 0, before the third barrier", 3, func(t *team, i, r int) bool { return i == 0 && r == 2 }, "part 0"},
		{"part 0, after the barriers", 3, func(t *team, i, r int) bool { return i == 0 && r == 3 }, "part 0"},
		{"last part, no barrier", 0, func(t *team, i, r int) bool { return i == t.parts-1 }, "last part"},
		{"last part, before the first barrier", 3, func(t *team, i, r int) bool { return i == t.parts-1 && r == 0 }, "last part"},
		{"last part, before the second barrier", 3, func(t *team, i, r int) bool { return i == t.parts-1 && r == 1 }, "last part"},
		{"part 1, after the barriers", 2, func(t *team, i, r int) bool { return i == 1 && r == 2 }, "part 1"},
		{"every part, no barrier", 0, func(t *team, i, r int) bool { return true }, "every part"},
		{"every part, before a barrier", 2, func(t *team, i, r int) bool { return r == 1 }, "every part"},
		{"runtime error in part 1", 2, func(t *team, i, r int) bool { return i == 1 && r == 1 }, runtimeErr},
		{"an error in part 2", 1, func(t *team, i, r int) bool { return i == 2 }, errPart2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for rep := range 20 {
				j := newTestJob(tc.rounds, func(tm *team, i, r int) {
					if rep%2 == 1 && i != 0 {
						time.Sleep(100 * time.Microsecond) // longer than a spin: the others park
					}
					if tc.panics(tm, i, r) {
						if _, ok := tc.value.(runtime.Error); ok {
							indexOutOfRange(5)
						}
						panic(tc.value)
					}
				})
				v := runRecover(j, parts)
				if v != tc.value {
					t.Fatalf("runParallel panicked with %v (%T), want %v", v, v, tc.value)
				}
				if _, ok := tc.value.(runtime.Error); ok {
					if re, ok := v.(runtime.Error); !ok || re.Error() != runtimeErr.Error() {
						t.Fatalf("runParallel panicked with %#v, want the runtime error %q", v, runtimeErr.Error())
					}
				}
				if s, e := j.started.Load(), j.exited.Load(); s != e || s != j.parts.Load() {
					t.Fatalf("%d parts of %d started and %d returned before runParallel did", s, j.parts.Load(), e)
				}
			}
		})
	}
	// The pool still works, and nothing was left running.
	j := newTestJob(5, nil)
	runParallel(j, parts)
	if p := j.parts.Load(); j.exited.Load() != p || j.bad.Load() != 0 || p < 2 {
		t.Fatalf("after the panics: %d of %d parts returned, %d barriers broken", j.exited.Load(), p, j.bad.Load())
	}
	if !settle(2*time.Second, func() bool { return runtime.NumGoroutine() <= before }) {
		t.Errorf("%d goroutines after the panics, %d before", runtime.NumGoroutine(), before)
	}
	if !settle(time.Second, func() bool { return queued.Load() == 0 }) {
		t.Errorf("queued = %d with nothing running", queued.Load())
	}
}

// TestPoolGoexit checks runtime.Goexit in a part: on a worker, the caller
// panics with errGoexit and the worker leaves the pool; on the caller, the
// caller's goroutine ends only after the other parts returned.
func TestPoolGoexit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	j := newTestJob(1, func(tm *team, i, r int) {
		if i == 1 && r == 0 {
			runtime.Goexit()
		}
	})
	if v := runRecover(j, 3); v != errGoexit {
		t.Fatalf("runParallel panicked with %v, want %v", v, errGoexit)
	}
	if j.started.Load() != j.exited.Load() {
		t.Fatalf("%d parts started, %d returned", j.started.Load(), j.exited.Load())
	}
	j = newTestJob(1, func(tm *team, i, r int) {
		if i == 0 && r == 0 {
			runtime.Goexit()
		}
		if i != 0 {
			time.Sleep(time.Millisecond)
		}
	})
	done := make(chan int32)
	go func() {
		defer func() { done <- j.exited.Load() }()
		runParallel(j, 3)
	}()
	if n := <-done; n != j.parts.Load() {
		t.Fatalf("the caller's goroutine ended with %d of %d parts returned", n, j.parts.Load())
	}
	j = newTestJob(3, nil)
	runParallel(j, 3)
	if j.bad.Load() != 0 || j.exited.Load() != j.parts.Load() {
		t.Fatal("the pool does not work after Goexit")
	}
}

// TestPoolBarrier runs jobs whose parts arrive at the barrier and at the
// end at random times, some within a spin and some long after, so that
// the parts and the caller sometimes park: every barrier must hold every
// part, and every job end.
func TestPoolBarrier(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	reps := 200
	if testing.Short() {
		reps = 50
	}
	r := rand.New(rand.NewPCG(1, 2))
	var mu sync.Mutex
	delay := func() time.Duration {
		mu.Lock()
		defer mu.Unlock()
		switch r.IntN(4) {
		case 0:
			return time.Duration(r.IntN(300)) * time.Microsecond
		case 1:
			return time.Duration(r.IntN(20)) * time.Microsecond
		}
		return 0
	}
	for rep := range reps {
		j := newTestJob(1+rep%4, func(t *team, i, r int) {
			if d := delay(); d > 0 {
				time.Sleep(d)
			}
		})
		runParallel(j, 2+rep%3)
		if j.bad.Load() != 0 || j.exited.Load() != j.parts.Load() {
			t.Fatalf("rep %d: %d barriers passed early, %d of %d parts returned", rep, j.bad.Load(), j.exited.Load(), j.parts.Load())
		}
	}
	if !settle(time.Second, func() bool { return queued.Load() == 0 }) {
		t.Errorf("queued = %d with nothing running", queued.Load())
	}
}

// waitForWorkers waits until the pool has at most limit workers: those
// hired at a larger GOMAXPROCS by earlier tests leave after idleTimeout.
func waitForWorkers(t *testing.T, limit int) {
	t.Helper()
	if !settle(4*idleTimeout, func() bool { w, _ := poolWorkers(); return w <= limit }) {
		w, _ := poolWorkers()
		t.Fatalf("%d workers in the pool after %v, want at most %d", w, 4*idleTimeout, limit)
	}
	pool.Lock()
	pool.most = pool.workers
	pool.Unlock()
}

// TestPoolBound runs more concurrent jobs than processors, each asking for
// more parts than GOMAXPROCS: there are never more than GOMAXPROCS-1
// workers, every job gets at most GOMAXPROCS parts, and every job ends.
func TestPoolBound(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	waitForWorkers(t, 2)
	var wg sync.WaitGroup
	var most, broken atomic.Int32
	for range 16 {
		wg.Go(func() {
			for range 20 {
				j := newTestJob(2, nil)
				runParallel(j, 8)
				p := j.parts.Load()
				if j.bad.Load() != 0 || j.exited.Load() != p {
					broken.Add(1)
				}
				for m := most.Load(); p > m && !most.CompareAndSwap(m, p); m = most.Load() {
				}
			}
		})
	}
	wg.Wait()
	if broken.Load() != 0 {
		t.Fatalf("%d jobs with a broken barrier or a part unfinished", broken.Load())
	}
	pool.Lock()
	workers := pool.most
	pool.Unlock()
	if workers > 2 || most.Load() > 3 {
		t.Fatalf("GOMAXPROCS=3: up to %d workers and %d parts per job, want at most 2 and 3", workers, most.Load())
	}
}

// TestPoolBurst runs a burst of 128 concurrent callers of Gemm, products
// large enough to be split, and checks that the workers stay within their
// bound during the burst, and that within 10 s after it the goroutines are
// back to their count before it and at most Threads() workspaces are left.
func TestPoolBurst(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer SetThreads(SetThreads(4))
	waitForWorkers(t, 3)
	callers, calls := 128, 2
	if testing.Short() {
		callers, calls = 32, 1
	}
	n := 16
	for n*n*n < parallelMACs {
		n += 16
	}
	r := rand.New(rand.NewPCG(3, 4))
	a, b := NewDense(n, n, nil), NewDense(n, n, nil)
	for i := range a.Data {
		a.Data[i], b.Data[i] = 2*r.Float32()-1, 2*r.Float32()-1
	}
	want := NewDense(n, n, nil)
	Gemm(NoTrans, NoTrans, 1, a, b, 0, want)

	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			c := NewDense(n, n, nil)
			for range calls {
				Gemm(NoTrans, NoTrans, 1, a, b, 0, c)
				if !slices.Equal(c.Data, want.Data) {
					errs <- errors.New("a product of the burst differs from one computed alone")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	pool.Lock()
	most := pool.most
	pool.Unlock()
	if most > 3 {
		t.Errorf("GOMAXPROCS=4: %d workers during the burst, want at most 3", most)
	}
	t.Logf("%d×%d×%d by %d callers: %d workers at most, %d free workspaces after", n, n, n, callers, most, freeWorkspaces())
	idle := time.Now()
	ok := settle(10*time.Second, func() bool {
		return runtime.NumGoroutine() <= before && freeWorkspaces() <= Threads()
	})
	t.Logf("back to %d goroutines and at most %d workspaces %v after the burst", before, Threads(), time.Since(idle).Round(100*time.Millisecond))
	if !ok {
		w, idle := poolWorkers()
		t.Errorf("10 s after the burst: %d goroutines (%d before), %d workers (%d idle), %d free workspaces (want ≤ %d)",
			runtime.NumGoroutine(), before, w, idle, freeWorkspaces(), Threads())
	}
}

// TestWorkspaceSweep checks the sweep of the free list: it drops the
// workspaces no call took since the last sweep, oldest first, and keeps
// Threads() of them.
func TestWorkspaceSweep(t *testing.T) {
	bl := asm.Default().Blocks()
	keep := Threads()
	var ws []*workspace
	for range keep + 6 {
		ws = append(ws, getWorkspace[float32](bl, 8, 8, 8))
	}
	for _, w := range ws {
		putWorkspace(w)
	}
	sweepWorkspaces() // drops those that were free when the timer was armed
	sweepWorkspaces() // and now all that are unused, down to keep
	if n := freeWorkspaces(); n > keep {
		t.Fatalf("%d free workspaces after two sweeps, want at most %d", n, keep)
	}
	// A workspace taken between two sweeps survives the second.
	for range keep + 3 {
		putWorkspace(new(workspace))
	}
	sweepWorkspaces()
	got := getWorkspace[float32](bl, 8, 8, 8)
	putWorkspace(got)
	sweepWorkspaces()
	workspaces.Lock()
	kept := slices.Contains(workspaces.free, got)
	n := len(workspaces.free)
	workspaces.Unlock()
	if !kept || n > keep {
		t.Fatalf("after a sweep: %d free workspaces (want ≤ %d), the one just used kept: %v", n, keep, kept)
	}
}

// TestCgroupCPUs reads CPU quotas from sample cgroup file systems.
func TestCgroupCPUs(t *testing.T) {
	const (
		mountV2 = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
		mountV1 = "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n" +
			"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
			"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
		cgV1 = "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n0::/docker/abc\n"
	)
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for _, tc := range []struct {
		name string
		fs   fstest.MapFS
		want int
	}{
		{"v2 in a namespace, two CPUs", fstest.MapFS{
			"proc/self/cgroup":       file("0::/\n"),
			"proc/self/mountinfo":    file(mountV2),
			"sys/fs/cgroup/cpu.max":  file("200000 100000\n"),
			"sys/fs/cgroup/cpu.stat": file("usage_usec 0\n"),
		}, 2},
		{"v2, no limit", fstest.MapFS{
			"proc/self/cgroup":      file("0::/\n"),
			"proc/self/mountinfo":   file(mountV2),
			"sys/fs/cgroup/cpu.max": file("max 100000\n"),
		}, 0},
		{"v2, 1.5 CPUs rounded up", fstest.MapFS{
			"proc/self/cgroup":      file("0::/\n"),
			"proc/self/mountinfo":   file(mountV2),
			"sys/fs/cgroup/cpu.max": file("150000 100000\n"),
		}, 2},
		{"v2, a parent's limit is tighter", fstest.MapFS{
			"proc/self/cgroup":                           file("0::/user.slice/app.scope\n"),
			"proc/self/mountinfo":                        file(mountV2),
			"sys/fs/cgroup/user.slice/app.scope/cpu.max": file("max 100000\n"),
			"sys/fs/cgroup/user.slice/cpu.max":           file("50000 100000\n"),
		}, 1},
		{"v2, the mount's root is the cgroup", fstest.MapFS{
			"proc/self/cgroup":      file("0::/kubepods/pod1/c1\n"),
			"proc/self/mountinfo":   file("30 23 0:26 /kubepods/pod1/c1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"),
			"sys/fs/cgroup/cpu.max": file("400000 100000\n"),
		}, 4},
		{"v1 cpu,cpuacct", fstest.MapFS{
			"proc/self/cgroup":    file(cgV1),
			"proc/self/mountinfo": file(mountV1),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us":  file("300000\n"),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": file("100000\n"),
		}, 3},
		{"v1, no quota", fstest.MapFS{
			"proc/self/cgroup":    file(cgV1),
			"proc/self/mountinfo": file(mountV1),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us":  file("-1\n"),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": file("100000\n"),
		}, 0},
		{"v1 and v2 both limit: the tighter", fstest.MapFS{
			"proc/self/cgroup":    file(cgV1),
			"proc/self/mountinfo": file(mountV1),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us":  file("300000\n"),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": file("100000\n"),
			"sys/fs/cgroup/unified/docker/abc/cpu.max":               file("100000 100000"),
		}, 1},
		{"no mountinfo", fstest.MapFS{
			"proc/self/cgroup":      file("0::/\n"),
			"sys/fs/cgroup/cpu.max": file("200000 100000\n"),
		}, 0},
		{"no cgroup file", fstest.MapFS{}, 0},
		{"malformed", fstest.MapFS{
			"proc/self/cgroup":      file("garbage\n0::\n"),
			"proc/self/mountinfo":   file("1 2 3\n30 23 0:26 / /sys/fs/cgroup rw - cgroup2\n"),
			"sys/fs/cgroup/cpu.max": file("lots 100000\n"),
		}, 0},
	} {
		if got := cgroupCPUs(tc.fs); got != tc.want {
			t.Errorf("%s: cgroupCPUs = %d, want %d", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"max 100000", 0}, {"100000 100000", 1}, {"100001 100000", 2}, {"1 100000", 1},
		{"0 100000", 0}, {"-5 100000", 0}, {"100000 0", 0}, {"100000", 0}, {"", 0},
		{"9223372036854775807 1", 1 << 20}, {"200000 100000 7", 0},
	} {
		if got := parseCPUMax(tc.s); got != tc.want {
			t.Errorf("parseCPUMax(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
	if got := parseCFSQuota("250000\n", "100000\n"); got != 3 {
		t.Errorf("parseCFSQuota(250000, 100000) = %d, want 3", got)
	}
	if got := unescapeMount(`/mnt/a\040b\`); got != `/mnt/a b\` {
		t.Errorf("unescapeMount = %q", got)
	}
	if n := availableCPUs(); n < 1 || n > runtime.NumCPU() {
		t.Errorf("availableCPUs() = %d, NumCPU %d", n, runtime.NumCPU())
	}
	t.Logf("availableCPUs() = %d of %d", availableCPUs(), runtime.NumCPU())
}
