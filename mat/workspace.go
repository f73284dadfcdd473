package mat

import (
	"sync"
	"time"
	"unsafe"

	"github.com/pente-go/pente/mat/asm"
)

// workspace holds the packing buffers of one goroutine working on one Gemm
// call, in either precision: they are held as float64s, and a float32
// product uses each as twice as many float32s (elems), so that one free
// list serves both.
type workspace struct {
	a, b, tile []float64
}

// workspaces is the free list of workspaces, a stack: one for each
// goroutine that was packing at the same time as others, lately. Unlike a
// sync.Pool, the garbage collector does not empty it, so a steady stream
// of calls, on any number of threads, does not allocate (a large product's
// workspace is megabytes). But a workspace that no call took for
// idleTimeout (pool.go) is dropped, down to Threads() of them, so that a
// burst of concurrent callers does not hold its memory for good: the first
// workspace returned after a sweep arms a timer that sweeps the list
// idleTimeout later, and it sweeps again while more than Threads() are
// left, calls or none.
var workspaces struct {
	sync.Mutex
	free []*workspace

	// unused is how many workspaces at the bottom of free no call took
	// since the sweep timer was armed: the fewest there were since then.
	unused int
	sweep  *time.Timer
	armed  bool
}

// getWorkspace returns a workspace with room for the packed blocks of an
// m×n×kk product of elements of type T under the block sizes bl.
func getWorkspace[T elem](bl asm.Blocks, m, n, kk int) *workspace {
	workspaces.Lock()
	var ws *workspace
	if last := len(workspaces.free) - 1; last >= 0 {
		ws = workspaces.free[last]
		workspaces.free[last] = nil
		workspaces.free = workspaces.free[:last]
		workspaces.unused = min(workspaces.unused, last)
	}
	workspaces.Unlock()
	if ws == nil {
		ws = new(workspace)
	}
	kc := min(bl.KC, kk)
	ws.a = grow(ws.a, words[T](min(bl.MC, roundUp(m, bl.MR))*kc))
	ws.b = grow(ws.b, words[T](min(bl.NC, roundUp(n, bl.NR))*kc))
	ws.tile = grow(ws.tile, words[T](bl.MR*bl.NR))
	return ws
}

// putWorkspace returns ws to the free list.
func putWorkspace(ws *workspace) {
	workspaces.Lock()
	workspaces.free = append(workspaces.free, ws)
	if !workspaces.armed {
		armSweep()
	}
	workspaces.Unlock()
}

// armSweep sets the timer of sweepWorkspaces, holding workspaces' lock.
func armSweep() {
	workspaces.armed = true
	workspaces.unused = len(workspaces.free)
	if workspaces.sweep == nil {
		workspaces.sweep = time.AfterFunc(idleTimeout, sweepWorkspaces)
	} else {
		workspaces.sweep.Reset(idleTimeout)
	}
}

// sweepWorkspaces drops the workspaces that no call took since the timer
// was armed, the oldest first, but never below Threads() of them, and
// arms the timer again while more than that are left.
func sweepWorkspaces() {
	keep := Threads()
	workspaces.Lock()
	defer workspaces.Unlock()
	free := workspaces.free
	if drop := min(workspaces.unused, len(free)-keep); drop > 0 {
		n := copy(free, free[drop:])
		clear(free[n:])
		workspaces.free = free[:n]
	}
	workspaces.armed = false
	if len(workspaces.free) > keep {
		armSweep()
	}
}

func roundUp(n, to int) int { return ceilDiv(n, to) * to }

// cacheLine is the alignment of packing buffers, so that the micro-kernel's
// vector loads of a panel never straddle a cache line.
const cacheLine = 64

// grow returns s resliced to n elements if it has the room, or else a new
// slice of n elements whose first element is cache-line aligned.
func grow(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	const pad = cacheLine / 8
	buf := make([]float64, n+pad)
	skip := (cacheLine - int(uintptr(unsafe.Pointer(unsafe.SliceData(buf)))%cacheLine)) % cacheLine / 8
	return buf[skip : skip+n : skip+n]
}

// words returns how many float64s hold n elements of type T.
func words[T elem](n int) int {
	return ceilDiv(n*int(unsafe.Sizeof(T(0))), 8)
}

// elems returns the memory of buf as elements of type T: as many float32s
// as would fill it, or buf itself for float64. The memory holds no
// pointers, so either reading of it is sound.
func elems[T elem](buf []float64) []T {
	n := len(buf) * 8 / int(unsafe.Sizeof(T(0)))
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(buf))), n)
}
