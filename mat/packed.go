package mat

import (
	"sync"

	"github.com/pente-go/pente/mat/asm"
)

// The packed driver of Gemm, after BLIS: op(A) and op(B) are packed block
// by block into micro-panels (pack.go) and multiplied tile by tile by the
// micro-kernel. A large product is split into parts over the rows or the
// columns of C, each part a band of whole micro-tiles, run on the pool
// (pool.go).

// gemmJob is one packed Gemm call, split into parts over the rows or the
// columns of C. Jobs are pooled so that a call does not allocate.
type gemmJob[T elem] struct {
	k           kern[T]
	bl          asm.Blocks
	tA, tB      Transpose
	m, n, kk    int
	alpha, beta T
	a, b, c     strided[T]
	rows        bool // split over the rows of C, else over its columns

	// When the parts split the rows of C, they share each packed block
	// of op(B): part i packs the i-th share of its micro-panels into
	// shared.b, and the parts meet at the team's barrier before and after
	// using it.
	shared *workspace
}

var jobs32, jobs64 = sync.Pool{New: func() any { return new(gemmJob[float32]) }},
	sync.Pool{New: func() any { return new(gemmJob[float64]) }}

// poolOf returns p32 for T = float32, p64 for float64.
func poolOf[T elem](p32, p64 *sync.Pool) *sync.Pool {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return p32
	}
	return p64
}

// gemmPacked computes C = alpha·op(A)·op(B) + beta·C for m, n, k > 0 by
// packing, split as p says.
func gemmPacked[T elem](k kern[T], p gemmPlan, tA, tB Transpose, m, n, kk int, alpha T, a, b strided[T], beta T, c strided[T]) {
	pool := poolOf[T](&jobs32, &jobs64)
	j := pool.Get().(*gemmJob[T])
	j.k, j.bl, j.tA, j.tB, j.m, j.n, j.kk = k, k.bl, tA, tB, m, n, kk
	j.alpha, j.beta, j.a, j.b, j.c = alpha, beta, a, b, c
	j.rows = p.rows
	switch {
	case p.parts <= 1:
		j.part(nil, 1, 0)
	case p.rows:
		j.shared = getWorkspace[T](j.bl, 0, n, kk)
		runParallel(j, p.parts)
		putWorkspace(j.shared)
		j.shared = nil
	default:
		runParallel(j, p.parts)
	}
	j.a, j.b, j.c = strided[T]{}, strided[T]{}, strided[T]{}
	pool.Put(j)
}

func (j *gemmJob[T]) run(t *team, i int) { j.part(t, t.parts, i) }

// part computes part i of parts: a band of whole MR-row or NR-column tiles
// of C, packing op(A) into its own workspace. t is the team of the parts,
// nil when there is one part.
func (j *gemmJob[T]) part(t *team, parts, i int) {
	m0, m1, n0, n1 := 0, j.m, 0, j.n
	if j.rows {
		m0, m1 = span(i, parts, j.m, j.bl.MR)
	} else {
		n0, n1 = span(i, parts, j.n, j.bl.NR)
	}
	nb := n1 - n0
	if j.shared != nil {
		nb = 0 // op(B) goes to the shared workspace
	}
	ws := getWorkspace[T](j.bl, m1-m0, nb, j.kk)
	defer putWorkspace(ws)
	j.band(t, ws, parts, i, m0, m1, n0, n1)
}

// band is BLIS's loop nest around the micro-kernel, over rows m0..m1-1
// and columns n0..n1-1 of C. For each NC-wide column block of C and each
// KC-deep slice of the product, op(B) is packed once into NR-column
// micro-panels (kept in L3); for each MC-tall row block, op(A) is packed
// into MR-row micro-panels (kept in L2); the macro-kernel then sweeps
// NR-wide (L1-resident) panels of B against every A micro-panel. beta
// applies on the first slice of k only; later slices accumulate.
//
// m0 and n0 are multiples of MR and NR, so a band of C is cut into the same
// tiles as the whole of C would be. Part i of a job split over rows packs
// only its share of op(B)'s panels, into the job's shared workspace.
func (j *gemmJob[T]) band(t *team, ws *workspace, parts, i, m0, m1, n0, n1 int) {
	k, bl, kk := j.k, j.bl, j.kk
	pa, pb, tile := elems[T](ws.a), elems[T](ws.b), elems[T](ws.tile)
	if j.shared != nil {
		pb = elems[T](j.shared.b)
	}
	for jc := n0; jc < n1; jc += bl.NC {
		nc := min(bl.NC, n1-jc)
		for pc := 0; pc < kk; pc += bl.KC {
			kc := min(bl.KC, kk-pc)
			if j.shared == nil {
				packB(k, j.tB, j.b, pc, jc, kc, nc, pb)
			} else {
				s0, s1 := span(i, parts, nc, bl.NR)
				packB(k, j.tB, j.b, pc, jc+s0, kc, s1-s0, pb[s0*kc:])
				t.wait() // every share packed
			}
			betaP := j.beta
			if pc > 0 {
				betaP = 1
			}
			for ic := m0; ic < m1; ic += bl.MC {
				mc := min(bl.MC, m1-ic)
				packA(k, j.tA, j.a, ic, pc, mc, kc, pa)
				macroKernel(k, mc, nc, kc, j.alpha, pa, pb, betaP, j.c, ic, jc, tile)
			}
			if j.shared != nil {
				t.wait() // every part done with this block
			}
		}
	}
}

// macroKernel multiplies the packed mc×kc block of op(A) by the packed
// kc×nc block of op(B) into C[ic:ic+mc, jc:jc+nc]. Whole MR×NR tiles go
// straight to the micro-kernel; edge tiles are computed into tile and
// copied, so no kernel ever writes outside C.
func macroKernel[T elem](k kern[T], mc, nc, kc int, alpha T, pa, pb []T, beta T, c strided[T], ic, jc int, tile []T) {
	mr, nr, ldc := k.bl.MR, k.bl.NR, c.stride
	for jr := 0; jr < nc; jr += nr {
		nw := min(nr, nc-jr)
		bp := pb[jr*kc : jr*kc+kc*nr]
		for ir := 0; ir < mc; ir += mr {
			mh := min(mr, mc-ir)
			ap := pa[ir*kc : ir*kc+kc*mr]
			off := (ic+ir)*ldc + jc + jr
			if mh == mr && nw == nr {
				k.Gemm(kc, alpha, ap, bp, beta, c.data[off:], ldc)
				continue
			}
			k.Gemm(kc, alpha, ap, bp, 0, tile, nr)
			for i := 0; i < mh; i++ {
				dst, src := c.data[off+i*ldc:off+i*ldc+nw], tile[i*nr:i*nr+nw]
				if beta == 0 {
					copy(dst, src)
					continue
				}
				for j, v := range src {
					dst[j] = v + beta*dst[j]
				}
			}
		}
	}
}
