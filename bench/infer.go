package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// inferScript times inference in PyTorch; runTorchInfer feeds it to the
// Python given by -torch on standard input.
//
//go:embed torch/infer.py
var inferScript string

// inferCases are the networks and batches of the inference table, as
// layer.BenchmarkPredict times them: ReLU MLPs (trainCase's networks).
var inferCases = func() []trainCase {
	var cs []trainCase
	for _, sizes := range [][]int{{784, 256, 128, 10}, {1024, 1024, 1024, 10}} {
		for _, batch := range []int{1, 32, 256} {
			cs = append(cs, trainCase{sizes, batch})
		}
	}
	return cs
}()

// inferFlops counts the multiply-adds of one forward pass of c, twice.
func inferFlops(c trainCase) float64 {
	f := 0
	for i := 1; i < len(c.sizes); i++ {
		f += 2 * c.batch * c.sizes[i-1] * c.sizes[i]
	}
	return float64(f)
}

// inferRow is one line of the inference table.
type inferRow struct {
	Model      string            `json:"model"`
	Batch      int               `json:"batch"`
	Threads    int               `json:"threads"`
	Allocs     float64           `json:"pente_allocs_per_call"`
	Results    map[string]result `json:"results"` // pente, PyTorch; NsPerCall per Predict
	OtherCores float64           `json:"other_cores"`
}

// runTorchInfer runs torch/infer.py with python for every case and thread
// count and returns the time per call of each row, in ns.
func runTorchInfer(python string, threads []int, minTime time.Duration) (map[torchKey]float64, *torchInfo, error) {
	info := &torchInfo{Python: python}
	start := sampleCPU()
	var cases, ths []string
	for _, c := range inferCases {
		cases = append(cases, fmt.Sprintf("%s:%d", c.name(), c.batch))
	}
	for _, t := range threads {
		ths = append(ths, fmt.Sprint(t))
	}
	cmd := exec.Command(python, "-", "--time", fmt.Sprint(minTime.Seconds()),
		"--threads", strings.Join(ths, ","), "--cases", strings.Join(cases, ","))
	cmd.Stdin = strings.NewReader(inferScript)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, info, fmt.Errorf("%s torch/infer.py: %v: %s", python, err, lastLine(stderr.String()))
	}
	var res struct {
		Torch   string `json:"torch"`
		Results []struct {
			Sizes     []int   `json:"sizes"`
			Batch     int     `json:"batch"`
			Threads   int     `json:"threads"`
			NsPerCall float64 `json:"ns_per_call"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, info, fmt.Errorf("%s torch/infer.py printed no JSON: %v", python, err)
	}
	info.Version = res.Torch
	info.OtherCores = othersSince(start)
	times := map[torchKey]float64{}
	for _, r := range res.Results {
		c := trainCase{sizes: r.Sizes, batch: r.Batch}
		times[torchKey{model: c.name(), batch: r.Batch, threads: r.Threads}] = r.NsPerCall
	}
	return times, info, nil
}

// runInfer times Sequential.Predict into a caller's matrix for each case,
// with PyTorch's times when torch holds them, and counts pente's
// allocations per call.
func (b *bench) runInfer(torch map[torchKey]float64) error {
	names := []string{"pente"}
	if torch != nil {
		names = append(names, "PyTorch")
	}
	t := &table{w: b.out, cols: compareColumns(
		[]column{{title: "model", width: 14, text: true}, {title: "batch"}, {title: "threads"}},
		names, "µs/call", column{title: "pente GFLOP/s"}, column{title: "allocs/call"})}
	t.cols = append(t.cols, othersColumn)
	t.header("inference (Sequential.Predict into a given matrix; PyTorch under torch.inference_mode()), µs per call")
	for _, c := range inferCases {
		p := newPenteTrainer(c, "sgd") // the same initial parameters as PyTorch's; the optimizer is not used
		x := randDense(b.rng, c.batch, c.sizes[0])
		dst := mat.NewDense(c.batch, c.sizes[len(c.sizes)-1], nil)
		check := func() error { return checkPredict(p.model, c.sizes, x, dst) }
		for _, th := range b.cfg.threads {
			b.setThreads(th)
			start := sampleCPU()
			row := inferRow{Model: c.name(), Batch: c.batch, Threads: th, Results: map[string]result{}}
			ns, err := measure(b.cfg.time, func() { p.model.Predict(x, dst) }, check)
			if err != nil {
				return fmt.Errorf("infer %s batch %d threads %d: pente: %w", c.name(), c.batch, th, err)
			}
			row.Results["pente"] = result{NsPerCall: ns, GFLOPS: inferFlops(c) / ns}
			row.Allocs = testing.AllocsPerRun(100, func() { p.model.Predict(x, dst) })
			if ns, ok := torch[torchKey{model: c.name(), batch: c.batch, threads: th}]; ok {
				row.Results["PyTorch"] = result{NsPerCall: ns, GFLOPS: inferFlops(c) / ns}
			}
			row.OtherCores = othersSince(start)
			b.rep.Infer = append(b.rep.Infer, row)
			t.row(append(compareCells([]string{c.name(), fmt.Sprint(c.batch), fmt.Sprint(th)}, names, row.Results,
				func(r result) string { return fmtMicros(r.NsPerCall) },
				func(r result) float64 { return 1 / r.NsPerCall },
				fmtRate(row.Results["pente"].GFLOPS), fmt.Sprint(row.Allocs)), fmtOthers(row.OtherCores))...)
		}
	}
	return nil
}

// checkPredict returns an error unless rows of dst (about 8, the first
// and the last among them) are the output of the MLP with model's
// parameters on those rows of x, computed in float64, within a relative
// 1e-5 of the row's largest magnitude (plus 1e-6).
func checkPredict(model *layer.Sequential, sizes []int, x, dst *mat.Dense) error {
	ps := model.Params()
	var rows []int
	for r := 0; r < x.Rows; r += max(1, x.Rows/8) {
		rows = append(rows, r)
	}
	if rows[len(rows)-1] != x.Rows-1 {
		rows = append(rows, x.Rows-1)
	}
	for _, r := range rows {
		a := make([]float64, sizes[0])
		for j := range a {
			a[j] = float64(x.At(r, j))
		}
		for l := 1; l < len(sizes); l++ {
			w, bias := ps[2*(l-1)].Value, ps[2*(l-1)+1].Value
			z := make([]float64, sizes[l])
			for i := range z {
				z[i] = float64(bias.Data[i])
				for j, v := range a {
					z[i] += float64(w.At(i, j)) * v
				}
				if l < len(sizes)-1 {
					z[i] = max(z[i], 0)
				}
			}
			a = z
		}
		big := 0.0
		for _, v := range a {
			big = max(big, math.Abs(v))
		}
		for j, v := range a {
			if got := float64(dst.At(r, j)); math.Abs(got-v) > 1e-5*big+1e-6 {
				return fmt.Errorf("output (%d, %d) is %v, want %v", r, j, got, v)
			}
		}
	}
	return nil
}
