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
			packRows(panel, nr, b.Data[p0*ldb+j0+s:], ldb, kc, w)
		} else {
			// op(B)(l, j) = B(j, l): each column of the panel is a
			// contiguous piece of a row of B.
			packCols(panel, nr, b.Data[(j0+s)*ldb+p0:], ldb, kc, w)
		}
	}
}

// packRows sets panel[l·nr + j] = src[l·ld + j] for l < kc, j < w, and the
// rest of each nr-wide row of the panel to zero. Whole rows of the common
// widths are copied as arrays, which the compiler turns into a few vector
// moves, instead of one call of copy (memmove) per row.
func packRows(panel []float32, nr int, src []float32, ld, kc, w int) {
	if kc == 0 {
		return
	}
	src = src[:(kc-1)*ld+w]
	if w == nr {
		switch nr {
		case 6:
			for l := 0; l < kc; l++ {
				*(*[6]float32)(panel[l*6:]) = *(*[6]float32)(src[l*ld:])
			}
			return
		case 8:
			for l := 0; l < kc; l++ {
				*(*[8]float32)(panel[l*8:]) = *(*[8]float32)(src[l*ld:])
			}
			return
		case 12:
			for l := 0; l < kc; l++ {
				*(*[12]float32)(panel[l*12:]) = *(*[12]float32)(src[l*ld:])
			}
			return
		case 16:
			for l := 0; l < kc; l++ {
				*(*[16]float32)(panel[l*16:]) = *(*[16]float32)(src[l*ld:])
			}
			return
		case 32:
			for l := 0; l < kc; l++ {
				*(*[32]float32)(panel[l*32:]) = *(*[32]float32)(src[l*ld:])
			}
			return
		}
	}
	for l := 0; l < kc; l++ {
		row := panel[l*nr : l*nr+nr]
		copy(row, src[l*ld:l*ld+w])
		clear(row[w:])
	}
}

// packCols sets panel[l·nr + j] = src[j·ld + l] for l < kc, j < w, and
// columns w..nr-1 of the panel to zero: a transpose. Four rows of src are
// read side by side, so the panel is written four contiguous elements at a
// time.
func packCols(panel []float32, nr int, src []float32, ld, kc, w int) {
	panel = panel[:kc*nr]
	j := 0
	for ; j+4 <= w; j += 4 {
		s0 := src[j*ld : j*ld+kc]
		s1 := src[(j+1)*ld:]
		s2 := src[(j+2)*ld:]
		s3 := src[(j+3)*ld:]
		s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)]
		o := j
		for l, v := range s0 {
			d := (*[4]float32)(panel[o:])
			d[0], d[1], d[2], d[3] = v, s1[l], s2[l], s3[l]
			o += nr
		}
	}
	for ; j < w; j++ {
		s := src[j*ld : j*ld+kc]
		for l, v := range s {
			panel[l*nr+j] = v
		}
	}
	if w < nr {
		for l := 0; l < kc; l++ {
			clear(panel[l*nr+w : l*nr+nr])
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
	kc := min(k.KC, kk)
	ws.a = grow(ws.a, min(k.MC, roundUp(m, k.MR))*kc)
	ws.b = grow(ws.b, min(k.NC, roundUp(n, k.NR))*kc)
	ws.tile = grow(ws.tile, k.MR*k.NR)
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
