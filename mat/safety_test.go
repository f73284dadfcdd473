// The hostile values of these tests need a 64-bit int.

//go:build amd64 || arm64 || loong64 || mips64 || mips64le || ppc64 || ppc64le || riscv64 || s390x || wasm

package mat

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pente-go/pente/mat/asm"
)

// panicOf returns the message of the panic f raises, or "" if it returns.
func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = "panic without a message"
			switch v := r.(type) {
			case string:
				msg = v
			case error:
				msg = v.Error()
			}
		}
	}()
	f()
	return ""
}

// TestHostileInputs tries what a hostile or careless caller would: strides
// whose arithmetic overflows, dimensions too large for memory, outputs that
// share memory with inputs. Each must panic on the calling goroutine with a
// message naming the operation, before anything is written: the floats
// after each operand's slice stay as they were.
func TestHostileInputs(t *testing.T) {
	const huge = 1<<62 + 1
	backing := make([]float32, 64)
	tail := func() []float32 { return backing[1:] }
	tiny := func(rows, cols, stride int) *Dense {
		clear(backing)
		return &Dense{Rows: rows, Cols: cols, Stride: stride, Data: backing[:1:1]}
	}
	square := func(n int) *Dense { return NewDense(n, n, nil) }
	s := make([]float32, 41)
	cases := []struct {
		name, want string
		f          func()
	}{
		{"Ger into a stride that wraps", "mat: Ger: A is 4×1 with stride 4611686018427387905 > 281474976710656, the largest allowed",
			func() { Ger(1, []float32{1, 2, 3, 4}, []float32{1}, tiny(4, 1, huge)) }},
		{"Gemv from rows·stride that wraps", "mat: Gemv: A is 1048576×1 with stride 281474976710656: needs more than 2⁶⁴ elements, Data has 1",
			func() { Gemv(Trans, 1, tiny(1<<20, 1, 1<<48), make([]float32, 1<<20), 0, make([]float32, 1)) }},
		{"Gemv from a stride that wraps", "mat: Gemv: A is 4×1 with stride",
			func() { Gemv(NoTrans, 1, tiny(4, 1, huge), []float32{1}, 0, make([]float32, 4)) }},
		{"Gemv from a stride of 2⁶¹", "mat: Gemv: A is 5×1 with stride 2305843009213693952 > 281474976710656",
			func() {
				Gemv(NoTrans, 1, &Dense{Rows: 5, Cols: 1, Stride: 1 << 61, Data: make([]float32, 1)}, []float32{1}, 0, make([]float32, 5))
			}},
		{"Gemm into a stride that wraps", "mat: Gemm: C is 256×256 with stride",
			func() {
				Gemm(NoTrans, NoTrans, 1, square(256), square(256), 0, &Dense{Rows: 256, Cols: 256, Stride: 1<<62 + 256, Data: make([]float32, 256)})
			}},
		{"Gemm from a negative stride", "mat: Gemm: A is 2×2 with stride -2 < 2 columns",
			func() {
				Gemm(NoTrans, NoTrans, 1, &Dense{Rows: 2, Cols: 2, Stride: -2, Data: make([]float32, 4)}, square(2), 0, square(2))
			}},
		{"Gemm from negative dimensions", "mat: Gemm: B has negative dimensions -3×2",
			func() { Gemm(NoTrans, NoTrans, 1, square(2), &Dense{Rows: -3, Cols: 2, Stride: 2}, 0, square(2)) }},
		{"Gemm from a nil matrix", "mat: Gemm: A is nil", func() { Gemm(NoTrans, NoTrans, 1, nil, square(2), 0, square(2)) }},
		{"NewDense too large", "mat: NewDense: 4611686018427387904×4 is too large", func() { NewDense(1<<62, 4, nil) }},
		{"Resize too large", "mat: Resize: 4×4611686018427387904 is too large", func() { new(Dense).Resize(4, 1<<62) }},
		{"Slice of a malformed matrix", "mat: Slice: the matrix is 4×1 with stride", func() { tiny(4, 1, huge).Slice(0, 1, 0, 1) }},
		{"Gemm with C in A", "mat: Gemm: C shares memory with A or B",
			func() { a := square(8); Gemm(NoTrans, NoTrans, 1, a, NewDense(8, 4, nil), 0, a.Slice(0, 8, 2, 6)) }},
		{"Gemm with C = B", "mat: Gemm: C shares memory with A or B",
			func() { b := square(8); Gemm(NoTrans, NoTrans, 1, square(8), b, 0, b) }},
		{"Gemv with y in x", "mat: Gemv: y shares memory with A or x",
			func() { Gemv(NoTrans, 1, square(20), s[:20], 0, s[10:30]) }},
		{"Gemv with y in A", "mat: Gemv: y shares memory with A or x",
			func() { a := square(4); Gemv(Trans, 1, a, make([]float32, 4), 0, a.Data[4:8]) }},
		{"Ger with x in A", "mat: Ger: A shares memory with x or y",
			func() { a := square(4); Ger(1, a.Data[12:16], make([]float32, 4), a) }},
		{"Axpy with shifted x and y", "mat: Axpy: y shares memory with x", func() { Axpy(1, s[:40], s[1:]) }},
	}
	for _, c := range cases {
		got := panicOf(c.f)
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: panic %q, want %q…", c.name, got, c.want)
		}
		if slices.ContainsFunc(tail(), func(v float32) bool { return v != 0 }) {
			t.Errorf("%s: wrote past the end of a slice", c.name)
		}
	}
}

// TestOverlapAllowed: what shares no element, or is defined element by
// element, does not panic and computes what it should.
func TestOverlapAllowed(t *testing.T) {
	// The left and the right half of one matrix interleave in memory but
	// share no element.
	m := NewDense(4, 8, nil)
	for i := range m.Data {
		m.Data[i] = float32(i%5) - 2
	}
	left, right := m.Slice(0, 4, 0, 4), m.Slice(0, 4, 4, 8)
	want := right.clone() // right·I, exactly
	Gemm(NoTrans, NoTrans, 1, right, identity(4), 0, left)
	if got := left.clone(); !slices.Equal(got, want) {
		t.Fatalf("C = right half · I into the left half: %v, want %v", got, want)
	}
	for i := 0; i < 4; i++ {
		if !slices.Equal(right.Row(i), want[4*i:4*i+4]) {
			t.Fatalf("the right half changed: row %d is %v", i, right.Row(i))
		}
	}
	// Axpy(alpha, x, x) is y = (1+alpha)·y.
	x := []float32{1, -2, 3}
	Axpy(0.5, x, x)
	if !slices.Equal(x, []float32{1.5, -3, 4.5}) {
		t.Errorf("Axpy(0.5, x, x) = %v", x)
	}
	// Dot only reads.
	if d := Dot(x[:2], x[1:]); d != 1.5*-3+-3*4.5 {
		t.Errorf("Dot of overlapping slices = %v", d)
	}
	// Gemv with y beside x in one slice.
	s := make([]float32, 8)
	s[0], s[1] = 1, 2
	Gemv(NoTrans, 1, identity(2), s[:2], 0, s[2:4])
	if s[2] != 1 || s[3] != 2 {
		t.Errorf("Gemv into the slice beside x: %v", s[:4])
	}
}

func identity(n int) *Dense {
	m := NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		m.Set(i, i, 1)
	}
	return m
}

// clone returns m's elements row after row.
func (m *Dense) clone() []float32 {
	var out []float32
	for i := 0; i < m.Rows; i++ {
		out = append(out, m.Row(i)...)
	}
	return out
}

// TestOverlapExact compares Overlap with a count of shared elements on
// random views of one backing array: it never misses a shared element, and
// where it promises to be exact (either view contiguous or of one row, or
// both of the same stride) it never reports one that is not there.
func TestOverlapExact(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	backing := make([]float32, 400)
	view := func() *Dense {
		rows, cols := r.IntN(6), 1+r.IntN(6)
		stride := cols + r.IntN(4)
		if r.IntN(4) == 0 {
			stride = 7 // often the same stride as another view
		}
		stride = max(stride, cols)
		need := 0
		if rows > 0 {
			need = (rows-1)*stride + cols
		}
		off := r.IntN(len(backing) - need)
		return &Dense{Rows: rows, Cols: cols, Stride: stride, Data: backing[off : off+need]}
	}
	start := func(d *Dense) int {
		return int(uintptr(unsafePointer(d.Data))-uintptr(unsafePointer(backing))) / 4
	}
	elems := func(d *Dense) map[int]bool {
		set := map[int]bool{}
		if len(d.Data) == 0 {
			return set
		}
		s := start(d)
		for i := 0; i < d.Rows; i++ {
			for j := 0; j < d.Cols; j++ {
				set[s+i*d.Stride+j] = true
			}
		}
		return set
	}
	exactCases := 0
	for range 200000 {
		a, b := view(), view()
		shared := false
		ea := elems(a)
		for e := range elems(b) {
			if ea[e] {
				shared = true
				break
			}
		}
		got := Overlap(a, b)
		if got != Overlap(b, a) {
			t.Fatalf("Overlap is not symmetric for %+v and %+v", a, b)
		}
		if shared && !got {
			t.Fatalf("Overlap(%d×%d/%d at %d, %d×%d/%d at %d) = false, but they share an element",
				a.Rows, a.Cols, a.Stride, start(a), b.Rows, b.Cols, b.Stride, start(b))
		}
		simple := func(d *Dense) bool { return d.Rows <= 1 || d.Stride == d.Cols }
		if simple(a) || simple(b) || a.Stride == b.Stride {
			exactCases++
			if got != shared {
				t.Fatalf("Overlap(%d×%d/%d at %d, %d×%d/%d at %d) = %v, want %v",
					a.Rows, a.Cols, a.Stride, start(a), b.Rows, b.Cols, b.Stride, start(b), got, shared)
			}
		}
	}
	if exactCases < 50000 {
		t.Fatalf("only %d cases where Overlap must be exact", exactCases)
	}
	if Overlap(nil, NewDense(2, 2, nil)) || Overlap(NewDense(0, 3, nil), NewDense(0, 3, nil)) {
		t.Error("nil or empty matrices overlap")
	}
}

// TestPlanGemm checks the routes planGemm chooses, and that it asks for the
// thread count only where a product is large enough to be split.
func TestPlanGemm(t *testing.T) {
	k := asm.Default()
	bl := k.Blocks()
	noThreads := func() int { t.Fatal("threads asked for a small product"); return 0 }
	col := &Dense{Rows: 5, Cols: 1, Stride: 3, Data: make([]float32, 13)} // a column that is not contiguous
	for _, c := range []struct {
		name     string
		tA, tB   Transpose
		m, n, k  int
		alpha    float32
		a, b, cc *Dense
		threads  func() int
		want     gemmPlan
	}{
		{"alpha 0", NoTrans, NoTrans, 30, 30, 30, 0, nil, nil, nil, noThreads, gemmPlan{route: routeScale}},
		{"k 0", NoTrans, NoTrans, 30, 30, 0, 1, nil, nil, nil, noThreads, gemmPlan{route: routeScale}},
		{"m 1", NoTrans, Trans, 1, 300, 300, 1, NewDense(1, 300, nil), nil, nil, noThreads, gemmPlan{route: routeGemvM1, parts: 1}},
		{"m 1, large, two threads", NoTrans, Trans, 1, 1024, 1024, 1, NewDense(1, 1024, nil), nil, nil, threadsOf(2), gemmPlan{route: routeGemvM1, parts: 2}},
		{"m 1, column of Aᵀ not contiguous", Trans, NoTrans, 1, 30, 5, 1, col, nil, nil, noThreads, gemmPlan{route: routePacked, parts: 1}},
		{"n 1", NoTrans, NoTrans, 300, 1, 300, 1, nil, NewDense(300, 1, nil), NewDense(300, 1, nil), noThreads, gemmPlan{route: routeGemvN1, parts: 1}},
		{"n 1, large, two threads", NoTrans, NoTrans, 1024, 1, 1024, 1, nil, NewDense(1024, 1, nil), NewDense(1024, 1, nil), threadsOf(2), gemmPlan{route: routeGemvN1, parts: 2}},
		{"k 1", NoTrans, Trans, 300, 300, 1, 1, NewDense(300, 1, nil), NewDense(300, 1, nil), nil, noThreads, gemmPlan{route: routeGer}},
		{"tiny", NoTrans, NoTrans, 12, 12, 12, 1, nil, nil, nil, noThreads, gemmPlan{route: routeRows}},
		{"16³ packs", NoTrans, NoTrans, 16, 16, 16, 1, nil, nil, nil, noThreads, gemmPlan{route: routePacked, parts: 1}},
		{"tiny Aᵀ", Trans, NoTrans, 16, 16, 16, 1, nil, nil, nil, noThreads, gemmPlan{route: routePacked, parts: 1}},
		{"narrow output layer", NoTrans, Trans, 128, bl.NR / 2, 128, 1, nil, nil, nil, noThreads, gemmPlan{route: routeRows}},
		{"small packed", NoTrans, NoTrans, 64, 64, 64, 1, nil, nil, nil, noThreads, gemmPlan{route: routePacked, parts: 1}},
		{"large, one thread", NoTrans, NoTrans, 256, 256, 256, 1, nil, nil, nil, threadsOf(1), gemmPlan{route: routePacked, parts: 1}},
		{"large, two threads", NoTrans, NoTrans, 256, 256, 256, 1, nil, nil, nil, threadsOf(2), gemmPlan{route: routePacked, parts: 2, rows: true}},
		{"short and wide, four threads", NoTrans, NoTrans, 2 * bl.MR, 4096, 256, 1, nil, nil, nil, threadsOf(4), gemmPlan{route: routePacked, parts: 4}},
		{"huge", NoTrans, NoTrans, 1 << 20, 1 << 20, 1 << 40, 1, nil, nil, nil, threadsOf(3), gemmPlan{route: routePacked, parts: 3, rows: true}},
	} {
		a, b, cc := c.a, c.b, c.cc
		if a == nil {
			a = &Dense{}
		}
		if b == nil {
			b = &Dense{}
		}
		if cc == nil {
			cc = &Dense{}
		}
		if got := planGemm(k, c.threads, c.tA, c.tB, c.m, c.n, c.k, c.alpha, a, b, cc); got != c.want {
			t.Errorf("%s: plan %+v, want %+v", c.name, got, c.want)
		}
	}
	if planGemv(noThreads, 511, 512) != 1 || planGemv(threadsOf(2), 512, 512) != 2 {
		t.Error("planGemv does not split from 512² elements on")
	}
	if planVector(noThreads, parallelVector-1) != 1 || planVector(threadsOf(8), parallelVector) != parallelVector/dotChunk {
		t.Error("planVector does not split long vectors into whole chunks")
	}
	if macs(1<<30, 1<<30, 1<<40) != math.MaxInt || macs(3, 5, 7) != 105 {
		t.Error("macs does not saturate")
	}
}

// TestCheckIsInBounds: whatever the integers, a matrix that passes Check
// has every element inside Data, by exact arithmetic.
func TestCheckIsInBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ints := []int{0, 1, 2, 3, -1, -2, math.MaxInt, math.MinInt, 1 << 62, 1<<62 + 1, 1 << 61, 1 << 48, 1<<48 + 1, 1 << 32, 1<<31 - 1, 1 << 31}
	pick := func() int {
		if r.IntN(2) == 0 {
			return ints[r.IntN(len(ints))]
		}
		return r.IntN(20)
	}
	data := make([]float32, 64)
	for range 100000 {
		m := &Dense{Rows: pick(), Cols: pick(), Stride: pick(), Data: data[:r.IntN(65)]}
		checkInBounds(t, m)
	}
}

// checkInBounds fails t if m passes Check but (Rows-1)·Stride + Cols,
// computed exactly, exceeds len(Data), or Stride·4 overflows.
func checkInBounds(t *testing.T, m *Dense) {
	t.Helper()
	ok := m.Check() == nil
	if ok != m.Valid() {
		t.Fatalf("%d×%d stride %d len %d: Check and Valid disagree", m.Rows, m.Cols, m.Stride, len(m.Data))
	}
	if !ok || m.Rows == 0 || m.Cols == 0 {
		return
	}
	need := new(big.Int).Mul(big.NewInt(int64(m.Rows-1)), big.NewInt(int64(m.Stride)))
	need.Add(need, big.NewInt(int64(m.Cols)))
	if m.Rows < 0 || m.Cols < 0 || m.Stride < m.Cols || need.Cmp(big.NewInt(int64(len(m.Data)))) > 0 ||
		new(big.Int).Mul(big.NewInt(int64(m.Stride)), big.NewInt(4)).Cmp(big.NewInt(math.MaxInt)) > 0 {
		t.Fatalf("%d×%d stride %d passes Check with %d elements of Data", m.Rows, m.Cols, m.Stride, len(m.Data))
	}
}

// FuzzCheck drives Check with unconstrained integers, and every operation
// with what passes it, on every kernel set: nothing that passes may reach
// outside Data, and nothing that fails may reach a kernel.
//
//	go test -run '^$' -fuzz FuzzCheck ./mat/
func FuzzCheck(f *testing.F) {
	f.Add(4, 1, 1<<62+1, 1)
	f.Add(5, 1, 1<<61, 1)
	f.Add(3, 2, 0, 2)
	f.Add(2, 3, 4, 7)
	f.Add(-1, 2, 2, 0)
	f.Fuzz(func(t *testing.T, rows, cols, stride, n int) {
		n = int(uint(n) % 512)
		m := &Dense{Rows: rows, Cols: cols, Stride: stride, Data: make([]float32, n)}
		checkInBounds(t, m)
		ok := m.Check() == nil
		for _, k := range kernelSets() {
			x, y := make([]float32, max(0, cols)%1024), make([]float32, max(0, rows)%1024)
			ops := map[string]func(){
				"Gemv": func() { gemvOn(k, threadsOf(2), NoTrans, 1, m, x, 1, y) },
				"Ger":  func() { Ger(1, y, x, m) },
				"Gemm": func() {
					c := NewDense(max(0, rows)%1024, 1, nil)
					gemmOn(k, threadsOf(2), NoTrans, NoTrans, 1, m, NewDense(max(0, cols)%1024, 1, nil), 1, c)
				},
			}
			for name, op := range ops {
				msg := panicOf(op)
				if !ok && !strings.HasPrefix(msg, "mat: "+name+": A") {
					t.Fatalf("%s: %s on a malformed %d×%d stride %d len %d: panic %q", k.Name(), name, rows, cols, stride, n, msg)
				}
				if ok && msg != "" && !strings.HasPrefix(msg, "mat: "+name+":") {
					t.Fatalf("%s: %s on %d×%d stride %d len %d: panic %q", k.Name(), name, rows, cols, stride, n, msg)
				}
			}
		}
	})
}
