package mat

import (
	"sync"
	"unsafe"

	"github.com/pente-go/pente/mat/asm"
)

// workspace holds the packing buffers of one goroutine working on one Gemm
// call.
type workspace struct {
	a, b, tile []float32
}

// workspaces is the free list of workspaces: one for each goroutine that
// was ever packing at the same time as others. Unlike a sync.Pool, it is
// never emptied by the garbage collector, so a steady stream of calls, on
// any number of threads, does not allocate (a large product's workspace is
// megabytes).
var workspaces struct {
	sync.Mutex
	free []*workspace
}

// getWorkspace returns a workspace with room for the packed blocks of an
// m×n×kk product under k's block sizes.
func getWorkspace(bl asm.Blocks, m, n, kk int) *workspace {
	workspaces.Lock()
	var ws *workspace
	if last := len(workspaces.free) - 1; last >= 0 {
		ws = workspaces.free[last]
		workspaces.free = workspaces.free[:last]
	}
	workspaces.Unlock()
	if ws == nil {
		ws = new(workspace)
	}
	kc := min(bl.KC, kk)
	ws.a = grow(ws.a, min(bl.MC, roundUp(m, bl.MR))*kc)
	ws.b = grow(ws.b, min(bl.NC, roundUp(n, bl.NR))*kc)
	ws.tile = grow(ws.tile, bl.MR*bl.NR)
	return ws
}

func putWorkspace(ws *workspace) {
	workspaces.Lock()
	workspaces.free = append(workspaces.free, ws)
	workspaces.Unlock()
}

func roundUp(n, to int) int { return ceilDiv(n, to) * to }

// cacheLine is the alignment of packing buffers, so that the micro-kernel's
// vector loads of a panel never straddle a cache line.
const cacheLine = 64

// grow returns s resliced to n elements if it has the room, or else a new
// slice of n elements whose first element is cache-line aligned.
func grow(s []float32, n int) []float32 {
	if cap(s) >= n {
		return s[:n]
	}
	const pad = cacheLine / 4
	buf := make([]float32, n+pad)
	skip := (cacheLine - int(uintptr(unsafe.Pointer(unsafe.SliceData(buf)))%cacheLine)) % cacheLine / 4
	return buf[skip : skip+n : skip+n]
}
