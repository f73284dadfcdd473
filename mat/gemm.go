package mat

import (
	"fmt"
	"sync"

	"github.com/pente-go/pente/mat/asm"
)

// Gemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ as
// tA and tB say. op(A) is m×k, op(B) k×n and C m×n. When beta is zero C is
// not read; when alpha is zero, or k is zero, A and B are not read. Gemm
// panics, before computing anything, if the shapes do not agree.
//
// Products with a dimension of 1, tiny products and narrow products A·Bᵀ
// go to the matrix-vector kernels without packing; larger ones are packed and split over up to [Threads] goroutines
// (see [SetThreads]). The result does not depend on the number of threads.
func Gemm(tA, tB Transpose, alpha float32, a, b *Dense, beta float32, c *Dense) {
	gemm(asm.Default(), tA, tB, alpha, a, b, beta, c)
}

func gemm(k *asm.Kernels, tA, tB Transpose, alpha float32, a, b *Dense, beta float32, c *Dense) {
	m, n, kk := gemmShapes(tA, tB, a, b, c)
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || kk == 0 {
		for i := 0; i < m; i++ {
			scaleBy(k, beta, c.Data[i*c.Stride:i*c.Stride+n])
		}
		return
	}
	if gemmVector(k, tA, tB, m, n, kk, alpha, a, b, beta, c) {
		return
	}
	if byRows(k, tA, tB, m, n, kk) {
		gemmRows(k, tB, m, n, kk, alpha, a, b, beta, c)
		return
	}
	threads := 1
	if m*n*kk >= parallelFlops {
		threads = Threads() // not for small products: GOMAXPROCS takes a lock
	}
	gemmPacked(k, threads, tA, tB, m, n, kk, alpha, a, b, beta, c)
}

// gemmShapes checks Gemm's arguments and returns m, n and k.
func gemmShapes(tA, tB Transpose, a, b, c *Dense) (m, n, k int) {
	tA.check("Gemm", "tA")
	tB.check("Gemm", "tB")
	a.check("Gemm", "A")
	b.check("Gemm", "B")
	c.check("Gemm", "C")
	m, ka := opDims(tA, a)
	kb, n := opDims(tB, b)
	if ka != kb {
		panic(fmt.Sprintf("mat: Gemm: op(A) is %d×%d but op(B) is %d×%d", m, ka, kb, n))
	}
	if c.Rows != m || c.Cols != n {
		panic(fmt.Sprintf("mat: Gemm: op(A)·op(B) is %d×%d but C is %d×%d", m, n, c.Rows, c.Cols))
	}
	return m, n, ka
}

// gemmJob is one packed Gemm call, split into parts over the rows or the
// columns of C. Jobs are pooled so that a call does not allocate.
type gemmJob struct {
	k           *asm.Kernels
	tA, tB      Transpose
	m, n, kk    int
	alpha, beta float32
	a, b, c     *Dense
	parts       int
	rows        bool // split over the rows of C, else over its columns
	team

	// When the parts split the rows of C, they share each packed block
	// of op(B): part i packs the i-th share of its micro-panels into
	// shared.b, and the parts meet at bar before and after using it.
	shared *workspace
	bar    barrier
}

var jobs = sync.Pool{New: func() any { return new(gemmJob) }}

func (j *gemmJob) teamOf() *team { return &j.team }

// gemmPacked computes C = alpha·op(A)·op(B) + beta·C for m, n, k > 0 by
// packing, on up to threads goroutines.
func gemmPacked(k *asm.Kernels, threads int, tA, tB Transpose, m, n, kk int, alpha float32, a, b *Dense, beta float32, c *Dense) {
	parts, rows := partition(threads, m, n, kk, k.Blocks().MR, k.Blocks().NR)
	j := jobs.Get().(*gemmJob)
	j.k, j.tA, j.tB, j.m, j.n, j.kk = k, tA, tB, m, n, kk
	j.alpha, j.beta, j.a, j.b, j.c = alpha, beta, a, b, c
	j.parts, j.rows = parts, rows
	switch {
	case parts == 1:
		j.run(0)
	case rows:
		j.shared = getWorkspace(k, 0, n, kk)
		j.bar.reset(parts)
		runParallel(j, parts)
		putWorkspace(j.shared)
		j.shared = nil
	default:
		runParallel(j, parts)
	}
	j.a, j.b, j.c = nil, nil, nil
	jobs.Put(j)
}

// run computes part i of the job: a band of whole MR-row or NR-column tiles
// of C, packing op(A) into its own workspace.
func (j *gemmJob) run(i int) {
	k := j.k
	m0, m1, n0, n1 := 0, j.m, 0, j.n
	if j.rows {
		m0, m1 = span(i, j.parts, j.m, k.Blocks().MR)
	} else {
		n0, n1 = span(i, j.parts, j.n, k.Blocks().NR)
	}
	nb := n1 - n0
	if j.shared != nil {
		nb = 0 // op(B) goes to the shared workspace
	}
	ws := getWorkspace(k, m1-m0, nb, j.kk)
	j.band(ws, i, m0, m1, n0, n1)
	putWorkspace(ws)
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
func (j *gemmJob) band(ws *workspace, i, m0, m1, n0, n1 int) {
	k, kk := j.k, j.kk
	pb := ws.b
	if j.shared != nil {
		pb = j.shared.b
	}
	for jc := n0; jc < n1; jc += k.Blocks().NC {
		nc := min(k.Blocks().NC, n1-jc)
		for pc := 0; pc < kk; pc += k.Blocks().KC {
			kc := min(k.Blocks().KC, kk-pc)
			if j.shared == nil {
				packB(k, j.tB, j.b, pc, jc, kc, nc, pb)
			} else {
				s0, s1 := span(i, j.parts, nc, k.Blocks().NR)
				packB(k, j.tB, j.b, pc, jc+s0, kc, s1-s0, pb[s0*kc:])
				j.bar.wait() // every share packed
			}
			betaP := j.beta
			if pc > 0 {
				betaP = 1
			}
			for ic := m0; ic < m1; ic += k.Blocks().MC {
				mc := min(k.Blocks().MC, m1-ic)
				packA(k, j.tA, j.a, ic, pc, mc, kc, ws.a)
				macroKernel(k, mc, nc, kc, j.alpha, ws.a, pb, betaP, j.c, ic, jc, ws.tile)
			}
			if j.shared != nil {
				j.bar.wait() // every part done with this block
			}
		}
	}
}

// macroKernel multiplies the packed mc×kc block of op(A) by the packed
// kc×nc block of op(B) into C[ic:ic+mc, jc:jc+nc]. Whole MR×NR tiles go
// straight to the micro-kernel; edge tiles are computed into tile and
// copied, so no kernel ever writes outside C.
func macroKernel(k *asm.Kernels, mc, nc, kc int, alpha float32, pa, pb []float32, beta float32, c *Dense, ic, jc int, tile []float32) {
	mr, nr, ldc := k.Blocks().MR, k.Blocks().NR, c.Stride
	for jr := 0; jr < nc; jr += nr {
		nw := min(nr, nc-jr)
		bp := pb[jr*kc : jr*kc+kc*nr]
		for ir := 0; ir < mc; ir += mr {
			mh := min(mr, mc-ir)
			ap := pa[ir*kc : ir*kc+kc*mr]
			off := (ic+ir)*ldc + jc + jr
			if mh == mr && nw == nr {
				k.Gemm(kc, alpha, ap, bp, beta, c.Data[off:], ldc)
				continue
			}
			k.Gemm(kc, alpha, ap, bp, 0, tile, nr)
			for i := 0; i < mh; i++ {
				dst, src := c.Data[off+i*ldc:off+i*ldc+nw], tile[i*nr:i*nr+nw]
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
