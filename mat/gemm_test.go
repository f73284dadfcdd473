package mat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/mat/asm"
)

// refGemm returns alpha·op(A)·op(B) + beta·C in float64, and for each element
// the magnitude |alpha|·Σ|a·b| + |beta·c| that its tolerance scales with.
// As in BLAS, C is not read when beta is zero and A, B are not read when
// alpha is zero.
func refGemm(tA, tB Transpose, alpha float32, a, b *Dense, beta float32, c *Dense) (want, mag []float64) {
	m, kk := opDims(tA, a)
	_, n := opDims(tB, b)
	at := func(t Transpose, x *Dense, i, j int) float64 {
		if t == Trans {
			i, j = j, i
		}
		return float64(x.Data[i*x.Stride+j])
	}
	want, mag = make([]float64, m*n), make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, g float64
			if alpha != 0 {
				for l := 0; l < kk; l++ {
					p := at(tA, a, i, l) * at(tB, b, l, j)
					s += p
					g += math.Abs(p)
				}
				s *= float64(alpha)
				g *= math.Abs(float64(alpha))
			}
			if beta != 0 {
				cv := float64(beta) * float64(c.Data[i*c.Stride+j])
				s += cv
				g += math.Abs(cv)
			}
			want[i*n+j], mag[i*n+j] = s, g
		}
	}
	return want, mag
}

// gemmCase is one call of Gemm to check.
type gemmCase struct {
	tA, tB      Transpose
	m, n, k     int
	alpha, beta float32
	pad         [3]int // stride − columns for A, B, C
	place       placement
	specials    bool // NaN and Inf in A and B (and C when beta ≠ 0)
	parts       int  // > 0: the packed path split into up to parts parts, even where Gemm would take another
}

func (c gemmCase) String() string {
	return fmt.Sprintf("%v,%v m=%d n=%d k=%d alpha=%v beta=%v pad=%v %v specials=%v parts=%v",
		c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.beta, c.pad, c.place, c.specials, c.parts)
}

func runGemmCase(t *testing.T, kern asm.Kernels, r *rand.Rand, tc gemmCase) {
	t.Helper()
	ar, ac := tc.m, tc.k
	if tc.tA == Trans {
		ar, ac = ac, ar
	}
	br, bc := tc.k, tc.n
	if tc.tB == Trans {
		br, bc = bc, br
	}
	fillAB := uniform(r)
	if tc.alpha == 0 {
		fillAB = constant(float32(math.NaN())) // must not be read
	}
	a, checkA := newMat(t, tc.place, ar, ac, ac+tc.pad[0], fillAB)
	b, checkB := newMat(t, tc.place, br, bc, bc+tc.pad[1], fillAB)
	fillC := uniform(r)
	if tc.beta == 0 {
		fillC = constant(float32(math.NaN())) // must not be read
	}
	c, checkC := newMat(t, tc.place, tc.m, tc.n, tc.n+tc.pad[2], fillC)
	if tc.specials {
		sprinkle(r, a)
		sprinkle(r, b)
		if tc.beta != 0 {
			sprinkle(r, c)
		}
	}
	want, mag := refGemm(tc.tA, tc.tB, tc.alpha, a, b, tc.beta, c)
	sa, sb := snapshot(a), snapshot(b)
	guard.Do(t, tc.String(), func() {
		if tc.parts > 0 {
			gemmSplit(kern, tc.parts, tc.tA, tc.tB, tc.alpha, a, b, tc.beta, c)
			return
		}
		gemmOn(kern, Threads, tc.tA, tc.tB, tc.alpha, a, b, tc.beta, c)
	})
	checkA()
	checkB()
	checkC()
	if !slices.Equal(sa, snapshot(a)) || !slices.Equal(sb, snapshot(b)) {
		t.Fatalf("%v: A or B was modified", tc)
	}
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			w, tol := want[i*tc.n+j], approx.Bound(tc.k, mag[i*tc.n+j])
			if got := c.Data[i*c.Stride+j]; !approx.Close(got, w, tol) {
				t.Fatalf("%v: C(%d,%d) = %v, want %v (tolerance %g)", tc, i, j, got, w, tol)
			}
		}
	}
}

var transposes = [][2]Transpose{{NoTrans, NoTrans}, {NoTrans, Trans}, {Trans, NoTrans}, {Trans, Trans}}

// dimsFor returns the sizes every dimension of Gemm is tried with for
// kernels k: 0, 1, 2, the edges of its MR and NR tiles and of its KC block,
// and three random sizes up to 300.
func dimsFor(r *rand.Rand, k asm.Kernels) []int {
	d := []int{0, 1, 2}
	for _, e := range []int{k.Blocks().MR, k.Blocks().NR, k.Blocks().KC} {
		d = append(d, e-1, e, e+1)
	}
	for range 3 {
		d = append(d, 3+r.IntN(298))
	}
	return d
}

// TestGemm sweeps shapes at the edges of every tile and block of each
// implementation, all four transpose cases, strides, offsets, guard pages,
// alpha and beta in {0, 1, −1, random}, and NaN/Inf inputs, against a
// float64 reference.
func TestGemm(t *testing.T) {
	forEachImpl(t, func(t *testing.T, kern asm.Kernels) {
		r := rand.New(rand.NewPCG(21, 22))
		ms, ns, ks := dimsFor(r, kern), dimsFor(r, kern), dimsFor(r, kern)
		scalars := []float32{0, 1, -1, 0.75, -1.3}
		cases := 0
		for _, tr := range transposes {
			for mi, m := range ms {
				for ni, n := range ns {
					// Every (m, n) pair once per transpose case, with k, the
					// scalars, strides and placement varying along the sweep.
					idx := cases
					kk := ks[(mi*7+ni*3+idx)%len(ks)]
					for step := 1; m*n*kk > 1<<21 && step < len(ks); step++ {
						// Keep the float64 reference, and qemu, quick.
						kk = ks[(mi*7+ni*3+idx+step)%len(ks)]
					}
					tc := gemmCase{
						tA: tr[0], tB: tr[1], m: m, n: n, k: kk,
						alpha:    scalars[idx%len(scalars)],
						beta:     scalars[(idx/len(scalars))%len(scalars)],
						pad:      [3]int{idx % 3, (idx / 3) % 4, (idx / 2) % 5},
						place:    placements[idx%len(placements)],
						specials: idx%7 == 0,
						parts:    idx % 2, // the packed path for shapes Gemm computes otherwise, too
					}
					runGemmCase(t, kern, r, tc)
					cases++
				}
			}
		}
		// Blocks crossing MC, KC and NC, where beta must apply once only.
		for _, tr := range transposes {
			for _, sh := range [][3]int{
				{kern.Blocks().MC + kern.Blocks().MR + 1, kern.Blocks().NR + 3, kern.Blocks().KC + 5},
				{3, kern.Blocks().NC + kern.Blocks().NR + 1, 2},
				{kern.Blocks().MR + 1, kern.Blocks().NR + 1, 2*kern.Blocks().KC + 1},
			} {
				for _, beta := range []float32{0, -0.5} {
					runGemmCase(t, kern, r, gemmCase{tA: tr[0], tB: tr[1], m: sh[0], n: sh[1], k: sh[2],
						alpha: 1.25, beta: beta, pad: [3]int{1, 2, 3}, place: placements[cases%len(placements)]})
					cases++
				}
			}
		}
		t.Logf("%d cases", cases)
	})
}

// TestGemmViews multiplies views into larger matrices, whose elements
// outside the views must be left alone.
func TestGemmViews(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	big := func(rows, cols int) *Dense {
		m := NewDense(rows, cols, nil)
		for i := range m.Data {
			m.Data[i] = 2*r.Float32() - 1
		}
		return m
	}
	pa, pb, pc := big(40, 50), big(60, 45), big(30, 70)
	a := pa.Slice(3, 3+17, 5, 5+29)   // 17×29
	b := pb.Slice(7, 7+29, 2, 2+23)   // 29×23
	c := pc.Slice(4, 4+17, 11, 11+23) // 17×23
	before := append([]float32(nil), pc.Data...)
	want, mag := refGemm(NoTrans, NoTrans, 1.5, a, b, -0.5, c)
	Gemm(NoTrans, NoTrans, 1.5, a, b, -0.5, c)
	for i := 0; i < pc.Rows; i++ {
		for j := 0; j < pc.Cols; j++ {
			got := pc.At(i, j)
			if i >= 4 && i < 21 && j >= 11 && j < 34 {
				w := want[(i-4)*23+j-11]
				if tol := approx.Bound(29, mag[(i-4)*23+j-11]); !approx.Close(got, w, tol) {
					t.Fatalf("C(%d,%d) = %v, want %v", i-4, j-11, got, w)
				}
			} else if got != before[i*pc.Stride+j] {
				t.Fatalf("element (%d,%d) of C's parent, outside the view, changed", i, j)
			}
		}
	}
}

func TestGemmPanics(t *testing.T) {
	d := func(r, c int) *Dense { return NewDense(r, c, nil) }
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"inner", func() { Gemm(NoTrans, NoTrans, 1, d(2, 3), d(4, 2), 0, d(2, 2)) },
			"mat: Gemm: op(A) is 2×3 but op(B) is 4×2"},
		{"inner trans", func() { Gemm(Trans, NoTrans, 1, d(2, 3), d(3, 2), 0, d(3, 2)) },
			"mat: Gemm: op(A) is 3×2 but op(B) is 3×2"},
		{"C", func() { Gemm(NoTrans, Trans, 1, d(2, 3), d(4, 3), 0, d(2, 3)) },
			"mat: Gemm: op(A)·op(B) is 2×4 but C is 2×3"},
		{"stride", func() {
			Gemm(NoTrans, NoTrans, 1, &Dense{Rows: 2, Cols: 3, Stride: 2, Data: make([]float32, 6)}, d(3, 2), 0, d(2, 2))
		},
			"mat: Gemm: A is 2×3 with stride 2 < 3 columns"},
		{"short data", func() {
			Gemm(NoTrans, NoTrans, 1, d(2, 3), &Dense{Rows: 3, Cols: 2, Stride: 2, Data: make([]float32, 5)}, 0, d(2, 2))
		},
			"mat: Gemm: B is 3×2 with stride 2: needs 6 elements, Data has 5"},
		{"nil", func() { Gemm(NoTrans, NoTrans, 1, d(2, 3), d(3, 2), 0, nil) },
			"mat: Gemm: C is nil"},
		{"transpose", func() { Gemm(Transpose(7), NoTrans, 1, d(2, 3), d(3, 2), 0, d(2, 2)) },
			"mat: Gemm: tA is Transpose(7)"},
	}
	for _, c := range cases {
		if got := testkit.PanicMessage(c.f); got != c.want {
			t.Errorf("%s: panic %q, want %q", c.name, got, c.want)
		}
	}
}

// TestGemmZeroSized checks that empty dimensions do nothing wrong: k == 0
// scales C by beta, m == 0 or n == 0 touches nothing.
func TestGemmZeroSized(t *testing.T) {
	c := NewDense(2, 3, []float32{1, 2, 3, 4, 5, 6})
	Gemm(NoTrans, NoTrans, 1, NewDense(2, 0, nil), NewDense(0, 3, nil), 2, c)
	for i, v := range c.Data {
		if v != 2*float32(i+1) {
			t.Fatalf("k = 0, beta = 2: C = %v", c.Data)
		}
	}
	Gemm(NoTrans, NoTrans, 1, NewDense(2, 0, nil), NewDense(0, 3, nil), 0, c)
	for _, v := range c.Data {
		if v != 0 {
			t.Fatalf("k = 0, beta = 0: C = %v", c.Data)
		}
	}
	Gemm(NoTrans, NoTrans, 1, NewDense(0, 4, nil), NewDense(4, 3, nil), 1, NewDense(0, 3, nil))
	Gemm(Trans, Trans, 1, NewDense(4, 2, nil), NewDense(0, 4, nil), 1, NewDense(2, 0, nil))
	var empty Dense
	Gemm(NoTrans, NoTrans, 1, &empty, &empty, 1, &empty)
}

// TestGemmConcurrent runs Gemm from several goroutines at once, each on its
// own matrices, so that the race detector (go test -race) watches the
// shared packing workspaces; every result must equal the one computed alone.
func TestGemmConcurrent(t *testing.T) {
	type job struct {
		a, b, c *Dense
		want    []float32
	}
	r := rand.New(rand.NewPCG(25, 26))
	jobs := make([]job, 8)
	for i := range jobs {
		m, n, k := 1+r.IntN(150), 1+r.IntN(150), 1+r.IntN(300)
		j := job{a: NewDense(m, k, nil), b: NewDense(k, n, nil), c: NewDense(m, n, nil)}
		for _, d := range []*Dense{j.a, j.b} {
			for x := range d.Data {
				d.Data[x] = 2*r.Float32() - 1
			}
		}
		Gemm(NoTrans, NoTrans, 1, j.a, j.b, 0, j.c)
		j.want = append([]float32(nil), j.c.Data...)
		jobs[i] = j
	}
	done := make(chan error)
	for i := range jobs {
		go func(j job) {
			c := NewDense(j.c.Rows, j.c.Cols, nil)
			for range 20 {
				Gemm(NoTrans, NoTrans, 1, j.a, j.b, 0, c)
				for x := range c.Data {
					if c.Data[x] != j.want[x] {
						done <- fmt.Errorf("%d×%d×%d: element %d is %v concurrently, %v alone", j.a.Rows, j.c.Cols, j.a.Cols, x, c.Data[x], j.want[x])
						return
					}
				}
			}
			done <- nil
		}(jobs[i])
	}
	for range jobs {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
