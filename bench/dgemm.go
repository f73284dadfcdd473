package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/pente-go/pente/mat"
)

// runDgemm is runGemm in float64: every library's dgemm (pente's
// mat.Dgemm, gonum's Dgemm, cblas_dgemm) on n×n matrices, alpha 1, beta 0,
// 2n³ flops a call, with % of the float64 peak, half the float32 one.
func (b *bench) runDgemm() error {
	t := &table{w: b.out, cols: compareColumns(
		[]column{{title: "op", text: true}, {title: "n", width: 4}, {title: "threads"}},
		b.names(), "GFLOP/s", column{title: "% peak"})}
	t.cols = append(t.cols, othersColumn)
	t.header("dgemm: C = op(A)·op(B), n×n float64, GFLOP/s (2n³ flops per call); % peak of the float64 peak, half the float32 one")
	type operands struct {
		a, b []float64
		c    [][]float64 // one per library
	}
	cache := map[int]*operands{}
	for _, op := range gemmOps {
		for _, n := range b.cfg.sizes {
			o := cache[n]
			if o == nil {
				o = &operands{a: randVec64(b.rng, n*n), b: randVec64(b.rng, n*n)}
				for range b.libs {
					o.c = append(o.c, make([]float64, n*n))
				}
				cache[n] = o
			}
			for _, th := range b.cfg.threads {
				b.setThreads(th)
				row := gemmRow{Op: op.name, N: n, Threads: th, Results: map[string]result{}}
				start := sampleCPU()
				ref := b.refIndex()
				for i, lib := range b.libs {
					c := o.c[i]
					var want []float64
					if i != ref {
						want = o.c[ref]
					}
					ns, err := b.measure(lib, th,
						func() { lib.dgemm(op.tA, op.tB, n, n, n, o.a, n, o.b, n, c, n) },
						func() error { return checkDgemm(op.tA, op.tB, n, n, n, o.a, n, o.b, n, c, n, want) })
					if err != nil {
						return fmt.Errorf("dgemm %s n=%d threads=%d: %s: %w", op.name, n, th, lib.name, err)
					}
					flops := 2 * float64(n) * float64(n) * float64(n)
					row.Results[lib.name] = result{NsPerCall: ns, GFLOPS: flops / ns}
				}
				row.PentePeakPct = 100 * row.Results["pente"].GFLOPS / (b.m.Peak.GFLOPSPerCore / 2 * float64(th))
				row.OtherCores = othersSince(start)
				b.rep.Dgemm = append(b.rep.Dgemm, row)
				t.row(append(compareCells([]string{op.name, fmt.Sprint(n), fmt.Sprint(th)}, b.names(), row.Results,
					showGFLOPS, gflops, fmt.Sprintf("%.0f%%", row.PentePeakPct)), fmtOthers(row.OtherCores))...)
			}
		}
	}
	return nil
}

// checkDgemm returns an error unless the m×n matrix c (leading dimension
// ldc) holds op(A)·op(B): 64 entries (the four corners among them) against
// a sum in extended precision, within k·2⁻⁵² times the sum of the
// products' magnitudes (twice the bound on the error of any order of
// float64 summation, γₖ ≈ k·2⁻⁵³), and, when want is not nil, every entry against want (gonum's
// result) within a relative 1e-12 of want's largest entry.
func checkDgemm(tA, tB mat.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, want []float64) error {
	opA := func(i, l int) float64 {
		if tA == mat.Trans {
			return a[l*lda+i]
		}
		return a[i*lda+l]
	}
	opB := func(l, j int) float64 {
		if tB == mat.Trans {
			return b[j*ldb+l]
		}
		return b[l*ldb+j]
	}
	g := rand.New(rand.NewPCG(uint64(m), uint64(n)))
	for s := range 64 {
		i, j := g.IntN(m), g.IntN(n)
		if s < 4 {
			i, j = (m-1)*(s&1), (n-1)*(s>>1)
		}
		// Each product is rounded and its error kept (math.FMA), and
		// the sum compensated (Kahan–Babuška): the reference is good
		// to far below the tolerance.
		var sum, comp, abs float64
		for l := range k {
			p := opA(i, l) * opB(l, j)
			e := math.FMA(opA(i, l), opB(l, j), -p)
			t := sum + p
			if math.Abs(sum) >= math.Abs(p) {
				comp += (sum - t) + p
			} else {
				comp += (p - t) + sum
			}
			sum = t
			comp += e
			abs += math.Abs(p)
		}
		sum += comp
		got := c[i*ldc+j]
		if d := math.Abs(got - sum); !(d <= float64(k)*0x1p-52*abs+1e-300) {
			return fmt.Errorf("C(%d, %d) is %g, the float64 reference %g (|difference| %.3g)", i, j, got, sum, d)
		}
	}
	if want == nil {
		return nil
	}
	var scale float64
	for i := range m {
		for _, v := range want[i*ldc : i*ldc+n] {
			scale = max(scale, math.Abs(v))
		}
	}
	tol := 1e-12*scale + 1e-300
	for i := range m {
		for j := range n {
			if d := math.Abs(c[i*ldc+j] - want[i*ldc+j]); !(d <= tol) {
				return fmt.Errorf("C(%d, %d) is %g, gonum's is %g (|difference| %.3g > %.3g)", i, j, c[i*ldc+j], want[i*ldc+j], d, tol)
			}
		}
	}
	return nil
}

// randVec64 returns n numbers uniform in [-1, 1].
func randVec64(g *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 2*g.Float64() - 1
	}
	return v
}
