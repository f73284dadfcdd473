package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/internal/testkit"
)

// The float64 kernels are tested as the float32 ones are (kernels_test.go):
// every implementation, the same layouts (guard pages at both ends, heap
// offsets 0..7 between sentinels), the same sizes, tails and scalars,
// NaN/±Inf, and beta = 0 ignoring NaN in C. The reference is a
// double-double sum (ddSum, about 106 bits), so that the only error left
// is the kernel's: the tolerance is approx.Bound64,
//
//	|got − want| ≤ 2·(k+3)·2⁻⁵³·(|alpha|·Σ|aᵢ·bᵢ| + |beta·c|)
//
// for k accumulated products, twice the worst-case error bound γ_k of any
// order of float64 additions, with or without FMA.

// ddSum accumulates products in double-double arithmetic: hi + lo holds
// the sum with about 106 bits (each product split exactly by FMA, each
// addition by TwoSum). plain is the float64 sum, which decides NaN and
// ±Inf, and mag the sum of the magnitudes.
type ddSum struct{ hi, lo, plain, mag float64 }

func (s *ddSum) add(a, b float64) {
	p := a * b
	s.plain += p
	s.mag += math.Abs(p)
	e := math.FMA(a, b, -p) // a·b = p + e exactly
	t := s.hi + p           // TwoSum: s.hi + p = t + err exactly
	bb := t - s.hi
	err := (s.hi - (t - bb)) + (p - bb)
	s.hi = t
	s.lo += err + e
}

// value returns the sum rounded to float64, or the float64 sum where that
// is NaN or infinite.
func (s ddSum) value() float64 {
	if math.IsNaN(s.plain) || math.IsInf(s.plain, 0) {
		return s.plain
	}
	return s.hi + s.lo
}

// alloc64 is alloc for float64.
func alloc64(t *testing.T, l layout, n int, fill func([]float64)) ([]float64, func()) {
	t.Helper()
	var s []float64
	check := func() {}
	if l.off < 0 {
		s = guard.Alloc64(t, n, l.side)
	} else {
		s, check = guard.Padded64(t, n, l.off, 9)
	}
	fill(s)
	return s, check
}

// random64 returns a filler with values uniform in [-1, 1).
func random64(r *rand.Rand) func([]float64) {
	return func(s []float64) {
		for i := range s {
			s[i] = 2*r.Float64() - 1
		}
	}
}

func fillWith64(v float64) func([]float64) {
	return func(s []float64) {
		for i := range s {
			s[i] = v
		}
	}
}

// withSpecials64 overwrites a few random elements of s with NaN, +Inf or
// -Inf.
func withSpecials64(r *rand.Rand, s []float64) {
	specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1)}
	for range 1 + r.IntN(3) {
		if len(s) > 0 {
			s[r.IntN(len(s))] = specials[r.IntN(len(specials))]
		}
	}
}

// matrix64 is matrix for float64: an m×n matrix with leading dimension
// ld, random inside and sentinels in the gaps, which the check verifies.
func matrix64(t *testing.T, r *rand.Rand, l layout, m, n, ld int) ([]float64, func()) {
	t.Helper()
	size := 0
	if m > 0 && n > 0 {
		size = (m-1)*ld + n
	}
	a, check := alloc64(t, l, size, func(s []float64) {
		for i := range s {
			if i%ld < n {
				s[i] = 2*r.Float64() - 1
			} else {
				s[i] = guard.Sentinel64
			}
		}
	})
	return a, func() {
		t.Helper()
		check()
		for i, v := range a {
			if i%ld >= n && math.Float64bits(v) != math.Float64bits(guard.Sentinel64) {
				t.Fatalf("gap element %d (row %d, column %d of leading dimension %d) overwritten", i, i/ld, i%ld, ld)
			}
		}
	}
}

var dscalars = []float64{0, 1, -1, 0.37, -2.5}

func TestDAxpy(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, n := range vecSizes {
			for li, l := range layouts {
				alpha := dscalars[(n+li)%len(dscalars)]
				x, checkX := alloc64(t, l, n, random64(r))
				y, checkY := alloc64(t, l, n, random64(r))
				if (n+li)%5 == 0 {
					withSpecials64(r, x)
					withSpecials64(r, y)
				}
				x0, y0 := slices.Clone(x), slices.Clone(y)
				guard.Do(t, fmt.Sprintf("daxpy n=%d %v", n, l), func() { k.DAxpy(alpha, x, y) })
				checkX()
				checkY()
				if !testkit.SameBits64(x, x0) {
					t.Fatalf("daxpy n=%d %v: x was modified", n, l)
				}
				for i := range y {
					s := ddSum{hi: y0[i], plain: y0[i], mag: math.Abs(y0[i])}
					s.add(alpha, x0[i])
					if want, tol := s.value(), approx.Bound64(1, s.mag); !approx.Close64(y[i], want, tol) {
						t.Fatalf("daxpy n=%d alpha=%v %v: y[%d] = %v, want %v", n, alpha, l, i, y[i], want)
					}
				}
			}
		}
	})
}

func TestDDot(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, n := range vecSizes {
			for li, l := range layouts {
				x, checkX := alloc64(t, l, n, random64(r))
				y, checkY := alloc64(t, l, n, random64(r))
				if (n+li)%5 == 0 {
					withSpecials64(r, x)
				}
				x0, y0 := slices.Clone(x), slices.Clone(y)
				var s ddSum
				for i := range x {
					s.add(x[i], y[i])
				}
				var got float64
				guard.Do(t, fmt.Sprintf("ddot n=%d %v", n, l), func() { got = k.DDot(x, y) })
				checkX()
				checkY()
				if !testkit.SameBits64(x, x0) || !testkit.SameBits64(y, y0) {
					t.Fatalf("ddot n=%d %v: an input was modified", n, l)
				}
				if want, tol := s.value(), approx.Bound64(n, s.mag); !approx.Close64(got, want, tol) {
					t.Fatalf("ddot n=%d %v: got %v, want %v (tolerance %g)", n, l, got, want, tol)
				}
			}
		}
	})
}

func TestDScal(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range vecSizes {
			for li, l := range layouts {
				alpha := dscalars[(n+li)%len(dscalars)]
				x, checkX := alloc64(t, l, n, random64(r))
				if (n+li)%5 == 0 {
					withSpecials64(r, x)
				}
				want := make([]float64, n)
				for i := range want {
					want[i] = alpha * x[i] // one rounding: exact in every implementation
				}
				guard.Do(t, fmt.Sprintf("dscal n=%d %v", n, l), func() { k.DScal(alpha, x) })
				checkX()
				if !testkit.SameBits64(x, want) {
					t.Fatalf("dscal n=%d alpha=%v %v: got %v, want %v", n, alpha, l, x, want)
				}
			}
		}
	})
}

func TestDGemv(t *testing.T) {
	for _, trans := range []bool{false, true} {
		name := "N"
		if trans {
			name = "T"
		}
		t.Run(name, func(t *testing.T) {
			forEachImpl(t, func(t *testing.T, k Kernels) { testDGemv(t, k, trans) })
		})
	}
}

func testDGemv(t *testing.T, k Kernels, trans bool) {
	r := rand.New(rand.NewPCG(7, 8))
	kernel, op := k.DGemvN, "dgemvN"
	if trans {
		kernel, op = k.DGemvT, "dgemvT"
	}
	for si, sh := range gemvShapes {
		m, n := sh[0], sh[1]
		for li, l := range layouts {
			if li > 3 && si%3 != 0 { // every shape gets the guards, a third all offsets
				continue
			}
			ld := max(n+[]int{0, 1, 3, 8}[(si+li)%4], 1)
			lx, ly := n, m
			if trans {
				lx, ly = m, n
			}
			alpha := dscalars[(si+li)%len(dscalars)]
			a, checkA := matrix64(t, r, l, m, n, ld)
			x, checkX := alloc64(t, l, lx, random64(r))
			y, checkY := alloc64(t, l, ly, random64(r))
			if (si+li)%4 == 0 {
				withSpecials64(r, a)
				withSpecials64(r, x)
			}
			a0, x0, y0 := slices.Clone(a), slices.Clone(x), slices.Clone(y)
			sums := make([]ddSum, ly)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					if trans {
						sums[j].add(a[i*ld+j], x[i])
					} else {
						sums[i].add(a[i*ld+j], x[j])
					}
				}
			}
			what := fmt.Sprintf("%s m=%d n=%d lda=%d alpha=%v %v", op, m, n, ld, alpha, l)
			guard.Do(t, what, func() { kernel(m, n, alpha, a, ld, x, y) })
			checkA()
			checkX()
			checkY()
			if !testkit.SameBits64(a, a0) || !testkit.SameBits64(x, x0) {
				t.Fatalf("%s: an input was modified", what)
			}
			depth := n
			if trans {
				depth = m
			}
			for i, s := range sums {
				want := alpha*s.value() + y0[i]
				tol := approx.Bound64(depth, math.Abs(alpha)*s.mag+math.Abs(y0[i]))
				if !approx.Close64(y[i], want, tol) {
					t.Fatalf("%s: y[%d] = %v, want %v (tolerance %g)", what, i, y[i], want, tol)
				}
			}
		}
	}
}

func TestDGer(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(9, 10))
		for si, sh := range gemvShapes {
			m, n := sh[0], sh[1]
			for li, l := range layouts {
				if li > 3 && si%3 != 0 {
					continue
				}
				ld := max(n+[]int{0, 1, 3, 8}[(si+li)%4], 1)
				alpha := dscalars[(si+li)%len(dscalars)]
				a, checkA := matrix64(t, r, l, m, n, ld)
				x, checkX := alloc64(t, l, m, random64(r))
				y, checkY := alloc64(t, l, n, random64(r))
				if (si+li)%4 == 0 {
					withSpecials64(r, x)
					withSpecials64(r, y)
				}
				a0, x0, y0 := slices.Clone(a), slices.Clone(x), slices.Clone(y)
				what := fmt.Sprintf("dger m=%d n=%d lda=%d alpha=%v %v", m, n, ld, alpha, l)
				guard.Do(t, what, func() { k.DGer(m, n, alpha, x, y, a, ld) })
				checkA()
				checkX()
				checkY()
				if !testkit.SameBits64(x, x0) || !testkit.SameBits64(y, y0) {
					t.Fatalf("%s: x or y was modified", what)
				}
				for e := range a {
					i, j := e/ld, e%ld
					if j >= n {
						continue // the gaps: checkA
					}
					s := ddSum{hi: a0[e], plain: a0[e], mag: math.Abs(a0[e])}
					s.add(alpha*x[i], y[j]) // the kernel rounds alpha·x[i] first
					if want, tol := s.value(), approx.Bound64(1, s.mag); !approx.Close64(a[e], want, tol) {
						t.Fatalf("%s: A(%d,%d) = %v, want %v", what, i, j, a[e], want)
					}
				}
			}
		}
	})
}

func TestDGemmMicroKernel(t *testing.T) {
	forEachImpl(t, testDGemmMicro)
}

// testDGemmMicro checks the float64 micro-kernel of k, of its DBlocks'
// MR×NR tile, against the double-double reference: depths around the
// unrolling, every layout, every alpha and beta, NaN/Inf in A and B and
// +Inf in C, NaN in C where beta == 0 (which must not be read), gaps in C
// that must survive.
func testDGemmMicro(t *testing.T, k Kernels) {
	r := rand.New(rand.NewPCG(9, 10))
	mr, nr := k.dblocks.MR, k.dblocks.NR
	for di, depth := range gemmDepths {
		for li, l := range layouts {
			for bi, beta := range dscalars {
				if li > 2 && (di+bi)%3 != 0 {
					continue
				}
				alpha := dscalars[(di+li+bi)%len(dscalars)]
				ldc := nr + []int{0, 1, 5}[(di+li)%3]
				a, checkA := alloc64(t, l, depth*mr, random64(r))
				b, checkB := alloc64(t, l, depth*nr, random64(r))
				c, checkC := matrix64(t, r, l, mr, nr, ldc)
				special := (di+li+bi)%4 == 0
				if special {
					withSpecials64(r, a)
					withSpecials64(r, b)
				}
				if beta == 0 {
					for i := 0; i < mr; i++ { // C must not be read
						for j := 0; j < nr; j++ {
							c[i*ldc+j] = math.NaN()
						}
					}
				} else if special {
					c[r.IntN(mr)*ldc+r.IntN(nr)] = math.Inf(1)
				}
				want, tol := make([]float64, mr*nr), make([]float64, mr*nr)
				for i := 0; i < mr; i++ {
					for j := 0; j < nr; j++ {
						var s ddSum
						for p := 0; p < depth; p++ {
							s.add(a[p*mr+i], b[p*nr+j])
						}
						w, mag := alpha*s.value(), math.Abs(alpha)*s.mag
						if beta != 0 {
							w += beta * c[i*ldc+j]
							mag += math.Abs(beta * c[i*ldc+j])
						}
						want[i*nr+j], tol[i*nr+j] = w, approx.Bound64(depth, mag)
					}
				}
				a0, b0 := slices.Clone(a), slices.Clone(b)
				what := fmt.Sprintf("dgemm%dx%d k=%d ldc=%d alpha=%v beta=%v %v", mr, nr, depth, ldc, alpha, beta, l)
				guard.Do(t, what, func() { k.DGemm(depth, alpha, a, b, beta, c, ldc) })
				checkA()
				checkB()
				checkC()
				if !testkit.SameBits64(a, a0) || !testkit.SameBits64(b, b0) {
					t.Fatalf("%s: an input was modified", what)
				}
				for i := 0; i < mr; i++ {
					for j := 0; j < nr; j++ {
						if got := c[i*ldc+j]; !approx.Close64(got, want[i*nr+j], tol[i*nr+j]) {
							t.Fatalf("%s: C(%d,%d) = %v, want %v (tolerance %g)", what, i, j, got, want[i*nr+j], tol[i*nr+j])
						}
					}
				}
			}
		}
	}
}

// TestDGemmReference checks the reference micro-kernel of any shape
// against the fixed-shape generic one, so that dgemmGeneric can stand as
// the reference for every assembly tile.
func TestDGemmReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, depth := range []int{0, 1, 5, 64} {
		a, b := make([]float64, 4*depth), make([]float64, 4*depth)
		random64(r)(a)
		random64(r)(b)
		c1, c2 := make([]float64, 4*6), make([]float64, 4*6)
		random64(r)(c1)
		copy(c2, c1)
		dgemmGeneric(4, 4, depth, 0.5, a, b, -1, c1, 6)
		dgemm4x4Generic(depth, 0.5, a, b, -1, c2, 6)
		if !testkit.SameBits64(c1, c2) {
			t.Fatalf("k=%d: dgemmGeneric %v, dgemm4x4Generic %v", depth, c1, c2)
		}
	}
}

// dpackWant returns the panel that DPackRows (or, with trans, DPackCols)
// should write, from the specification's loop.
func dpackWant(trans bool, k, w, nr int, src []float64, ld int) []float64 {
	want := make([]float64, k*nr)
	for l := 0; l < k; l++ {
		for j := 0; j < w; j++ {
			if trans {
				want[l*nr+j] = src[j*ld+l]
			} else {
				want[l*nr+j] = src[l*ld+j]
			}
		}
	}
	return want
}

// dpackFill is what a panel holds before a packer runs: a NaN that no
// packer writes.
var dpackFill = math.Float64frombits(0x7ff8_0000_dead_beef)

// dpackWidths are the panel widths the float64 packers are tried with:
// every small one, the float64 tile sizes of every implementation, and a
// few beside them.
func dpackWidths() []int {
	ws := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 31, 32, 33}
	for _, k := range all {
		for _, n := range []int{k.dblocks.MR, k.dblocks.NR} {
			if !slices.Contains(ws, n) {
				ws = append(ws, n)
			}
		}
	}
	return ws
}

// TestDPack is TestPack for DPackRows and DPackCols: bit for bit against
// the specification, every width for small depths, the edge widths up to
// KC+1, gaps and large leading dimensions, NaN payloads, -0 and ±Inf,
// nothing past k·nr touched, and every full panel against both guards.
func TestDPack(t *testing.T) {
	for _, trans := range []bool{false, true} {
		name := "Rows"
		if trans {
			name = "Cols"
		}
		t.Run(name, func(t *testing.T) {
			forEachImpl(t, func(t *testing.T, k Kernels) {
				for _, nr := range dpackWidths() {
					t.Run(fmt.Sprint("nr=", nr), func(t *testing.T) { testDPack(t, k, trans, nr) })
				}
			})
		})
	}
}

func testDPack(t *testing.T, k Kernels, trans bool, nr int) {
	r := rand.New(rand.NewPCG(uint64(nr), 13))
	pack, op := k.DPackRows, "dpackRows"
	if trans {
		pack, op = k.DPackCols, "dpackCols"
	}
	var depths []int
	for d := 0; d <= 17; d++ {
		depths = append(depths, d)
	}
	depths = append(depths, 31, 32, 33, 63, 64, 65, k.dblocks.KC-1, k.dblocks.KC, k.dblocks.KC+1)
	specials := []float64{math.NaN(), math.Float64frombits(0x7ff0_0000_0012_3456), math.Float64frombits(0xfff8_0000_0000_0001),
		math.Inf(1), math.Inf(-1), math.Copysign(0, -1)}
	ci := 0
	for _, depth := range depths {
		widths := []int{0, 1, nr / 2, nr - 1, nr}
		if depth <= 17 {
			widths = nil
			for w := 0; w <= nr; w++ {
				widths = append(widths, w)
			}
		}
		for _, w := range widths {
			ci++
			ls := []layout{layouts[ci%len(layouts)]}
			if w == nr {
				ls = []layout{layouts[0], layouts[1], layouts[2+ci%(len(layouts)-2)]}
			}
			for _, l := range ls {
				rows, cols := depth, w
				if trans {
					rows, cols = w, depth
				}
				ld := max(cols+[]int{0, 1, 3, 8, 0, 1001}[ci%6], 1)
				src, checkSrc := matrix64(t, r, l, rows, cols, ld)
				if ci%3 == 0 && rows > 0 && cols > 0 {
					for range 3 {
						src[r.IntN(rows)*ld+r.IntN(cols)] = specials[r.IntN(len(specials))]
					}
				}
				extra := 0
				if l.off >= 0 {
					extra = 1 + ci%5
				}
				panel, checkPanel := alloc64(t, l, depth*nr+extra, fillWith64(dpackFill))
				src0 := slices.Clone(src)
				want := dpackWant(trans, depth, w, nr, src, ld)
				what := fmt.Sprintf("%s k=%d w=%d nr=%d ld=%d %v", op, depth, w, nr, ld, l)
				guard.Do(t, what, func() { pack(depth, w, nr, src, ld, panel) })
				checkSrc()
				checkPanel()
				if !testkit.SameBits64(src, src0) {
					t.Fatalf("%s: src was modified", what)
				}
				for e, v := range panel[:depth*nr] {
					if math.Float64bits(v) != math.Float64bits(want[e]) {
						t.Fatalf("%s: panel[%d] (row %d, column %d) = %v (%#x), want %v (%#x)",
							what, e, e/nr, e%nr, v, math.Float64bits(v), want[e], math.Float64bits(want[e]))
					}
				}
				for e, v := range panel[depth*nr:] {
					if math.Float64bits(v) != math.Float64bits(dpackFill) {
						t.Fatalf("%s: panel[%d], past k·nr = %d, was overwritten with %v", what, depth*nr+e, depth*nr, v)
					}
				}
			}
		}
	}
}

// TestDPackRowsPanels: DPackRowsPanels is DPackRows on each panel of the
// block, bit for bit, on every implementation: widths of every number of
// full panels around the four that the AVX2 packers copy at once, plus a
// narrow last one, depths to KC+1, gaps in the leading dimension, both
// guards and padded offsets, NaN payloads, nothing past the last panel
// touched and src unmodified.
func TestDPackRowsPanels(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(3, 21))
		ci := 0
		for _, nr := range []int{1, 3, 4, 6, 8, k.dblocks.MR, k.dblocks.NR} {
			for _, depth := range []int{0, 1, 2, 3, 7, 17, k.dblocks.KC, k.dblocks.KC + 1} {
				for _, w := range []int{0, 1, nr - 1, nr, nr + 1, 3 * nr, 4*nr - 1, 4 * nr, 4*nr + 1, 4*nr + nr/2, 5 * nr, 8 * nr, 9*nr + 1, 13 * nr} {
					if w < 0 {
						continue
					}
					ci++
					l := layouts[ci%len(layouts)]
					ld := max(w+[]int{0, 1, 3, 8, 0, 1001}[ci%6], 1)
					src, checkSrc := matrix64(t, r, l, depth, w, ld)
					if depth > 0 && w > 0 {
						src[r.IntN(depth)*ld+r.IntN(w)] = math.Float64frombits(0x7ff0_0000_0012_3456)
					}
					panels := (w + nr - 1) / nr
					size := panels * depth * nr
					extra := 0
					if l.off >= 0 {
						extra = 1 + ci%5
					}
					panel, checkPanel := alloc64(t, layouts[(ci+1)%len(layouts)], size+extra, fillWith64(dpackFill))
					src0 := slices.Clone(src)
					want := make([]float64, 0, size)
					for p := 0; p < panels; p++ {
						var sub []float64
						if depth > 0 {
							sub = src[p*nr:]
						}
						want = append(want, dpackWant(false, depth, min(nr, w-p*nr), nr, sub, ld)...)
					}
					what := fmt.Sprintf("dpackRowsPanels k=%d w=%d nr=%d ld=%d %v", depth, w, nr, ld, l)
					guard.Do(t, what, func() { k.DPackRowsPanels(depth, w, nr, src, ld, panel) })
					checkSrc()
					checkPanel()
					if !testkit.SameBits64(src, src0) {
						t.Fatalf("%s: src was modified", what)
					}
					for e, v := range panel[:size] {
						if math.Float64bits(v) != math.Float64bits(want[e]) {
							t.Fatalf("%s: panel[%d] = %v, want %v", what, e, v, want[e])
						}
					}
					for e, v := range panel[size:] {
						if math.Float64bits(v) != math.Float64bits(dpackFill) {
							t.Fatalf("%s: panel[%d], past the panels, was overwritten with %v", what, size+e, v)
						}
					}
				}
			}
		}
	})
}

// TestDBadLengthsPanic checks that every float64 kernel refuses slices too
// short for the dimensions it is given, with "asm: d<kernel>: ".
func TestDBadLengthsPanic(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		s, p := make([]float64, 1000), make([]float64, 1000)
		mr, nr := k.dblocks.MR, k.dblocks.NR
		cases := map[string]func(){
			"daxpy":          func() { k.DAxpy(1, s[:3], s[:4]) },
			"ddot":           func() { k.DDot(s[:4], s[:3]) },
			"dgemvN short a": func() { k.DGemvN(3, 4, 1, s[:10], 4, s[:4], s[:3]) },
			"dgemvN lda<n":   func() { k.DGemvN(3, 4, 1, s, 3, s[:4], s[:3]) },
			"dgemvN short x": func() { k.DGemvN(3, 4, 1, s, 4, s[:3], s[:3]) },
			"dgemvT short y": func() { k.DGemvT(3, 4, 1, s, 4, s[:3], s[:3]) },
			"dger short a":   func() { k.DGer(3, 4, 1, s[:3], s[:4], s[:10], 4) },
			"dger lda<n":     func() { k.DGer(3, 4, 1, s[:3], s[:4], s, 3) },
			"dger short y":   func() { k.DGer(3, 4, 1, s[:3], s[:3], s, 4) },
			"dgemm short a":  func() { k.DGemm(2, 1, s[:2*mr-1], s, 0, s, nr) },
			"dgemm short b":  func() { k.DGemm(2, 1, s, s[:2*nr-1], 0, s, nr) },
			"dgemm ldc<nr":   func() { k.DGemm(1, 1, s, s, 0, s, nr-1) },
			"dgemm short c":  func() { k.DGemm(1, 1, s, s, 0, s[:(mr-1)*nr+nr-1], nr) },
			"dgemm k<0":      func() { k.DGemm(-1, 1, s, s, 0, s, nr) },

			"dpackRows short src":   func() { k.DPackRows(3, 4, 6, s[:2*5+3], 5, p) },
			"dpackRows ld<w":        func() { k.DPackRows(3, 4, 6, s, 3, p) },
			"dpackRows short panel": func() { k.DPackRows(3, 4, 6, s, 5, p[:3*6-1]) },
			"dpackRows w>nr":        func() { k.DPackRows(3, 7, 6, s, 8, p) },
			"dpackCols short src":   func() { k.DPackCols(5, 3, 6, s[:2*7+4], 7, p) },
			"dpackCols ld<k":        func() { k.DPackCols(5, 3, 6, s, 4, p) },
			"dpackCols full, short": func() { k.DPackCols(16, nr, nr, s[:(nr-1)*16+15], 16, p[:16*nr]) },
			"dpackRows full, short": func() { k.DPackRows(3, mr, mr, s[:2*mr+mr-1], mr, p) },

			"dpackRowsPanels short src":   func() { k.DPackRowsPanels(3, 4*nr, nr, s[:2*4*nr+4*nr-1], 4*nr, p) },
			"dpackRowsPanels short panel": func() { k.DPackRowsPanels(3, 4*nr+1, nr, s, 4*nr+1, p[:3*5*nr-1]) },
			"dpackRowsPanels ld<w":        func() { k.DPackRowsPanels(3, 9, 4, s, 8, p) },
			"dpackRowsPanels nr=0":        func() { k.DPackRowsPanels(3, 4, 0, s, 4, p) },
			"dpackRowsPanels k<0":         func() { k.DPackRowsPanels(-1, 4, 4, s, 4, p) },
			"dpackRowsPanels huge w":      func() { k.DPackRowsPanels(0, math.MaxInt, 8, s, 4, p) },
		}
		for name, f := range cases {
			op := strings.Fields(name)[0]
			if msg := refusal(f); !strings.HasPrefix(msg, "asm: "+op+": ") {
				t.Errorf("%s: got %q, want a panic \"asm: %s: ...\"", name, msg, op)
			}
		}
	})
}

// TestDScalTakesAnyX: DScal accepts every x, nil and empty ones included.
func TestDScalTakesAnyX(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		for _, x := range [][]float64{nil, {}, guard.Alloc64(t, 0, guard.End), guard.Alloc64(t, 0, guard.Start)} {
			if msg := refusal(func() { k.DScal(2, x) }); msg != "(returned)" {
				t.Fatalf("DScal(2, %v): %s", x, msg)
			}
		}
	})
}

// TestDBlocks: the float64 block sizes of every set are consistent.
func TestDBlocks(t *testing.T) {
	for _, k := range all {
		b := k.DBlocks()
		if b.MR <= 0 || b.NR <= 0 || b.KC <= 0 || b.MC%b.MR != 0 || b.NC%b.NR != 0 || b.MC <= 0 || b.NC <= 0 {
			t.Errorf("%s: DBlocks %+v: want positive sizes, MC a multiple of MR and NC of NR", k.name, b)
		}
	}
}
