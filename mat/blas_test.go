package mat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/mat/asm"
)

// TestGemv checks y = alpha·op(A)·x + beta·y against a float64 reference for
// both transposes, strided A, alpha and beta in {0, 1, −1, random}, beta = 0
// over a NaN y and alpha = 0 over a NaN A and x.
func TestGemv(t *testing.T) {
	forEachImpl(t, func(t *testing.T, kern asm.Kernels) {
		r := rand.New(rand.NewPCG(31, 32))
		sizes := []int{0, 1, 2, 3, 7, 8, 9, 16, 17, 33, 100, 257}
		scalars := []float32{0, 1, -1, 0.6}
		idx := 0
		for _, tA := range []Transpose{NoTrans, Trans} {
			for _, rows := range sizes {
				for _, cols := range sizes {
					idx++
					alpha := scalars[idx%4]
					beta := scalars[(idx/4)%4]
					place := placements[idx%len(placements)]
					fillA := uniform(r)
					if alpha == 0 {
						fillA = constant(float32(math.NaN()))
					}
					a, checkA := newMat(t, place, rows, cols, cols+idx%3, fillA)
					m, n := opDims(tA, a)
					x := make([]float32, n)
					y := make([]float32, m)
					for i := range x {
						x[i] = fillA(0, 0)
					}
					for i := range y {
						y[i] = 2*r.Float32() - 1
						if beta == 0 {
							y[i] = float32(math.NaN())
						}
					}
					want, mag := make([]float64, m), make([]float64, m)
					for i := range want {
						if alpha != 0 {
							for j := 0; j < n; j++ {
								var av float32
								if tA == Trans {
									av = a.Data[j*a.Stride+i]
								} else {
									av = a.Data[i*a.Stride+j]
								}
								p := float64(av) * float64(x[j])
								want[i] += p
								mag[i] += math.Abs(p)
							}
							want[i] *= float64(alpha)
							mag[i] *= math.Abs(float64(alpha))
						}
						if beta != 0 {
							want[i] += float64(beta) * float64(y[i])
							mag[i] += math.Abs(float64(beta) * float64(y[i]))
						}
					}
					what := fmt.Sprintf("Gemv(%v) %d×%d alpha=%v beta=%v %v", tA, rows, cols, alpha, beta, place)
					guard.Do(t, what, func() { gemvOn(kern, Threads, tA, alpha, a, x, beta, y) })
					checkA()
					for i := range want {
						if !approx.Close(y[i], want[i], approx.Bound(n, mag[i])) {
							t.Fatalf("%s: y[%d] = %v, want %v", what, i, y[i], want[i])
						}
					}
				}
			}
		}
	})
}

func TestLevel1(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
	y := make([]float32, len(x))
	for i := range y {
		y[i] = 1
	}
	Axpy(2, x, y)
	for i := range y {
		if y[i] != 1+2*x[i] {
			t.Fatalf("Axpy: y[%d] = %v, want %v", i, y[i], 1+2*x[i])
		}
	}
	if got := Dot(x, x); got != 1785 { // Σ i² for i = 1..17, exact in float32
		t.Fatalf("Dot = %v, want 1785", got)
	}
	Scal(-0.5, x)
	for i := range x {
		if x[i] != -0.5*float32(i+1) {
			t.Fatalf("Scal: x[%d] = %v", i, x[i])
		}
	}
	nan := []float32{float32(math.NaN())}
	Scal(0, nan)
	if !math.IsNaN(float64(nan[0])) {
		t.Fatalf("Scal(0, NaN) = %v: Scal is IEEE multiplication, NaN·0 is NaN", nan[0])
	}
}

func TestLevel1Panics(t *testing.T) {
	cases := []struct {
		name, want string
		f          func()
	}{
		{"Axpy", "mat: Axpy: len(x) = 2 but len(y) = 3", func() { Axpy(1, make([]float32, 2), make([]float32, 3)) }},
		{"Dot", "mat: Dot: len(x) = 3 but len(y) = 1", func() { Dot(make([]float32, 3), make([]float32, 1)) }},
		{"Gemv", "mat: Gemv: op(A) is 3×2 but len(x) = 3 and len(y) = 3", func() {
			Gemv(Trans, 1, NewDense(2, 3, nil), make([]float32, 3), 0, make([]float32, 3))
		}},
		{"Gemv stride", "mat: Gemv: A is 2×3 with stride 1 < 3 columns", func() {
			Gemv(NoTrans, 1, &Dense{Rows: 2, Cols: 3, Stride: 1, Data: make([]float32, 6)}, make([]float32, 3), 0, make([]float32, 2))
		}},
	}
	for _, c := range cases {
		if got := testkit.PanicMessage(c.f); got != c.want {
			t.Errorf("%s: panic %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDense(t *testing.T) {
	m := NewDense(3, 4, []float32{
		0, 1, 2, 3,
		4, 5, 6, 7,
		8, 9, 10, 11,
	})
	if m.At(2, 1) != 9 || m.Stride != 4 {
		t.Fatalf("At(2,1) = %v, Stride %d", m.At(2, 1), m.Stride)
	}
	v := m.Slice(1, 3, 1, 3)
	if v.Rows != 2 || v.Cols != 2 || v.Stride != 4 || v.At(1, 1) != 10 || len(v.Data) != 6 {
		t.Fatalf("Slice(1,3,1,3) = %+v", v)
	}
	v.Set(0, 0, -5)
	if m.At(1, 1) != -5 {
		t.Fatal("a view does not share its parent's Data")
	}
	if got := m.Row(2); len(got) != 4 || got[3] != 11 {
		t.Fatalf("Row(2) = %v", got)
	}
	if e := m.Slice(1, 1, 0, 4); e.Rows != 0 || e.Cols != 4 {
		t.Fatalf("empty Slice = %+v", e)
	}
	if z := NewDense(2, 3, nil); len(z.Data) != 6 || z.At(1, 2) != 0 {
		t.Fatalf("NewDense(2, 3, nil) = %+v", z)
	}
	for name, c := range map[string]struct {
		f    func()
		want string
	}{
		"At":       {func() { m.At(3, 0) }, "mat: At(3, 0) is outside a 3×4 matrix"},
		"Set":      {func() { m.Set(0, -1, 1) }, "mat: Set(0, -1) is outside a 3×4 matrix"},
		"Slice":    {func() { m.Slice(0, 4, 0, 1) }, "mat: Slice(0, 4, 0, 1) is outside a 3×4 matrix"},
		"NewDense": {func() { NewDense(2, 2, make([]float32, 3)) }, "mat: NewDense: 2×2 needs 4 elements, data has 3"},
		"negative": {func() { NewDense(-1, 2, nil) }, "mat: NewDense: negative dimensions -1×2"},
	} {
		if got := testkit.PanicMessage(c.f); got != c.want {
			t.Errorf("%s: panic %q, want %q", name, got, c.want)
		}
	}
}

func TestDenseCheckAndResize(t *testing.T) {
	for _, c := range []struct {
		m    *Dense
		want string
	}{
		{nil, "is nil"},
		{&Dense{Rows: -1, Cols: 2}, "has negative dimensions -1×2"},
		{&Dense{Rows: 2, Cols: 3, Stride: 2, Data: make([]float32, 6)}, "is 2×3 with stride 2 < 3 columns"},
		{&Dense{Rows: 2, Cols: 3, Stride: 4, Data: make([]float32, 6)}, "is 2×3 with stride 4: needs 7 elements, Data has 6"},
		{&Dense{Rows: 2, Cols: 3, Stride: 4, Data: make([]float32, 7)}, ""},
		{&Dense{Rows: 0, Cols: 3}, ""},
	} {
		got := ""
		if err := c.m.Check(); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("Check of %+v: %q, want %q", c.m, got, c.want)
		}
	}

	var m Dense
	m.Resize(3, 4)
	if m.Rows != 3 || m.Cols != 4 || m.Stride != 4 || len(m.Data) != 12 {
		t.Fatalf("Resize(3, 4) = %+v", m)
	}
	backing := &m.Data[0]
	m.Resize(2, 5) // fits: the same backing array
	if m.Stride != 5 || len(m.Data) != 10 || &m.Data[0] != backing {
		t.Fatalf("Resize(2, 5) = %+v, reallocated: %v", m, &m.Data[0] != backing)
	}
	m.Resize(3, 4) // still fits after shrinking
	if &m.Data[0] != backing {
		t.Fatal("Resize(3, 4) reallocated after a smaller Resize")
	}
	m.Resize(5, 5)
	if len(m.Data) != 25 || m.Check() != nil {
		t.Fatalf("Resize(5, 5) = %+v", m)
	}
	if got := testkit.PanicMessage(func() { m.Resize(-1, 2) }); got != "mat: Resize: negative dimensions -1×2" {
		t.Errorf("Resize(-1, 2) panic %q", got)
	}
}

// TestNoAllocations checks that the operations allocate nothing per call in
// steady state: Gemm takes its packing buffers from a pool, and the others
// need none.
func TestNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	a, b, c := NewDense(70, 300, nil), NewDense(300, 90, nil), NewDense(70, 90, nil)
	d := NewDense(90, 70, nil)
	big, bigC := NewDense(256, 256, nil), NewDense(256, 256, nil) // split when GOMAXPROCS > 1
	x, y := make([]float32, 300), make([]float32, 70)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Gemm", func() { Gemm(NoTrans, NoTrans, 1, a, b, 0.5, c) }},
		{"Gemm on threads", func() { Gemm(NoTrans, NoTrans, 1, big, big, 0, bigC) }},
		{"Gemm Trans", func() { Gemm(Trans, Trans, 1, b, a, 0, d) }},
		{"Gemv", func() { Gemv(NoTrans, 1, a, x, 0, y) }},
		{"Axpy", func() { Axpy(2, x, x) }},
		{"Dot", func() { Dot(x, x) }},
		{"Scal", func() { Scal(0.5, x) }},
		{"Ger", func() { Ger(0.5, y, x, a) }},
	} {
		if n := testkit.AllocsPerRun(20, tc.f); n != 0 {
			t.Errorf("%s: %v allocations per call", tc.name, n)
		}
	}
}

// TestGer checks the public rank-1 update on a view, which must leave the
// rest of its parent alone, and its panics. The kernels themselves are
// tested in mat/asm.
func TestGer(t *testing.T) {
	parent := NewDense(5, 7, nil)
	for i := range parent.Data {
		parent.Data[i] = float32(i)
	}
	a := parent.Slice(1, 4, 2, 6) // 3×4
	before := append([]float32(nil), parent.Data...)
	x, y := []float32{1, -2, 0.5}, []float32{2, 0, -1, 4}
	Ger(1.5, x, y, a)
	for i := 0; i < parent.Rows; i++ {
		for j := 0; j < parent.Cols; j++ {
			want := before[i*7+j]
			if i >= 1 && i < 4 && j >= 2 && j < 6 {
				want += 1.5 * x[i-1] * y[j-2]
			}
			if got := parent.At(i, j); got != want {
				t.Fatalf("element (%d,%d) = %v, want %v", i, j, got, want)
			}
		}
	}
	Ger(0, []float32{float32(math.NaN()), 0, 0}, y, a) // alpha = 0 reads nothing
	if v := a.At(0, 0); v != v {
		t.Fatal("Ger with alpha = 0 read x")
	}
	if got := testkit.PanicMessage(func() { Ger(1, x, y[:3], a) }); got != "mat: Ger: A is 3×4 but len(x) = 3 and len(y) = 3" {
		t.Errorf("panic %q", got)
	}
}
