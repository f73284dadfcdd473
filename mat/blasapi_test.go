package mat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/pente-go/pente/mat/asm"
)

// Tests of the BLAS-convention entry points (blas.go), in both precisions,
// on every implementation. float32 results are checked against float64
// references; float64 ones against references summed in double-double
// arithmetic (twoSum, twoProd), whose own error is far below a float64
// rounding. An element passes within 2·(k+3)·u·magnitude, u the unit
// roundoff of its precision and magnitude Σ|terms|, as approx.Bound.

// unit returns the unit roundoff of T.
func unit[T elem]() float64 {
	if _, ok := any(T(0)).(float32); ok {
		return 0x1p-24
	}
	return 0x1p-53
}

// ddSum accumulates a sum of products in double-double arithmetic.
type ddSum struct{ hi, lo, mag float64 }

func (s *ddSum) add(a, b float64) {
	p := a * b
	pe := math.FMA(a, b, -p) // p + pe = a·b exactly
	t := s.hi + p
	bb := t - s.hi
	e := (s.hi - (t - bb)) + (p - bb) // s.hi + p = t + e exactly
	s.hi, s.lo = t, s.lo+e+pe
	s.mag += math.Abs(p)
}

func (s *ddSum) value() float64 { return s.hi + s.lo }

// closeTo reports whether got is want within the bound for a sum of k terms
// of total magnitude mag in precision T; NaN and Inf must match exactly.
func closeTo[T elem](got T, want float64, k int, mag float64) bool {
	g := float64(got)
	switch {
	case math.IsNaN(want):
		return math.IsNaN(g)
	case math.IsInf(want, 0):
		return g == want
	}
	return math.Abs(g-want) <= 2*float64(k+3)*unit[T]()*mag
}

// randSlice returns n random elements in [-1, 1).
func randSlice[T elem](r *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(2*r.Float64() - 1)
	}
	return s
}

// blasDims returns dimensions at the edges of the T kernels' tiles and of
// KC, and a few random ones.
func blasDims[T elem](r *rand.Rand, k asm.Kernels) []int {
	bl := kernelsOf[T](k).bl
	d := []int{0, 1, 2}
	for _, e := range []int{bl.MR, bl.NR, bl.KC} {
		d = append(d, e-1, e, e+1)
	}
	for range 2 {
		d = append(d, 3+r.IntN(200))
	}
	return slices.Compact(slices.Sorted(slices.Values(d)))
}

func TestSgemm(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) { testGemmBLAS[float32](t, k) })
}
func TestDgemm(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) { testGemmBLAS[float64](t, k) })
}

// testGemmBLAS sweeps shapes across every block edge, the four transpose
// cases, leading dimensions larger than needed, alpha and beta in {0, 1,
// −1, random} with NaN in C where beta is 0 and in A and B where alpha is 0,
// and checks every element of C, and that the padding between and after
// the rows of C is untouched.
func testGemmBLAS[T elem](t *testing.T, kern asm.Kernels) {
	r := rand.New(rand.NewPCG(61, 62))
	ms, ns, ks := blasDims[T](r, kern), blasDims[T](r, kern), blasDims[T](r, kern)
	bl := kernelsOf[T](kern).bl
	scalars := []T{0, 1, -1, 0.75, -1.3}
	nan := T(math.NaN())
	cases := 0
	run := func(tA, tB Transpose, m, n, kk int, alpha, beta T, pad int, threads int) {
		cases++
		ar, ac := m, kk
		if tA == Trans {
			ar, ac = kk, m
		}
		br, bc := kk, n
		if tB == Trans {
			br, bc = n, kk
		}
		lda, ldb, ldc := max(1, ac)+pad%3, max(1, bc)+pad%4, max(1, n)+pad%5
		size := func(rows, cols, ld int) int {
			if rows == 0 || cols == 0 {
				return pad % 2
			}
			return (rows-1)*ld + cols + pad%2
		}
		a, b := randSlice[T](r, size(ar, ac, lda)), randSlice[T](r, size(br, bc, ldb))
		c := randSlice[T](r, size(m, n, ldc))
		if alpha == 0 {
			for i := range a {
				a[i] = nan
			}
			for i := range b {
				b[i] = nan
			}
		}
		if beta == 0 {
			for i := range c {
				c[i] = nan
			}
		}
		c0 := slices.Clone(c)
		at := func(s []T, ld int, tr Transpose, i, j int) float64 {
			if tr == Trans {
				i, j = j, i
			}
			return float64(s[i*ld+j])
		}
		blasGemm("gemm", kern, threadsOf(1+cases%3), tA, tB, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc)
		what := fmt.Sprintf("%v%v m=%d n=%d k=%d alpha=%v beta=%v lda=%d ldb=%d ldc=%d", tA, tB, m, n, kk, alpha, beta, lda, ldb, ldc)
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var s ddSum
				if alpha != 0 {
					for l := 0; l < kk; l++ {
						s.add(at(a, lda, tA, i, l), at(b, ldb, tB, l, j))
					}
				}
				want := float64(alpha) * s.value()
				mag := math.Abs(float64(alpha)) * s.mag
				if beta != 0 {
					bc := float64(beta) * float64(c0[i*ldc+j])
					want += bc
					mag += math.Abs(bc)
				}
				if got := c[i*ldc+j]; !closeTo(got, want, kk+2, mag) {
					t.Fatalf("%s: C(%d,%d) = %v, want %v", what, i, j, got, want)
				}
			}
		}
		for i := range c {
			if row, col := i/ldc, i%ldc; (row >= m || col >= n) && !same1(c[i], c0[i]) {
				t.Fatalf("%s: c[%d], outside C, changed", what, i)
			}
		}
	}
	for _, tr := range transposes {
		for mi, m := range ms {
			for ni, n := range ns {
				idx := cases
				kk := ks[(mi*5+ni*3+idx)%len(ks)]
				run(tr[0], tr[1], m, n, kk, scalars[idx%5], scalars[(idx/5)%5], idx, 1)
			}
		}
		// Blocks crossing MC, KC and NC, where beta must apply once only.
		for _, sh := range [][3]int{{bl.MC + bl.MR + 1, bl.NR + 3, bl.KC + 5}, {3, bl.NC + bl.NR + 1, 2}, {bl.MR + 1, bl.NR + 1, 2*bl.KC + 1}} {
			for _, beta := range []T{0, -0.5} {
				run(tr[0], tr[1], sh[0], sh[1], sh[2], 1.25, beta, cases, 1)
			}
		}
	}
	t.Logf("%d cases", cases)
}

// same1 reports whether x and y are the same value, NaN included.
func same1[T elem](x, y T) bool { return x == y || x != x && y != y }

func TestBLASGemmThreads(t *testing.T) {
	testBLASThreads[float32](t)
	testBLASThreads[float64](t)
}

// testBLASThreads: Xgemm and Xgemv on 1 to 4 threads give the same bits,
// for shapes large enough to be split, both ways.
func testBLASThreads[T elem](t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	forEachImpl(t, func(t *testing.T, kern asm.Kernels) {
		r := rand.New(rand.NewPCG(63, 64))
		for _, sh := range [][3]int{{203, 157, 131}, {9, 700, 300}, {700, 9, 300}} {
			m, n, kk := sh[0], sh[1], sh[2]
			for _, tr := range transposes {
				a, b, c0 := randSlice[T](r, m*kk+3), randSlice[T](r, kk*n+5), randSlice[T](r, m*(n+2))
				lda, ldb := kk, n
				if tr[0] == Trans {
					lda = m
				}
				if tr[1] == Trans {
					ldb = kk
				}
				var want []T
				for threads := 1; threads <= 4; threads++ {
					c := slices.Clone(c0)
					blasGemm("gemm", kern, threadsOf(threads), tr[0], tr[1], m, n, kk, 0.5, a, lda, b, ldb, -1.5, c, n+2)
					if want == nil {
						want = c
					} else if !slices.Equal(c, want) {
						t.Fatalf("%v%v %d×%d×%d: %d threads differ from one", tr[0], tr[1], m, n, kk, threads)
					}
				}
			}
		}
		a := randSlice[T](r, 1030*700)
		for _, tA := range []Transpose{NoTrans, Trans} {
			x, y0 := randSlice[T](r, 2100), randSlice[T](r, 3100)
			var want []T
			for threads := 1; threads <= 4; threads++ {
				y := slices.Clone(y0)
				blasGemv("gemv", kern, threadsOf(threads), tA, 1030, 700, 1.5, a, 700, x, 2, 0.5, y, -3)
				if want == nil {
					want = y
				} else if !slices.Equal(y, want) {
					t.Fatalf("gemv %v: %d threads differ from one", tA, threads)
				}
			}
		}
	})
}

// incs are the increments the level-1 and level-2 tests use.
var incs = []int{1, 2, -1, -3}

// vecAt returns element i of the n-vector s with increment inc.
func vecAt[T elem](s []T, n, inc, i int) T { return s[start(n, inc)+i*inc] }

// vecLen returns the length of a slice holding n elements with increment inc.
func vecLen(n, inc int) int {
	if n == 0 {
		return 0
	}
	return 1 + (n-1)*int(absInc(inc))
}

func TestSgemvBLAS(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) { testGemvBLAS[float32](t, k) })
}
func TestDgemvBLAS(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) { testGemvBLAS[float64](t, k) })
}

func testGemvBLAS[T elem](t *testing.T, kern asm.Kernels) {
	r := rand.New(rand.NewPCG(65, 66))
	sizes := []int{0, 1, 3, 4, 5, 16, 31, 33, 70}
	scalars := []T{0, 1, -1, 0.6}
	nan := T(math.NaN())
	idx := 0
	for _, tA := range []Transpose{NoTrans, Trans} {
		for _, m := range sizes {
			for _, n := range sizes {
				idx++
				alpha, beta := scalars[idx%4], scalars[(idx/4)%4]
				incX, incY := incs[idx%4], incs[(idx/4)%4]
				lda := max(1, n) + idx%3
				a := randSlice[T](r, max(0, (m-1)*lda+n))
				lx, ly := n, m
				if tA == Trans {
					lx, ly = m, n
				}
				x, y := randSlice[T](r, vecLen(lx, incX)), randSlice[T](r, vecLen(ly, incY)+1)
				if alpha == 0 {
					for i := range a {
						a[i] = nan
					}
				}
				if beta == 0 {
					for i := range y {
						y[i] = nan
					}
				}
				y0 := slices.Clone(y)
				blasGemv("gemv", kern, Threads, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
				what := fmt.Sprintf("gemv %v m=%d n=%d alpha=%v beta=%v lda=%d incX=%d incY=%d", tA, m, n, alpha, beta, lda, incX, incY)
				for i := 0; i < ly; i++ {
					want, mag := float64(vecAt(y0, ly, incY, i)), 0.0
					if m == 0 || n == 0 {
						// BLAS does nothing at all.
					} else {
						var s ddSum
						if alpha != 0 {
							for j := 0; j < lx; j++ {
								ai, aj := i, j
								if tA == Trans {
									ai, aj = j, i
								}
								av := a[ai*lda+aj]
								s.add(float64(av), float64(vecAt(x, lx, incX, j)))
							}
						}
						want, mag = float64(alpha)*s.value(), math.Abs(float64(alpha))*s.mag
						if beta != 0 {
							bv := float64(beta) * float64(vecAt(y0, ly, incY, i))
							want += bv
							mag += math.Abs(bv)
						}
					}
					if got := vecAt(y, ly, incY, i); !closeTo(got, want, lx+2, mag) {
						t.Fatalf("%s: y[%d] = %v, want %v", what, i, got, want)
					}
				}
				if last := len(y) - 1; !same1(y[last], y0[last]) {
					t.Fatalf("%s: the element after y changed", what)
				}
				for i := 0; i < ly; i++ { // the elements between y's
					for j := 1; j < int(absInc(incY)) && start(ly, incY)+i*incY+j < len(y)-1; j++ {
						if e := start(ly, incY) + i*incY + j; incY > 0 && !same1(y[e], y0[e]) {
							t.Fatalf("%s: y[%d], between elements, changed", what, e)
						}
					}
				}
			}
		}
	}
}

func TestSgerBLAS(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) { testGerBLAS[float32](t, k) })
}
func TestDgerBLAS(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) { testGerBLAS[float64](t, k) })
}

func testGerBLAS[T elem](t *testing.T, kern asm.Kernels) {
	r := rand.New(rand.NewPCG(67, 68))
	sizes := []int{0, 1, 3, 8, 17, 40}
	idx := 0
	for _, m := range sizes {
		for _, n := range sizes {
			idx++
			alpha := []T{0, 1, -0.7}[idx%3]
			incX, incY := incs[idx%4], incs[(idx/4)%4]
			lda := max(1, n) + idx%3
			a := randSlice[T](r, max(0, (m-1)*lda+n))
			x, y := randSlice[T](r, vecLen(m, incX)), randSlice[T](r, vecLen(n, incY))
			a0 := slices.Clone(a)
			blasGer("ger", kern, m, n, alpha, x, incX, y, incY, a, lda)
			for i := 0; i < m; i++ {
				for j := 0; j < lda && i*lda+j < len(a); j++ {
					want, mag := float64(a0[i*lda+j]), 0.0
					if j < n {
						p := float64(alpha) * float64(vecAt(x, m, incX, i)) * float64(vecAt(y, n, incY, j))
						want += p
						mag = math.Abs(want) + math.Abs(p)
					}
					if got := a[i*lda+j]; !closeTo(got, want, 2, mag) {
						t.Fatalf("ger m=%d n=%d alpha=%v incX=%d incY=%d: A(%d,%d) = %v, want %v", m, n, alpha, incX, incY, i, j, got, want)
					}
				}
			}
		}
	}
}

func TestLevel1BLAS(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) {
		testLevel1BLAS[float32](t, k)
		testLevel1BLAS[float64](t, k)
	})
}

// testLevel1BLAS checks axpy, dot and scal for lengths across the kernels'
// blocks and across dotChunk (the split), on one and three threads, with
// every pair of increments.
func testLevel1BLAS[T elem](t *testing.T, kern asm.Kernels) {
	r := rand.New(rand.NewPCG(69, 70))
	for _, n := range []int{0, 1, 7, 8, 33, 1000, parallelVector + 3} {
		for _, incX := range incs {
			for _, incY := range incs {
				x, y0 := randSlice[T](r, vecLen(n, incX)), randSlice[T](r, vecLen(n, incY))
				var s ddSum
				for i := 0; i < n; i++ {
					s.add(float64(vecAt(x, n, incX, i)), float64(vecAt(y0, n, incY, i)))
				}
				var dots []T
				for _, threads := range []int{1, 3} {
					what := fmt.Sprintf("n=%d incX=%d incY=%d threads=%d", n, incX, incY, threads)
					d := blasDot("dot", kern, threadsOf(threads), n, x, incX, y0, incY)
					if !closeTo(d, s.value(), n, s.mag) {
						t.Fatalf("dot %s: %v, want %v", what, d, s.value())
					}
					dots = append(dots, d)
					y := slices.Clone(y0)
					blasAxpy("axpy", kern, threadsOf(threads), n, -0.75, x, incX, y, incY)
					for i := 0; i < n; i++ {
						xi, yi := float64(vecAt(x, n, incX, i)), float64(vecAt(y0, n, incY, i))
						if got, want := vecAt(y, n, incY, i), yi-0.75*xi; !closeTo(got, want, 1, math.Abs(yi)+0.75*math.Abs(xi)) {
							t.Fatalf("axpy %s: y[%d] = %v, want %v", what, i, got, want)
						}
					}
					if incX > 0 {
						z := slices.Clone(x)
						blasScal("scal", kern, threadsOf(threads), n, 1.5, z, incX)
						for i := range z {
							want := x[i]
							if i%incX == 0 {
								want = 1.5 * x[i]
							}
							if z[i] != want {
								t.Fatalf("scal %s: x[%d] = %v, want %v", what, i, z[i], want)
							}
						}
					}
				}
				if dots[0] != dots[1] {
					t.Fatalf("dot n=%d incX=%d incY=%d: 3 threads differ from one", n, incX, incY)
				}
			}
		}
	}
	// Axpy on the same vector, or on overlapping strided ones, is BLAS's
	// loop, element by element in order.
	x := []T{1, 2, 3, 4, 5}
	blasAxpy("axpy", kern, Threads, 4, 2, x, 1, x[1:], 1)
	if want := []T{1, 4, 11, 26, 57}; !slices.Equal(x, want) {
		t.Fatalf("overlapping axpy: %v, want %v", x, want)
	}
}

// TestBLASPanics: bad arguments panic, before anything is computed, with
// the routine and the argument named.
func TestBLASPanics(t *testing.T) {
	f, d := make([]float32, 100), make([]float64, 100)
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { Sgemm(2, NoTrans, 1, 1, 1, 1, f, 1, f, 1, 0, f, 1) }, "mat: Sgemm: tA is Transpose(2)"},
		{func() { Dgemm(NoTrans, NoTrans, -1, 1, 1, 1, d, 1, d, 1, 0, d, 1) }, "mat: Dgemm: m (-1) < 0"},
		{func() { Dgemm(NoTrans, NoTrans, 2, 2, 4, 1, d, 3, d, 4, 0, d, 2) }, "mat: Dgemm: lda (3) < k (4)"},
		{func() { Dgemm(Trans, NoTrans, 5, 2, 4, 1, d, 4, d, 4, 0, d, 2) }, "mat: Dgemm: lda (4) < m (5)"},
		{func() { Dgemm(NoTrans, Trans, 2, 3, 4, 1, d, 4, d, 3, 0, d, 3) }, "mat: Dgemm: ldb (3) < k (4)"},
		{func() { Dgemm(NoTrans, NoTrans, 2, 3, 0, 1, d, 0, d, 3, 0, d, 3) }, "mat: Dgemm: lda (0) < 1"},
		{func() { Dgemm(NoTrans, NoTrans, 2, 3, 4, 1, d, 4, d, 3, 0, d, 2) }, "mat: Dgemm: ldc (2) < n (3)"},
		{func() { Dgemm(NoTrans, NoTrans, 30, 3, 4, 1, d, 4, d, 3, 0, d, 3) }, "mat: Dgemm: len(a) (100) < (30-1)·4 + 4"},
		{func() { Dgemm(NoTrans, NoTrans, 2, 2, 2, 1, d, 2, d, 2, 0, d[1:], 2) }, "mat: Dgemm: c shares memory with a or b"},
		{func() { Dgemm(NoTrans, NoTrans, 1<<40, 1<<40, 1, 1, d, 1, d, 1<<40, 0, d, 1<<40) }, "mat: Dgemm: len(a) (100) < (1099511627776-1)·1 + 1"},
		{func() { Dgemm(NoTrans, NoTrans, 3, 2, 2, 1, d, 2, d, 2, 0, d[50:], math.MaxInt) }, "mat: Dgemm: len(c) (50) < (3-1)·9223372036854775807 + 2"},
		{func() { Sgemv(NoTrans, 2, 3, 1, f, 3, f, 0, 0, f, 1) }, "mat: Sgemv: incX is 0"},
		{func() { Dgemv(Trans, 2, 3, 1, d, 3, d, 1, 0, d[:4], -2) }, "mat: Dgemv: len(y) (4) < 1 + (3-1)·2"},
		{func() { Dgemv(NoTrans, 2, 3, 1, d, 3, d, 1, 0, d[1:], 1) }, "mat: Dgemv: y shares memory with a or x"},
		{func() { Dger(2, 3, 1, d[:1], 1, d, 1, d, 3) }, "mat: Dger: len(x) (1) < 1 + (2-1)·1"},
		{func() { Sger(2, 3, 1, f[:2], 1, f[10:], 1, f[5:], 3) }, "mat: Sger: a shares memory with x or y"},
		{func() { Daxpy(-1, 1, d, 1, d, 1) }, "mat: Daxpy: n (-1) < 0"},
		{func() { Saxpy(3, 1, f, 1, f, 0) }, "mat: Saxpy: incY is 0"},
		{func() { Ddot(60, d, 2, d, 1) }, "mat: Ddot: len(x) (100) < 1 + (60-1)·2"},
		{func() { Ddot(2, d, math.MinInt, d, 1) }, "mat: Ddot: len(x) (100) < 1 + (2-1)·9223372036854775808"},
		{func() { Dscal(3, 1, d, -1) }, "mat: Dscal: incX (-1) ≤ 0"},
	} {
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.HasPrefix(msg, c.want) {
					t.Errorf("panic %q, want %q…", msg, c.want)
				}
			}()
			c.f()
		}()
	}
	// What BLAS allows: nothing to do, one row with any leading dimension.
	Dgemm(NoTrans, NoTrans, 0, 3, 4, 1, nil, 4, nil, 3, 0, nil, 3)
	Dgemv(NoTrans, 0, 3, 1, nil, 3, nil, 1, 0, nil, 1)
	c := []float64{0, 0}
	Dgemm(NoTrans, NoTrans, 1, 2, 1, 1, []float64{2}, math.MaxInt, []float64{3, 4}, math.MaxInt, 0, c, math.MaxInt)
	if c[0] != 6 || c[1] != 8 {
		t.Errorf("1×2 product with huge leading dimensions: %v", c)
	}
}

// TestDotAnyThreads: a long Dot is summed in the same pieces on one thread
// as on several.
func TestDotAnyThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer SetThreads(SetThreads(0))
	r := rand.New(rand.NewPCG(71, 72))
	x, y := randSlice[float32](r, 3*dotChunk+5), randSlice[float32](r, 3*dotChunk+5)
	x = append(x, make([]float32, parallelVector)...)
	y = append(y, make([]float32, parallelVector)...)
	SetThreads(1)
	one := Dot(x, y)
	SetThreads(3)
	if three := Dot(x, y); three != one {
		t.Fatalf("Dot: %v on three threads, %v on one", three, one)
	}
}
