package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	fmt.Printf("mat/asm: active kernels %q, available %v; %s\n", Active(), Names(), CPU())
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

func forEachImpl(t *testing.T, f func(t *testing.T, k *Kernels)) {
	for _, k := range Available() {
		t.Run(k.Name, func(t *testing.T) { f(t, k) })
	}
}

func TestAxpy(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k *Kernels) {
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
	forEachImpl(t, func(t *testing.T, k *Kernels) {
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
	forEachImpl(t, func(t *testing.T, k *Kernels) {
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
			forEachImpl(t, func(t *testing.T, k *Kernels) {
				testGemv(t, k, trans)
			})
		})
	}
}

func testGemv(t *testing.T, k *Kernels, trans bool) {
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
	forEachImpl(t, func(t *testing.T, k *Kernels) {
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
	forEachImpl(t, func(t *testing.T, k *Kernels) {
		r := rand.New(rand.NewPCG(9, 10))
		mr, nr := k.MR, k.NR
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

// TestBadLengthsPanic checks that every kernel refuses slices too short for
// the dimensions it is given before touching them.
func TestBadLengthsPanic(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k *Kernels) {
		s := make([]float32, 100)
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
			"gemm short a":  func() { k.Gemm(2, 1, s[:2*k.MR-1], s, 0, s, k.NR) },
			"gemm short b":  func() { k.Gemm(2, 1, s, s[:2*k.NR-1], 0, s, k.NR) },
			"gemm ldc<nr":   func() { k.Gemm(1, 1, s, s, 0, s, k.NR-1) },
			"gemm short c":  func() { k.Gemm(1, 1, s, s, 0, s[:(k.MR-1)*k.NR+k.NR-1], k.NR) },
			"gemm k<0":      func() { k.Gemm(-1, 1, s, s, 0, s, k.NR) },
		}
		for name, f := range cases {
			if !panics(f) {
				t.Errorf("%s: no panic", name)
			}
		}
	})
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}

func TestChoose(t *testing.T) {
	require.Same(t, generic, choose("generic"))
	require.Same(t, all[0], choose(""), "no setting: the fastest")
	require.Same(t, all[0], choose("no-such-kernels"), "an unknown name: the fastest")
	require.Same(t, generic, all[len(all)-1], "generic is the last resort: %v", Names())
	for _, k := range all {
		assert.Zero(t, k.MC%k.MR, "%s: MC %d is not a multiple of MR %d", k.Name, k.MC, k.MR)
		assert.Zero(t, k.NC%k.NR, "%s: NC %d is not a multiple of NR %d", k.Name, k.NC, k.NR)
		assert.Positive(t, k.KC, k.Name)
		assert.Same(t, k, Lookup(k.Name))
	}
}

// TestExpectedKernels fails, rather than skips, when this machine should run
// assembly but the assembly is not available or not active: on a CPU with
// AVX-512 that is avx512, with avx2fma still available behind it.
func TestExpectedKernels(t *testing.T) {
	want := expectedKernels()
	require.Equal(t, want, Names(), "available kernels on this machine, fastest first")
	switch env := os.Getenv(EnvVar); {
	case env == "":
		require.Equal(t, want[0], Active(), "active kernels")
	case Lookup(env) != nil:
		require.Equal(t, env, Active(), "active kernels with %s=%s", EnvVar, env)
	}
}
