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
func packA(mr int, tA Transpose, a *Dense, i0, p0, mc, kc int, dst []float32) {
	packB(mr, 1-tA, a, p0, i0, kc, mc, dst) // 1-tA: the other Transpose
}

// packB copies the kc×nc block of op(B) starting at (p0, j0) into dst as
// NR-column micro-panels: panel s holds columns s·NR..s·NR+NR-1 row by row,
// dst[s·NR·kc + l·NR + j] = op(B)(p0 + l, j0 + s·NR + j). Columns past nc
// are zero.
func packB(nr int, tB Transpose, b *Dense, p0, j0, kc, nc int, dst []float32) {
	ldb := b.Stride
	for s := 0; s < nc; s += nr {
		w := min(nr, nc-s)
		panel := dst[s*kc : s*kc+kc*nr]
		if tB == NoTrans {
			// op(B)(l, j) = B(l, j): each row of the panel is a
			// contiguous piece of a row of B.
			for l := 0; l < kc; l++ {
				src := b.Data[(p0+l)*ldb+j0+s:]
				row := panel[l*nr : l*nr+nr]
				copy(row, src[:w])
				clear(row[w:])
			}
			continue
		}
		// op(B)(l, j) = B(j, l): each column of the panel is a contiguous
		// piece of a row of B, scattered with stride NR.
		for j := 0; j < w; j++ {
			src := b.Data[(j0+s+j)*ldb+p0:]
			src = src[:kc]
			for l, v := range src {
				panel[l*nr+j] = v
			}
		}
		for j := w; j < nr; j++ {
			for l := 0; l < kc; l++ {
				panel[l*nr+j] = 0
			}
		}
	}
}

// workspace holds the packing buffers of one Gemm call. Workspaces are
// pooled, so a steady stream of calls does not allocate.
type workspace struct {
	a, b, tile []float32
}

var workspaces sync.Pool

// getWorkspace returns a workspace with room for the packed blocks of an
// m×n×kk product under k's block sizes.
func getWorkspace(k *asm.Kernels, m, n, kk int) *workspace {
	ws, _ := workspaces.Get().(*workspace)
	if ws == nil {
		ws = new(workspace)
	}
	kc := min(k.KC, kk)
	ws.a = grow(ws.a, min(k.MC, roundUp(m, k.MR))*kc)
	ws.b = grow(ws.b, min(k.NC, roundUp(n, k.NR))*kc)
	ws.tile = grow(ws.tile, k.MR*k.NR)
	return ws
}

func putWorkspace(ws *workspace) { workspaces.Put(ws) }

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
