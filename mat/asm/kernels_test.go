package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	fmt.Printf("mat/asm: active kernels %q, available %v; %s\n", Active(), Available(), CPU())
	os.Exit(m.Run())
}

// layout is one way of placing the slices a kernel gets.
type layout struct {
	side guard.Side // for guarded slices
	off  int        // start offset in floats for padded heap slices; -1: guarded
}

func (l layout) String() string {
	if l.off < 0 {
		return l.side.String()
	}
	return fmt.Sprintf("heap+%d", l.off)
}

// layouts are the placements every kernel is tried with: flush against a
// protected page at the end and at the start, and on the heap at every
// start offset from 0 to 7 floats, padded with sentinels that must survive.
var layouts = func() []layout {
	ls := []layout{{side: guard.End, off: -1}, {side: guard.Start, off: -1}}
	for off := 0; off < 8; off++ {
		ls = append(ls, layout{off: off})
	}
	return ls
}()

// alloc returns a slice of n elements placed as l says, filled by fill, and
// a check to call after the kernel ran.
func alloc(t *testing.T, l layout, n int, fill func([]float32)) ([]float32, func()) {
	t.Helper()
	var s []float32
	check := func() {}
	if l.off < 0 {
		s = guard.Alloc(t, n, l.side)
	} else {
		s, check = guard.Padded(t, n, l.off, 9)
	}
	fill(s)
	return s, check
}

// random returns a filler with values uniform in [-1, 1).
func random(r *rand.Rand) func([]float32) {
	return func(s []float32) {
		for i := range s {
			s[i] = 2*r.Float32() - 1
		}
	}
}

// fillWith returns a filler of the constant v.
func fillWith(v float32) func([]float32) {
	return func(s []float32) {
		for i := range s {
			s[i] = v
		}
	}
}

// withSpecials overwrites a few random elements of s with NaN, +Inf or -Inf.
func withSpecials(r *rand.Rand, s []float32) {
	specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	for range 1 + r.IntN(3) {
		if len(s) > 0 {
			s[r.IntN(len(s))] = specials[r.IntN(len(specials))]
		}
	}
}

var vecSizes = func() []int {
	var ns []int
	for n := 0; n <= 40; n++ {
		ns = append(ns, n)
	}
	return append(ns, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 1023, 1024, 1025, 4099)
}()

var scalars = []float32{0, 1, -1, 0.37, -2.5}

func forEachImpl(t *testing.T, f func(t *testing.T, k Kernels)) {
	for _, k := range all {
		t.Run(k.name, func(t *testing.T) { f(t, k) })
	}
}

func TestAxpy(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, n := range vecSizes {
			for li, l := range layouts {
				alpha := scalars[(n+li)%len(scalars)]
				special := (n+li)%5 == 0
				x, checkX := alloc(t, l, n, random(r))
				y, checkY := alloc(t, l, n, random(r))
				if special {
					withSpecials(r, x)
					withSpecials(r, y)
				}
				x0 := append([]float32(nil), x...)
				want := make([]float64, n)
				for i := range want {
					want[i] = float64(y[i]) + float64(alpha)*float64(x[i])
				}
				guard.Do(t, fmt.Sprintf("axpy n=%d %v", n, l), func() { k.Axpy(alpha, x, y) })
				checkX()
				checkY()
				if !testkit.SameBits(x, x0) {
					t.Fatalf("axpy n=%d %v: x was modified", n, l)
				}
				for i := range want {
					tol := approx.Bound(1, math.Abs(want[i])+math.Abs(float64(alpha*x[i])))
					if !approx.Close(y[i], want[i], tol) {
						t.Fatalf("axpy n=%d alpha=%v %v: y[%d] = %v, want %v", n, alpha, l, i, y[i], want[i])
					}
				}
			}
		}
	})
}

func TestDot(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, n := range vecSizes {
			for li, l := range layouts {
				x, checkX := alloc(t, l, n, random(r))
				y, checkY := alloc(t, l, n, random(r))
				if (n+li)%5 == 0 {
					withSpecials(r, x)
				}
				x0, y0 := append([]float32(nil), x...), append([]float32(nil), y...)
				var want, mag float64
				for i := range x {
					p := float64(x[i]) * float64(y[i])
					want += p
					mag += math.Abs(p)
				}
				var got float32
				guard.Do(t, fmt.Sprintf("dot n=%d %v", n, l), func() { got = k.Dot(x, y) })
				checkX()
				checkY()
				if !testkit.SameBits(x, x0) || !testkit.SameBits(y, y0) {
					t.Fatalf("dot n=%d %v: an input was modified", n, l)
				}
				if !approx.Close(got, want, approx.Bound(n, mag)) {
					t.Fatalf("dot n=%d %v: got %v, want %v (tolerance %g)", n, l, got, want, approx.Bound(n, mag))
				}
			}
		}
	})
}

func TestScal(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range vecSizes {
			for li, l := range layouts {
				alpha := scalars[(n+li)%len(scalars)]
				x, checkX := alloc(t, l, n, random(r))
				if (n+li)%5 == 0 {
					withSpecials(r, x)
				}
				want := make([]float32, n)
				for i := range want {
					want[i] = alpha * x[i] // one rounding: exact in every implementation
				}
				guard.Do(t, fmt.Sprintf("scal n=%d %v", n, l), func() { k.Scal(alpha, x) })
				checkX()
				if !testkit.SameBits(x, want) {
					t.Fatalf("scal n=%d alpha=%v %v: got %v, want %v", n, alpha, l, x, want)
				}
			}
		}
	})
}

// gemvShapes are (m, n) pairs: every small pair, then tails of wide and
// tall matrices and a few large ones.
var gemvShapes = func() [][2]int {
	var s [][2]int
	small := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33}
	for _, m := range small {
		for _, n := range small {
			s = append(s, [2]int{m, n})
		}
	}
	return append(s, [2]int{1, 1000}, [2]int{1000, 1}, [2]int{64, 257}, [2]int{257, 64},
		[2]int{100, 300}, [2]int{129, 131})
}()

// matrix allocates an m×n matrix with leading dimension ld placed as l
// says, random inside and sentinels in the gaps between rows; the returned
// check also verifies the gaps.
func matrix(t *testing.T, r *rand.Rand, l layout, m, n, ld int) ([]float32, func()) {
	t.Helper()
	size := 0
	if m > 0 && n > 0 {
		size = (m-1)*ld + n
	}
	a, check := alloc(t, l, size, func(s []float32) {
		for i := range s {
			if i%ld < n {
				s[i] = 2*r.Float32() - 1
			} else {
				s[i] = guard.Sentinel
			}
		}
	})
	return a, func() {
		t.Helper()
		check()
		for i, v := range a {
			if i%ld >= n && math.Float32bits(v) != math.Float32bits(guard.Sentinel) {
				t.Fatalf("gap element %d (row %d, column %d of leading dimension %d) overwritten", i, i/ld, i%ld, ld)
			}
		}
	}
}

func TestGemv(t *testing.T) {
	for _, trans := range []bool{false, true} {
		name := "N"
		if trans {
			name = "T"
		}
		t.Run(name, func(t *testing.T) {
			forEachImpl(t, func(t *testing.T, k Kernels) {
				testGemv(t, k, trans)
			})
		})
	}
}

func testGemv(t *testing.T, k Kernels, trans bool) {
	r := rand.New(rand.NewPCG(7, 8))
	kernel, op := k.GemvN, "gemvN"
	if trans {
		kernel, op = k.GemvT, "gemvT"
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
			alpha := scalars[(si+li)%len(scalars)]
			a, checkA := matrix(t, r, l, m, n, ld)
			x, checkX := alloc(t, l, lx, random(r))
			y, checkY := alloc(t, l, ly, random(r))
			if (si+li)%4 == 0 {
				withSpecials(r, a)
				withSpecials(r, x)
			}
			a0, x0 := append([]float32(nil), a...), append([]float32(nil), x...)
			want, mag := make([]float64, ly), make([]float64, ly)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					p := float64(a[i*ld+j])
					if trans {
						p *= float64(x[i])
						want[j] += p
						mag[j] += math.Abs(p)
					} else {
						p *= float64(x[j])
						want[i] += p
						mag[i] += math.Abs(p)
					}
				}
			}
			for i := range want {
				want[i] = float64(alpha)*want[i] + float64(y[i])
				mag[i] = math.Abs(float64(alpha))*mag[i] + math.Abs(float64(y[i]))
			}
			what := fmt.Sprintf("%s m=%d n=%d lda=%d alpha=%v %v", op, m, n, ld, alpha, l)
			guard.Do(t, what, func() { kernel(m, n, alpha, a, ld, x, y) })
			checkA()
			checkX()
			checkY()
			if !testkit.SameBits(a, a0) || !testkit.SameBits(x, x0) {
				t.Fatalf("%s: an input was modified", what)
			}
			for i := range want {
				depth := n
				if trans {
					depth = m
				}
				if !approx.Close(y[i], want[i], approx.Bound(depth, mag[i])) {
					t.Fatalf("%s: y[%d] = %v, want %v (tolerance %g)", what, i, y[i], want[i], approx.Bound(depth, mag[i]))
				}
			}
		}
	}
}

// TestGer checks A += alpha·x·yᵀ against a float64 reference: every small
// shape and long rows, guard pages, offsets, leading dimensions with gaps
// that must survive, and NaN/Inf in x and y.
func TestGer(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(9, 10))
		for si, sh := range gemvShapes {
			m, n := sh[0], sh[1]
			for li, l := range layouts {
				if li > 3 && si%3 != 0 {
					continue
				}
				ld := max(n+[]int{0, 1, 3, 8}[(si+li)%4], 1)
				alpha := scalars[(si+li)%len(scalars)]
				a, checkA := matrix(t, r, l, m, n, ld)
				x, checkX := alloc(t, l, m, random(r))
				y, checkY := alloc(t, l, n, random(r))
				if (si+li)%4 == 0 {
					withSpecials(r, x)
					withSpecials(r, y)
				}
				a0, x0, y0 := append([]float32(nil), a...), append([]float32(nil), x...), append([]float32(nil), y...)
				what := fmt.Sprintf("ger m=%d n=%d lda=%d alpha=%v %v", m, n, ld, alpha, l)
				guard.Do(t, what, func() { k.Ger(m, n, alpha, x, y, a, ld) })
				checkA()
				checkX()
				checkY()
				if !testkit.SameBits(x, x0) || !testkit.SameBits(y, y0) {
					t.Fatalf("%s: x or y was modified", what)
				}
				for e := range a {
					i, j := e/ld, e%ld
					if j >= n {
						if !testkit.SameBits(a[e:e+1], a0[e:e+1]) {
							t.Fatalf("%s: element %d, in the gap after row %d, was overwritten", what, e, i)
						}
						continue
					}
					s := float64(float32(alpha * x[i])) // the kernel rounds alpha·x[i] first
					p := s * float64(y[j])
					want := float64(a0[e]) + p
					if !approx.Close(a[e], want, approx.Bound(1, math.Abs(p)+math.Abs(float64(a0[e])))) {
						t.Fatalf("%s: A(%d,%d) = %v, want %v", what, i, j, a[e], want)
					}
				}
			}
		}
	})
}

var gemmDepths = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 255, 256, 257, 300}

func TestGemmMicroKernel(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(9, 10))
		mr, nr := k.blocks.MR, k.blocks.NR
		betas := append([]float32{}, scalars...)
		for di, depth := range gemmDepths {
			for li, l := range layouts {
				for bi, beta := range betas {
					if li > 2 && (di+bi)%3 != 0 {
						continue
					}
					alpha := scalars[(di+li+bi)%len(scalars)]
					ldc := nr + []int{0, 1, 5}[(di+li)%3]
					a, checkA := alloc(t, l, depth*mr, random(r))
					b, checkB := alloc(t, l, depth*nr, random(r))
					c, checkC := matrix(t, r, l, mr, nr, ldc)
					special := (di+li+bi)%4 == 0
					if special {
						withSpecials(r, a)
						withSpecials(r, b)
					}
					if beta == 0 {
						for i := 0; i < mr; i++ { // C must not be read
							for j := 0; j < nr; j++ {
								c[i*ldc+j] = float32(math.NaN())
							}
						}
					} else if special {
						c[r.IntN(mr)*ldc+r.IntN(nr)] = float32(math.Inf(1))
					}
					want, mag := make([]float64, mr*nr), make([]float64, mr*nr)
					for i := 0; i < mr; i++ {
						for j := 0; j < nr; j++ {
							var s, m float64
							for p := 0; p < depth; p++ {
								v := float64(a[p*mr+i]) * float64(b[p*nr+j])
								s += v
								m += math.Abs(v)
							}
							want[i*nr+j] = float64(alpha) * s
							mag[i*nr+j] = math.Abs(float64(alpha)) * m
							if beta != 0 {
								cv := float64(beta) * float64(c[i*ldc+j])
								want[i*nr+j] += cv
								mag[i*nr+j] += math.Abs(cv)
							}
						}
					}
					a0, b0 := append([]float32(nil), a...), append([]float32(nil), b...)
					what := fmt.Sprintf("gemm%dx%d k=%d ldc=%d alpha=%v beta=%v %v", mr, nr, depth, ldc, alpha, beta, l)
					guard.Do(t, what, func() { k.Gemm(depth, alpha, a, b, beta, c, ldc) })
					checkA()
					checkB()
					checkC()
					if !testkit.SameBits(a, a0) || !testkit.SameBits(b, b0) {
						t.Fatalf("%s: an input was modified", what)
					}
					for i := 0; i < mr; i++ {
						for j := 0; j < nr; j++ {
							w, tol := want[i*nr+j], approx.Bound(depth, mag[i*nr+j])
							if got := c[i*ldc+j]; !approx.Close(got, w, tol) {
								t.Fatalf("%s: C(%d,%d) = %v, want %v (tolerance %g)", what, i, j, got, w, tol)
							}
						}
					}
				}
			}
		}
	})
}

// TestGemmReference checks the reference micro-kernel of any shape against
// the fixed-shape generic one, so that gemmGeneric can stand as the
// reference for every assembly tile.
func TestGemmReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, depth := range []int{0, 1, 5, 64} {
		a, b := make([]float32, 4*depth), make([]float32, 4*depth)
		random(r)(a)
		random(r)(b)
		c1, c2 := make([]float32, 4*6), make([]float32, 4*6)
		random(r)(c1)
		copy(c2, c1)
		gemmGeneric(4, 4, depth, 0.5, a, b, -1, c1, 6)
		gemm4x4Generic(depth, 0.5, a, b, -1, c2, 6)
		if !testkit.SameBits(c1, c2) {
			t.Fatalf("k=%d: gemmGeneric %v, gemm4x4Generic %v", depth, c1, c2)
		}
	}
}

// packWant returns the panel that PackRows (or, with trans, PackCols)
// should write, from the specification's loop.
func packWant(trans bool, k, w, nr int, src []float32, ld int) []float32 {
	want := make([]float32, k*nr)
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

// packFill is what a panel holds before a packer runs: a NaN that no
// packer writes, so that a stale element, even where zeros belong, shows.
var packFill = math.Float32frombits(0x7fc0dead)

// packWidths are the panel widths the packers are tried with: every small
// one, the micro-kernel tile sizes of every implementation (MR and NR),
// which the assembly specialises, and a few beside them.
func packWidths() []int {
	ws := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 17, 31, 32, 33}
	for _, k := range all {
		for _, n := range []int{k.blocks.MR, k.blocks.NR} {
			if !slices.Contains(ws, n) {
				ws = append(ws, n)
			}
		}
	}
	return ws
}

// TestPack checks PackRows and PackCols bit for bit against their
// specification: every panel width w = 0..nr for depths k = 0..17, the
// edge widths for depths up to KC+1, leading dimensions with gaps (that
// must not be written) and large ones, NaN payloads, -0 and ±Inf, and no
// element of the panel past k·nr touched. Every full panel, which the
// assembly packs, runs against a protected page at both ends of src and of
// panel and on the heap; the other cases rotate through the placements.
func TestPack(t *testing.T) {
	for _, trans := range []bool{false, true} {
		name := "Rows"
		if trans {
			name = "Cols"
		}
		t.Run(name, func(t *testing.T) {
			forEachImpl(t, func(t *testing.T, k Kernels) {
				for _, nr := range packWidths() {
					// a subtest per width, so that its guard pages are
					// unmapped as it ends
					t.Run(fmt.Sprint("nr=", nr), func(t *testing.T) { testPack(t, k, trans, nr) })
				}
			})
		})
	}
}

func testPack(t *testing.T, k Kernels, trans bool, nr int) {
	r := rand.New(rand.NewPCG(uint64(nr), 13))
	pack, op := k.PackRows, "packRows"
	if trans {
		pack, op = k.PackCols, "packCols"
	}
	var depths []int
	for d := 0; d <= 17; d++ {
		depths = append(depths, d)
	}
	depths = append(depths, 31, 32, 33, 63, 64, 65, k.blocks.KC-1, k.blocks.KC, k.blocks.KC+1)
	specials := []float32{float32(math.NaN()), math.Float32frombits(0x7f812345), math.Float32frombits(0xffc00001),
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1))}
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
				rows, cols := depth, w // the block of src that is read
				if trans {
					rows, cols = w, depth
				}
				ld := max(cols+[]int{0, 1, 3, 8, 0, 1001}[ci%6], 1)
				src, checkSrc := matrix(t, r, l, rows, cols, ld)
				if ci%3 == 0 && rows > 0 && cols > 0 {
					for range 3 {
						src[r.IntN(rows)*ld+r.IntN(cols)] = specials[r.IntN(len(specials))]
					}
				}
				extra := 0
				if l.off >= 0 {
					extra = 1 + ci%5 // room past k·nr that must stay as it was
				}
				panel, checkPanel := alloc(t, l, depth*nr+extra, fillWith(packFill))
				src0 := append([]float32(nil), src...)
				want := packWant(trans, depth, w, nr, src, ld)
				what := fmt.Sprintf("%s k=%d w=%d nr=%d ld=%d %v", op, depth, w, nr, ld, l)
				guard.Do(t, what, func() { pack(depth, w, nr, src, ld, panel) })
				checkSrc()
				checkPanel()
				if !testkit.SameBits(src, src0) {
					t.Fatalf("%s: src was modified", what)
				}
				for e, v := range panel[:depth*nr] {
					if math.Float32bits(v) != math.Float32bits(want[e]) {
						t.Fatalf("%s: panel[%d] (row %d, column %d) = %v (%#x), want %v (%#x)",
							what, e, e/nr, e%nr, v, math.Float32bits(v), want[e], math.Float32bits(want[e]))
					}
				}
				for e, v := range panel[depth*nr:] {
					if math.Float32bits(v) != math.Float32bits(packFill) {
						t.Fatalf("%s: panel[%d], past k·nr = %d, was overwritten with %v", what, depth*nr+e, depth*nr, v)
					}
				}
			}
		}
	}
}

// TestBadLengthsPanic checks that every kernel refuses slices too short for
// the dimensions it is given before touching them.
func TestBadLengthsPanic(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		s, p := make([]float32, 1000), make([]float32, 1000)
		cases := map[string]func(){
			"axpy":          func() { k.Axpy(1, s[:3], s[:4]) },
			"dot":           func() { k.Dot(s[:4], s[:3]) },
			"gemvN short a": func() { k.GemvN(3, 4, 1, s[:10], 4, s[:4], s[:3]) },
			"gemvN lda<n":   func() { k.GemvN(3, 4, 1, s, 3, s[:4], s[:3]) },
			"gemvN short x": func() { k.GemvN(3, 4, 1, s, 4, s[:3], s[:3]) },
			"gemvT short y": func() { k.GemvT(3, 4, 1, s, 4, s[:3], s[:3]) },
			"ger short a":   func() { k.Ger(3, 4, 1, s[:3], s[:4], s[:10], 4) },
			"ger lda<n":     func() { k.Ger(3, 4, 1, s[:3], s[:4], s, 3) },
			"ger short y":   func() { k.Ger(3, 4, 1, s[:3], s[:3], s, 4) },
			"ger long x":    func() { k.Ger(3, 4, 1, s[:4], s[:4], s, 4) },
			"gemm short a":  func() { k.Gemm(2, 1, s[:2*k.blocks.MR-1], s, 0, s, k.blocks.NR) },
			"gemm short b":  func() { k.Gemm(2, 1, s, s[:2*k.blocks.NR-1], 0, s, k.blocks.NR) },
			"gemm ldc<nr":   func() { k.Gemm(1, 1, s, s, 0, s, k.blocks.NR-1) },
			"gemm short c":  func() { k.Gemm(1, 1, s, s, 0, s[:(k.blocks.MR-1)*k.blocks.NR+k.blocks.NR-1], k.blocks.NR) },
			"gemm k<0":      func() { k.Gemm(-1, 1, s, s, 0, s, k.blocks.NR) },

			"packRows short src":    func() { k.PackRows(3, 4, 6, s[:2*5+3], 5, p) },
			"packRows ld<w":         func() { k.PackRows(3, 4, 6, s, 3, p) },
			"packRows short panel":  func() { k.PackRows(3, 4, 6, s, 5, p[:3*6-1]) },
			"packRows w>nr":         func() { k.PackRows(3, 7, 6, s, 8, p) },
			"packRows w<0":          func() { k.PackRows(3, -1, 6, s, 8, p) },
			"packRows k<0":          func() { k.PackRows(-1, 4, 6, s, 8, p) },
			"packRows ld=0":         func() { k.PackRows(3, 0, 6, s, 0, p) },
			"packCols short src":    func() { k.PackCols(5, 3, 6, s[:2*7+4], 7, p) },
			"packCols ld<k":         func() { k.PackCols(5, 3, 6, s, 4, p) },
			"packCols short panel":  func() { k.PackCols(5, 3, 6, s, 7, p[:5*6-1]) },
			"packCols w>nr":         func() { k.PackCols(5, 7, 6, s, 7, p) },
			"packCols k<0":          func() { k.PackCols(-1, 3, 6, s, 7, p) },
			"packCols full, short":  func() { k.PackCols(16, k.blocks.NR, k.blocks.NR, s[:(k.blocks.NR-1)*16+15], 16, p[:16*k.blocks.NR]) },
			"packRows full, short":  func() { k.PackRows(3, k.blocks.MR, k.blocks.MR, s[:2*k.blocks.MR+k.blocks.MR-1], k.blocks.MR, p) },
			"packCols panel, short": func() { k.PackCols(16, k.blocks.MR, k.blocks.MR, s, 16, p[:16*k.blocks.MR-1]) },
		}
		for name, f := range cases {
			if msg := refusal(f); !strings.HasPrefix(msg, "asm: ") {
				t.Errorf("%s: got %q, want a panic \"asm: ...\"", name, msg)
			}
		}
	})
}

// refusal runs f with faults turned into panics and returns what it
// panicked with, or "(returned)" if it did not.
func refusal(f func()) (msg string) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
			if _, ok := r.(string); !ok {
				msg = fmt.Sprintf("%T: %v", r, r) // a fault or a Go bounds check: not a refusal
			}
		}
	}()
	f()
	return "(returned)"
}

// TestScalTakesAnyX: Scal has nothing to check; it must accept every x,
// nil and empty ones included, on every implementation.
func TestScalTakesAnyX(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		for _, x := range [][]float32{nil, {}, guard.Alloc(t, 0, guard.End), guard.Alloc(t, 0, guard.Start)} {
			if msg := refusal(func() { k.Scal(2, x) }); msg != "(returned)" {
				t.Fatalf("Scal(2, %v): %s", x, msg)
			}
		}
	})
}

func TestChoose(t *testing.T) {
	require.Same(t, generic.kernelSet, choose("generic").kernelSet)
	require.Same(t, all[0].kernelSet, choose("").kernelSet, "no setting: the fastest")
	require.Same(t, all[0].kernelSet, choose("no-such-kernels").kernelSet, "an unknown name: the fastest")
	require.Same(t, generic.kernelSet, all[len(all)-1].kernelSet, "generic is the last resort: %v", Available())
	for _, k := range all {
		assert.Zero(t, k.blocks.MC%k.blocks.MR, "%s: MC %d is not a multiple of MR %d", k.name, k.blocks.MC, k.blocks.MR)
		assert.Zero(t, k.blocks.NC%k.blocks.NR, "%s: NC %d is not a multiple of NR %d", k.name, k.blocks.NC, k.blocks.NR)
		assert.Positive(t, k.blocks.KC, k.name)
		found, ok := Lookup(k.name)
		assert.True(t, ok, k.name)
		assert.Same(t, k.kernelSet, found.kernelSet)
	}
}

// TestExpectedKernels fails, rather than skips, when this machine should run
// assembly but the assembly is not available or not active: on a CPU with
// AVX-512 that is avx512, with avx2fma still available behind it.
func TestExpectedKernels(t *testing.T) {
	want := expectedKernels()
	require.Equal(t, want, Available(), "available kernels on this machine, fastest first")
	switch env := os.Getenv(EnvVar); {
	case env == "":
		require.Equal(t, want[0], Active(), "active kernels")
	case func() bool { _, ok := Lookup(env); return ok }():
		require.Equal(t, env, Active(), "active kernels with %s=%s", EnvVar, env)
	}
}
