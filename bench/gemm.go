package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/pente-go/pente/mat"
)

// gemmOps are the products timed: C = A·B, C = A·Bᵀ (a Linear layer's
// forward pass) and C = Aᵀ·B (its weight gradient).
var gemmOps = []struct {
	name   string
	tA, tB mat.Transpose
}{
	{"NN", mat.NoTrans, mat.NoTrans},
	{"NT", mat.NoTrans, mat.Trans},
	{"TN", mat.Trans, mat.NoTrans},
}

// gemmRow is one line of the gemm table: square n×n matrices, alpha 1,
// beta 0, 2n³ flops.
type gemmRow struct {
	Op           string            `json:"op"` // NN, NT, TN
	N            int               `json:"n"`
	Threads      int               `json:"threads"`
	Results      map[string]result `json:"results"`        // by library name
	PentePeakPct float64           `json:"pente_peak_pct"` // of Threads cores' peak
	OtherCores   float64           `json:"other_cores"`    // cores busy with other processes meanwhile; -1 unknown
}

// runGemm times every library's gemm for each op, size and thread count,
// printing the table as it goes.
func (b *bench) runGemm() error {
	t := &table{w: b.out, cols: compareColumns(
		[]column{{title: "op", text: true}, {title: "n", width: 4}, {title: "threads"}},
		b.names(), "GFLOP/s", column{title: "% peak"})}
	t.cols = append(t.cols, othersColumn)
	t.header("gemm: C = op(A)·op(B), n×n float32, GFLOP/s (2n³ flops per call)")
	type operands struct {
		a, b *mat.Dense
		c    []*mat.Dense // one per library
	}
	cache := map[int]*operands{}
	for _, op := range gemmOps {
		for _, n := range b.cfg.sizes {
			o := cache[n]
			if o == nil {
				o = &operands{a: randDense(b.rng, n, n), b: randDense(b.rng, n, n)}
				for range b.libs {
					o.c = append(o.c, mat.NewDense(n, n, nil))
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
					var want *mat.Dense
					if i != ref {
						want = o.c[ref]
					}
					ns, err := b.measure(lib, th,
						func() { lib.gemm(op.tA, op.tB, o.a, o.b, c) },
						func() error { return checkGemm(op.tA, op.tB, o.a, o.b, c, want) })
					if err != nil {
						return fmt.Errorf("gemm %s n=%d threads=%d: %s: %w", op.name, n, th, lib.name, err)
					}
					flops := 2 * float64(n) * float64(n) * float64(n)
					row.Results[lib.name] = result{NsPerCall: ns, GFLOPS: flops / ns}
				}
				row.PentePeakPct = 100 * row.Results["pente"].GFLOPS / (b.m.Peak.GFLOPSPerCore * float64(th))
				row.OtherCores = othersSince(start)
				b.rep.Gemm = append(b.rep.Gemm, row)
				t.row(append(compareCells([]string{op.name, fmt.Sprint(n), fmt.Sprint(th)}, b.names(), row.Results,
					showGFLOPS, gflops, fmt.Sprintf("%.0f%%", row.PentePeakPct)), fmtOthers(row.OtherCores))...)
			}
		}
	}
	return nil
}

// showGFLOPS and gflops give a result's GFLOP/s.
func showGFLOPS(r result) string { return fmtRate(r.GFLOPS) }
func gflops(r result) float64    { return r.GFLOPS }

// checkGemm returns an error unless c holds op(A)·op(B): 64 entries (the
// four corners among them) against a float64 computation, and, when want
// is not nil, every entry against want (gonum's result) within a relative
// 1e-4 of want's largest entry.
func checkGemm(tA, tB mat.Transpose, a, b, c, want *mat.Dense) error {
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA == mat.Trans {
		k = a.Rows
	}
	opA := func(i, l int) float64 {
		if tA == mat.Trans {
			return float64(a.At(l, i))
		}
		return float64(a.At(i, l))
	}
	opB := func(l, j int) float64 {
		if tB == mat.Trans {
			return float64(b.At(j, l))
		}
		return float64(b.At(l, j))
	}
	g := rand.New(rand.NewPCG(uint64(m), uint64(n)))
	for s := range 64 {
		i, j := g.IntN(m), g.IntN(n)
		if s < 4 {
			i, j = (m-1)*(s&1), (n-1)*(s>>1)
		}
		var sum, abs float64
		for l := range k {
			p := opA(i, l) * opB(l, j)
			sum += p
			abs += math.Abs(p)
		}
		if err := checkClose(fmt.Sprintf("C(%d, %d)", i, j), c.At(i, j), sum, 1e-5*abs+1e-30); err != nil {
			return err
		}
	}
	if want != nil {
		return checkAgainst(c.Data, want.Data)
	}
	return nil
}

// checkAgainst returns an error unless every got[i] is within a relative
// 1e-4 of want's largest magnitude from want[i].
func checkAgainst(got, want []float32) error {
	return checkAgainstTol(got, want, 1e-4)
}

// checkAgainstTol returns an error unless every got[i] is within rel times
// want's largest magnitude from want[i].
func checkAgainstTol(got, want []float32, rel float64) error {
	var scale float64
	for _, v := range want {
		scale = max(scale, math.Abs(float64(v)))
	}
	tol := rel*scale + 1e-30
	for i := range want {
		if d := math.Abs(float64(got[i]) - float64(want[i])); !(d <= tol) {
			return fmt.Errorf("element %d is %g, gonum's is %g (|difference| %.3g > %.3g)", i, got[i], want[i], d, tol)
		}
	}
	return nil
}

// randDense returns a rows×cols matrix uniform in [-1, 1].
func randDense(g *rand.Rand, rows, cols int) *mat.Dense {
	return mat.NewDense(rows, cols, randVec(g, rows*cols))
}

// randVec returns n numbers uniform in [-1, 1].
func randVec(g *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = 2*g.Float32() - 1
	}
	return v
}
