package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/pente-go/pente/mat"
)

// The sizes of the level 1 and 2 tables.
var (
	gemvSizes   = []int{256, 1024, 4096}                    // n×n matrices
	level1Sizes = []int{1 << 10, 1 << 14, 1 << 20, 1 << 24} // 1K (L1) to 16M (DRAM)
)

// axpyAlpha is the alpha of the axpy timed. y grows by alpha·x at every
// call, harmlessly: it stays far from overflow and never turns subnormal.
const axpyAlpha = 0.5

// vecRow is one line of the gemv or level 1 table.
type vecRow struct {
	Op      string            `json:"op"` // "gemv N" (y = A·x), "gemv T" (y = Aᵀ·x), "axpy", "dot"
	N       int               `json:"n"`  // gemv: A is n×n; level 1: vector length
	Threads int               `json:"threads"`
	Results map[string]result `json:"results"`
	// PenteNsPerElem is pente's time per element of A (gemv) or of x
	// (axpy, dot).
	PenteNsPerElem float64 `json:"pente_ns_per_elem"`
	OtherCores     float64 `json:"other_cores"` // cores busy with other processes meanwhile; -1 unknown
}

// vecTable returns the table for gemv (unit GFLOP/s) or axpy and dot
// (GB/s).
func (b *bench) vecTable(unit string) *table {
	t := &table{w: b.out, cols: compareColumns(
		[]column{{title: "op", width: 6, text: true}, {title: "n", width: 4}, {title: "threads"}},
		b.names(), unit, column{title: "pente ns/elem"})}
	t.cols = append(t.cols, othersColumn)
	return t
}

// runGemv times y = A·x and y = Aᵀ·x (alpha 1, beta 0) for n×n matrices:
// 2n² flops, and 4n² bytes of A read, per call.
func (b *bench) runGemv() error {
	t := b.vecTable("GFLOP/s")
	t.header("gemv: y = op(A)·x, n×n float32, GFLOP/s (2n² flops per call); ns per element of A")
	for _, tr := range []mat.Transpose{mat.NoTrans, mat.Trans} {
		name := "gemv N"
		if tr == mat.Trans {
			name = "gemv T"
		}
		for _, n := range gemvSizes {
			a, x := randDense(b.rng, n, n), randVec(b.rng, n)
			ys := make([][]float32, len(b.libs))
			for i := range ys {
				ys[i] = make([]float32, n)
			}
			for _, th := range b.cfg.threads {
				b.setThreads(th)
				row := vecRow{Op: name, N: n, Threads: th, Results: map[string]result{}}
				start := sampleCPU()
				ref := b.refIndex()
				for i, lib := range b.libs {
					y := ys[i]
					var want []float32
					if i != ref {
						want = ys[ref]
					}
					ns, err := b.measure(lib, th,
						func() { lib.gemv(tr, a, x, y) },
						func() error { return checkGemv(tr, a, x, y, want) })
					if err != nil {
						return fmt.Errorf("%s n=%d threads=%d: %s: %w", name, n, th, lib.name, err)
					}
					elems := float64(n) * float64(n)
					row.Results[lib.name] = result{NsPerCall: ns, GFLOPS: 2 * elems / ns, GBps: 4 * elems / ns}
				}
				row.PenteNsPerElem = row.Results["pente"].NsPerCall / (float64(n) * float64(n))
				row.OtherCores = othersSince(start)
				b.rep.Gemv = append(b.rep.Gemv, row)
				t.row(append(compareCells([]string{name, fmt.Sprint(n), fmt.Sprint(th)}, b.names(), row.Results,
					showGFLOPS, gflops, fmtNs(row.PenteNsPerElem)), fmtOthers(row.OtherCores))...)
			}
		}
	}
	return nil
}

// runLevel1 times axpy (y += alpha·x: 2n flops, 12n bytes read and
// written) and dot (xᵀ·y: 2n flops, 8n bytes read), the ones of ops
// asks for.
func (b *bench) runLevel1(ops []string) error {
	t := b.vecTable("GB/s")
	var what []string
	for _, op := range ops {
		what = append(what, map[string]string{
			"axpy": "axpy (y += alpha·x, 12 bytes per element)",
			"dot":  "dot (xᵀ·y, 8 bytes per element)",
		}[op])
	}
	t.header(strings.Join(what, " and ") + ": GB/s; ns per element")
	for _, op := range ops {
		for _, n := range level1Sizes {
			x, y := randVec(b.rng, n), randVec(b.rng, n)
			for _, th := range b.cfg.threads {
				b.setThreads(th)
				row := vecRow{Op: op, N: n, Threads: th, Results: map[string]result{}}
				start := sampleCPU()
				for _, lib := range b.libs {
					var f func()
					var check func() error
					bytes := 12.0
					if op == "axpy" {
						f = func() { lib.axpy(axpyAlpha, x, y) }
						check = checkAxpy(b.rng, axpyAlpha, x, y)
					} else {
						var got float32
						f = func() { got = lib.dot(x, y) }
						check = func() error { return checkDot(x, y, got) }
						bytes = 8
					}
					ns, err := b.measure(lib, th, f, check)
					if err != nil {
						return fmt.Errorf("%s n=%d threads=%d: %s: %w", op, n, th, lib.name, err)
					}
					row.Results[lib.name] = result{NsPerCall: ns, GFLOPS: 2 * float64(n) / ns, GBps: bytes * float64(n) / ns}
				}
				row.PenteNsPerElem = row.Results["pente"].NsPerCall / float64(n)
				row.OtherCores = othersSince(start)
				b.rep.Level1 = append(b.rep.Level1, row)
				t.row(append(compareCells([]string{op, fmtSize(n), fmt.Sprint(th)}, b.names(), row.Results,
					func(r result) string { return fmtRate(r.GBps) },
					func(r result) float64 { return r.GBps },
					fmtNs(row.PenteNsPerElem)), fmtOthers(row.OtherCores))...)
			}
		}
	}
	return nil
}

// checkGemv returns an error unless y holds op(A)·x: 64 entries against
// a float64 computation and, when want is not nil, every entry against
// want (gonum's result).
func checkGemv(tr mat.Transpose, a *mat.Dense, x, y, want []float32) error {
	g := rand.New(rand.NewPCG(uint64(len(y)), 1))
	for s := range 64 {
		i := g.IntN(len(y))
		if s == 0 {
			i = len(y) - 1
		}
		var sum, abs float64
		for l := range x {
			var aij float32
			if tr == mat.Trans {
				aij = a.At(l, i)
			} else {
				aij = a.At(i, l)
			}
			p := float64(aij) * float64(x[l])
			sum += p
			abs += math.Abs(p)
		}
		if err := checkClose(fmt.Sprintf("y[%d]", i), y[i], sum, 1e-5*abs+1e-30); err != nil {
			return err
		}
	}
	if want != nil {
		return checkAgainst(y, want)
	}
	return nil
}

// checkAxpy records 64 elements of y (the last among them) and returns a
// check that they have become y + alpha·x: call it before the axpy, and
// its result after.
func checkAxpy(g *rand.Rand, alpha float32, x, y []float32) func() error {
	idx := make([]int, 64)
	old := make([]float32, len(idx))
	for s := range idx {
		idx[s] = g.IntN(len(y))
		if s == 0 {
			idx[s] = len(y) - 1
		}
		old[s] = y[idx[s]]
	}
	return func() error {
		for s, i := range idx {
			ax := float64(alpha) * float64(x[i])
			want := float64(old[s]) + ax
			tol := 1e-6*(math.Abs(float64(old[s]))+math.Abs(ax)) + 1e-30
			if err := checkClose(fmt.Sprintf("y[%d]", i), y[i], want, tol); err != nil {
				return err
			}
		}
		return nil
	}
}

// checkDot returns an error unless got is xᵀ·y within 1e-5 of Σ|x_i·y_i|.
func checkDot(x, y []float32, got float32) error {
	var sum, abs float64
	for i := range x {
		p := float64(x[i]) * float64(y[i])
		sum += p
		abs += math.Abs(p)
	}
	return checkClose("xᵀ·y", got, sum, 1e-5*abs+1e-30)
}
