package mat

import (
	"sync"
	"unsafe"

	"github.com/pente-go/pente/mat/asm"
)

// packA copies the mc×kc block of op(A) starting at (i0, p0) into dst as
// MR-row micro-panels: panel r holds rows r·MR..r·MR+MR-1 column by column,
// dst[r·MR·kc + l·MR + i] = op(A)(i0 + r·MR + i, p0 + l). Rows past mc are
// zero, so the micro-kernel can always compute whole tiles.
//
// Read column by column, an MR-row panel of op(A) is an MR-column panel of
// op(A)ᵀ read row by row, so packA is packB of the transpose.
func packA(k *asm.Kernels, tA Transpose, a *Dense, i0, p0, mc, kc int, dst []float32) {
	packPanels(k, k.Blocks().MR, 1-tA, a, p0, i0, kc, mc, dst) // 1-tA: the other Transpose
}

// packB copies the kc×nc block of op(B) starting at (p0, j0) into dst as
// NR-column micro-panels: panel s holds columns s·NR..s·NR+NR-1 row by row,
// dst[s·NR·kc + l·NR + j] = op(B)(p0 + l, j0 + s·NR + j). Columns past nc
// are zero.
func packB(k *asm.Kernels, tB Transpose, b *Dense, p0, j0, kc, nc int, dst []float32) {
	packPanels(k, k.Blocks().NR, tB, b, p0, j0, kc, nc, dst)
}

// packPanels is packB with micro-panels nr columns wide, packed by k's
// packers: PackRows when op(B) = B, PackCols, a transpose, when op(B) = Bᵀ.
// Only the last panel of a block can be narrower than nr.
func packPanels(k *asm.Kernels, nr int, tB Transpose, b *Dense, p0, j0, kc, nc int, dst []float32) {
	ldb := b.Stride
	for s := 0; s < nc; s += nr {
		w := min(nr, nc-s)
		panel := dst[s*kc : s*kc+kc*nr]
		if tB == NoTrans {
			// op(B)(l, j) = B(l, j): each row of the panel is a
			// contiguous piece of a row of B.
			k.PackRows(kc, w, nr, b.Data[p0*ldb+j0+s:], ldb, panel)
		} else {
			// op(B)(l, j) = B(j, l): each column of the panel is a
			// contiguous piece of a row of B.
			k.PackCols(kc, w, nr, b.Data[(j0+s)*ldb+p0:], ldb, panel)
		}
	}
}

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
func getWorkspace(k *asm.Kernels, m, n, kk int) *workspace {
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
	kc := min(k.Blocks().KC, kk)
	ws.a = grow(ws.a, min(k.Blocks().MC, roundUp(m, k.Blocks().MR))*kc)
	ws.b = grow(ws.b, min(k.Blocks().NC, roundUp(n, k.Blocks().NR))*kc)
	ws.tile = grow(ws.tile, k.Blocks().MR*k.Blocks().NR)
	return ws
}

func putWorkspace(ws *workspace) {
	workspaces.Lock()
	workspaces.free = append(workspaces.free, ws)
	workspaces.Unlock()
}

func roundUp(n, to int) int { return (n + to - 1) / to * to }

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
