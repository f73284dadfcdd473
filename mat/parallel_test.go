package mat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/mat/asm"
)

// TestGemmParallel runs the edge-of-tile sweep of TestGemm again with every
// product split over threads, against the float64 reference, with guard
// pages around every operand.
func TestGemmParallel(t *testing.T) {
	forEachImpl(t, func(t *testing.T, kern asm.Kernels) {
		r := rand.New(rand.NewPCG(41, 42))
		dims := dimsFor(r, kern)
		scalars := []float32{1, -1, 0.75, 0}
		cases := 0
		for _, tr := range transposes {
			for mi, m := range dims {
				for ni, n := range dims {
					if (mi+ni+cases)%3 != 0 {
						continue // a third of the pairs keeps it quick under qemu
					}
					kk := dims[(mi*5+ni*3+cases)%len(dims)]
					for step := 1; m*n*kk > 1<<21 && step < len(dims); step++ {
						kk = dims[(mi*5+ni*3+cases+step)%len(dims)]
					}
					runGemmCase(t, kern, r, gemmCase{
						tA: tr[0], tB: tr[1], m: m, n: n, k: kk,
						alpha: scalars[cases%len(scalars)] + 0.5, beta: scalars[(cases/4)%len(scalars)],
						pad: [3]int{cases % 3, (cases / 3) % 4, (cases / 2) % 5}, place: placements[cases%len(placements)],
						parts: 2 + cases%2,
					})
					cases++
				}
			}
		}
		t.Logf("%d cases", cases)
	})
}

// TestGemmBitwiseAnyThreads checks the promise of parallel.go: the result
// of Gemm does not depend on the number of threads, to the last bit, for
// splits over rows and over columns, blocks crossing MC, KC and NC, every
// transpose case and beta zero or not.
func TestGemmBitwiseAnyThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	forEachImpl(t, func(t *testing.T, k asm.Kernels) {
		r := rand.New(rand.NewPCG(43, 44))
		shapes := [][3]int{
			{k.Blocks().MR*7 + 5, k.Blocks().NR*2 + 3, 37},                 // split over rows
			{k.Blocks().MR + 1, k.Blocks().NR*9 + 7, k.Blocks().KC + 9},    // over columns, two k slices
			{k.Blocks().MC + k.Blocks().MR*3 + 2, k.Blocks().NR*3 + 1, 50}, // rows cross MC
			{5, 3, 400},                    // one tile: no split
			{97, 113, 2*k.Blocks().KC + 3}, // three k slices
			{2*k.Blocks().MR + 1, k.Blocks().NC + k.Blocks().NR + 5, 9},     // columns cross NC
			{k.Blocks().MR*40 + 3, k.Blocks().NR*40 + 5, k.Blocks().KC / 2}, // large
		}
		if testing.Short() || runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
			shapes = shapes[:5]
		}
		for si, sh := range shapes {
			m, n, kk := sh[0], sh[1], sh[2]
			tr := transposes[si%len(transposes)]
			a, b := benchOperand(r, tr[0], m, kk), benchOperand(r, tr[1], kk, n)
			c0 := benchDense(m, n)
			for _, beta := range []float32{0, 0.5} {
				var want []float32
				for _, threads := range []int{1, 2, 3, 4, 5, 8} {
					c := &Dense{Rows: m, Cols: n, Stride: n, Data: slices.Clone(c0.Data)}
					gemmSplit(k, threads, tr[0], tr[1], 1.5, a, b, beta, c)
					if want == nil {
						want = c.Data
						continue
					}
					for i := range want {
						if c.Data[i] != want[i] && !(c.Data[i] != c.Data[i] && want[i] != want[i]) {
							t.Fatalf("%v%v %d×%d×%d beta=%v: element %d is %v on %d threads, %v on one",
								tr[0], tr[1], m, n, kk, beta, i, c.Data[i], threads, want[i])
						}
					}
				}
			}
		}
	})
	// And through the public entry point, whose thread count follows
	// GOMAXPROCS and SetThreads.
	r := rand.New(rand.NewPCG(45, 46))
	a, b := benchOperand(r, NoTrans, 300, 200), benchOperand(r, Trans, 200, 260)
	var want []float32
	for _, procs := range []int{1, 2, 3, 6} {
		runtime.GOMAXPROCS(procs)
		for _, limit := range []int{0, 1, 2} {
			prev := SetThreads(limit)
			c := NewDense(300, 260, nil)
			Gemm(NoTrans, Trans, 1, a, b, 0, c)
			SetThreads(prev)
			if want == nil {
				want = c.Data
			} else if !slices.Equal(c.Data, want) {
				t.Fatalf("GOMAXPROCS=%d SetThreads(%d): result differs from GOMAXPROCS=1", procs, limit)
			}
		}
	}
}

// TestGemmVectorBitwiseAnyThreads: a Gemm with m = 1 or n = 1, large
// enough to be split over threads as Gemv is, gives the same bits on any
// number of threads, against Gemv itself, for every transpose, on every
// implementation.
func TestGemmVectorBitwiseAnyThreads(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) {
		r := rand.New(rand.NewPCG(47, 48))
		const long, kk = 1030, 515 // long·kk ≥ parallelGemv; cuts inside the kernels' blocks
		for _, tr := range transposes {
			for _, m1 := range []bool{true, false} {
				m, n := 1, long
				if !m1 {
					m, n = long, 1
				}
				a, b := benchOperand(r, tr[0], m, kk), benchOperand(r, tr[1], kk, n)
				if want := planGemm(k, threadsOf(2), tr[0], tr[1], m, n, kk, 1, a, b, benchDense(m, n)); want.parts != 2 {
					t.Fatalf("%v%v %d×%d×%d: plan %+v, want two parts", tr[0], tr[1], m, n, kk, want)
				}
				c0 := benchDense(m, n)
				for _, beta := range []float32{0, 0.5} {
					// Gemv on one thread is the reference.
					want := slices.Clone(c0.Data)
					if m1 {
						gemvOn(k, threadsOf(1), 1-tr[1], 1.5, b, a.Data, beta, want)
					} else {
						gemvOn(k, threadsOf(1), tr[0], 1.5, a, b.Data, beta, want)
					}
					for _, threads := range []int{1, 2, 3, 5} {
						c := &Dense{Rows: m, Cols: n, Stride: n, Data: slices.Clone(c0.Data)}
						gemmOn(k, threadsOf(threads), tr[0], tr[1], 1.5, a, b, beta, c)
						if !slices.Equal(c.Data, want) {
							t.Fatalf("%v%v %d×%d×%d beta=%v: result on %d threads differs from Gemv's", tr[0], tr[1], m, n, kk, beta, threads)
						}
					}
				}
			}
		}
	})
}

// benchOperand returns a random matrix that is rows×cols after op t.
func benchOperand(r *rand.Rand, t Transpose, rows, cols int) *Dense {
	if t == Trans {
		rows, cols = cols, rows
	}
	m := NewDense(rows, cols, nil)
	for i := range m.Data {
		m.Data[i] = 2*r.Float32() - 1
	}
	return m
}

func TestSpanAndPartition(t *testing.T) {
	for _, n := range []int{1, 5, 16, 17, 100, 1000} {
		for _, step := range []int{1, 6, 16} {
			for p := 1; p <= 5; p++ {
				end := 0
				for i := 0; i < p; i++ {
					lo, hi := span(i, p, n, step)
					if lo != end || hi < lo || lo%step != 0 {
						t.Fatalf("span(%d, %d, %d, %d) = %d, %d after %d", i, p, n, step, lo, hi, end)
					}
					end = hi
				}
				if end != n {
					t.Fatalf("spans of %d in %d parts of step %d end at %d", n, p, step, end)
				}
			}
		}
	}
	bl := asm.Blocks{MR: 6, NR: 16, MC: 144, KC: 256, NC: 4080}
	for _, c := range []struct {
		threads, m, n, parts int
		rows                 bool
	}{
		{8, 6, 16, 1, true},    // one tile
		{2, 600, 64, 2, true},  // tall
		{2, 64, 600, 2, true},  // wide, but tiles enough in both directions
		{3, 12, 600, 3, false}, // two tiles tall on three threads
		{1, 600, 600, 1, false},
	} {
		if p, rows := split(bl, c.threads, c.m, c.n); p != c.parts || rows != c.rows {
			t.Errorf("split(%d threads, %d×%d) = %d parts, rows=%v; want %d, %v", c.threads, c.m, c.n, p, rows, c.parts, c.rows)
		}
	}
	if got := fmt.Sprint(SetThreads(0)); got != "0" {
		t.Errorf("default thread limit %s, want 0", got)
	}
}

// TestGemvBitwiseAnyThreads: Gemv split over threads gives the bits of one
// thread, for both transposes, shapes whose cuts fall inside the kernels'
// blocks of 4 rows and 32 columns, and beta zero or not.
func TestGemvBitwiseAnyThreads(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) {
		r := rand.New(rand.NewPCG(47, 48))
		for _, sh := range [][2]int{{1, 1}, {3, 70}, {70, 3}, {37, 101}, {131, 259}, {1030, 66}, {66, 1030}} {
			a := benchOperand(r, NoTrans, sh[0], sh[1])
			for _, tA := range []Transpose{NoTrans, Trans} {
				m, n := opDims(tA, a)
				x := benchOperand(r, NoTrans, 1, n).Data
				y0 := benchOperand(r, NoTrans, 1, m).Data
				var want []float32
				for _, threads := range []int{1, 2, 3, 5, 8} {
					y := slices.Clone(y0)
					scaleBy(k, 0.5, y)
					gemv(k, threads, tA, 1.25, a, x, y)
					if want == nil {
						want = y
					} else if !slices.Equal(y, want) {
						t.Fatalf("%v %d×%d: %d threads differ from one", tA, sh[0], sh[1], threads)
					}
				}
			}
		}
	})
}

// TestVectorBitwiseAnyThreads: long Axpy, Scal and Dot give the same bits
// on any number of threads, and the chunked Dot is the float64 dot within
// the usual bound.
func TestVectorBitwiseAnyThreads(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k asm.Kernels) {
		r := rand.New(rand.NewPCG(49, 50))
		for _, n := range []int{1, dotChunk - 1, dotChunk, 3*dotChunk + 17, 7*dotChunk + 5} {
			x, y0 := benchOperand(r, NoTrans, 1, n).Data, benchOperand(r, NoTrans, 1, n).Data
			var want64, mag float64
			for i := range x {
				p := float64(x[i]) * float64(y0[i])
				want64 += p
				mag += math.Abs(p)
			}
			var wantAxpy, wantScal []float32
			var wantDot float32
			for _, threads := range []int{1, 2, 3, 5} {
				y := slices.Clone(y0)
				vector(k, threads, vecAxpy, 0.75, x, y)
				z := slices.Clone(y0)
				vector(k, threads, vecScal, -1.5, nil, z)
				d := vector(k, threads, vecDot, 0, x, y0)
				if wantAxpy == nil {
					wantAxpy, wantScal, wantDot = y, z, d
					if !approx.Close(d, want64, approx.Bound(n, mag)) {
						t.Fatalf("n=%d: dot %v, want %v", n, d, want64)
					}
					for i := range y {
						w, m := float64(y0[i])+0.75*float64(x[i]), math.Abs(float64(y0[i]))+0.75*math.Abs(float64(x[i]))
						if !approx.Close(y[i], w, approx.Bound(1, m)) {
							t.Fatalf("n=%d: axpy y[%d] = %v, want %v", n, i, y[i], w)
						}
					}
					continue
				}
				if !slices.Equal(y, wantAxpy) || !slices.Equal(z, wantScal) || d != wantDot {
					t.Fatalf("n=%d: %d threads differ from one", n, threads)
				}
			}
		}
	})
}

// TestGemmManyCallersManyThreads runs large products from more goroutines
// than processors at once, each split into as many parts as threads, whose
// parts wait for each other at barriers: every part must get a worker of
// its own, or parts queued behind ones that wait for them would never run.
func TestGemmManyCallersManyThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	prev := SetThreads(4)
	defer SetThreads(prev)
	r := rand.New(rand.NewPCG(51, 52))
	a, b := benchOperand(r, NoTrans, 200, 64), benchOperand(r, NoTrans, 64, 96)
	want := NewDense(200, 96, nil)
	gemmSplit(asm.Default(), 1, NoTrans, NoTrans, 1, a, b, 0, want)
	done := make(chan error)
	for range 6 {
		go func() {
			c := NewDense(200, 96, nil)
			for range 50 {
				gemmSplit(asm.Default(), 4, NoTrans, NoTrans, 1, a, b, 0, c)
				if !slices.Equal(c.Data, want.Data) {
					done <- fmt.Errorf("a concurrent product differs from one computed alone")
					return
				}
			}
			done <- nil
		}()
	}
	for range 6 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
