package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

// trainCase is one network of the training table: a ReLU MLP with these
// layer sizes, trained on batches of batch samples.
type trainCase struct {
	sizes []int
	batch int
}

// trainCases are the networks timed: the lesson's 16-8-4-2 on one sample
// (all overhead), a small one, and the MNIST-sized 784-256-128-10.
var trainCases = []trainCase{
	{[]int{16, 8, 4, 2}, 1},
	{[]int{64, 32, 10}, 32},
	{[]int{784, 256, 128, 10}, 128},
}

// The optimiser of every training step: torch.optim.SGD(lr=0.01,
// momentum=0.9), as in layer/bench_test.go.
const (
	trainLR       = 0.01
	trainMomentum = 0.9
)

func (c trainCase) name() string {
	s := make([]string, len(c.sizes))
	for i, n := range c.sizes {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, "-")
}

// flops counts the multiply-adds of one step's products, as
// layer.BenchmarkTrainingStep does: forward, weight gradient and input
// gradient of each layer, less the first layer's input gradient.
func (c trainCase) flops() float64 {
	f := 0
	for i := 1; i < len(c.sizes); i++ {
		products := 3
		if i == 1 {
			products = 2
		}
		f += 2 * products * c.batch * c.sizes[i-1] * c.sizes[i]
	}
	return float64(f)
}

// trainRow is one line of the training table.
type trainRow struct {
	Model        string            `json:"model"` // e.g. "784-256-128-10"
	Batch        int               `json:"batch"`
	Threads      int               `json:"threads"`
	FlopsPerStep float64           `json:"flops_per_step"`
	Results      map[string]result `json:"results"` // pente, gonum, PyTorch; NsPerCall is per step
	// OtherCores is the cores busy with other processes while pente and
	// gonum ran (PyTorch ran before the tables); -1 unknown.
	OtherCores float64 `json:"other_cores"`
}

// penteTrainer is pente's side of the benchmark: the model, its
// optimiser and loss, as layer/bench_test.go writes them.
type penteTrainer struct {
	model     *layer.Sequential
	opt       *sgd.SGD
	criterion *loss.CrossEntropy
	initial   [][]float32 // the parameters' initial values, for reset
}

// newPenteTrainer returns c's network initialised by
// layer.ManualSeed(0), which is also torch.manual_seed(0)'s.
func newPenteTrainer(c trainCase) *penteTrainer {
	g := layer.ManualSeed(0)
	var ls []layer.Layer
	for i := 1; i < len(c.sizes); i++ {
		if i > 1 {
			ls = append(ls, layer.NewReLU())
		}
		ls = append(ls, layer.NewLinear(c.sizes[i-1], c.sizes[i], g))
	}
	model := layer.NewSequential(ls...)
	opt, err := sgd.New(model.Params(), sgd.Config{LR: trainLR, Momentum: trainMomentum})
	if err != nil {
		panic(err) // the Config is a constant
	}
	p := &penteTrainer{model: model, opt: opt, criterion: loss.NewCrossEntropy()}
	for _, q := range model.Params() {
		p.initial = append(p.initial, append([]float32(nil), q.Value.Data...))
	}
	return p
}

// step is one SGD step: ZeroGrad, Forward, cross-entropy, Backward,
// Step. It returns the loss before the update.
func (p *penteTrainer) step(x *mat.Dense, target []int) float32 {
	p.opt.ZeroGrad()
	l := p.criterion.Forward(p.model.Forward(x), target)
	p.model.Backward(p.criterion.Backward())
	p.opt.Step()
	return l
}

// newGonumTrainer returns the gonum network with pente's initial
// parameters for c.
func newGonumTrainer(c trainCase) *gonumMLP {
	m := newGonumMLP(c.sizes, c.batch, trainLR, trainMomentum)
	m.setParams(newPenteTrainer(c).model.Params())
	return m
}

// The data of a timed run: trainBatches batches uniform in [-1, 1] with
// random labels, used in turn, and every resetEvery steps the parameters go
// back to their initial values and the momentum buffers to zero, in pente,
// gonum and PyTorch alike. So every step timed is one of a network near its
// initialisation. Trained for millions of steps on one batch instead, the
// 16-8-4-2 network dies: its gradients vanish, and its momentum buffers
// decay into subnormal numbers, where μ·v rounds back to v and stays. Every
// library then times the CPU's slow subnormal arithmetic (a hundred times
// slower here), not a training step.
const (
	trainBatches = 16
	resetEvery   = 256
)

// trainData returns c's batches and their targets.
func (b *bench) trainData(c trainCase) ([]*mat.Dense, [][]int) {
	xs := make([]*mat.Dense, trainBatches)
	targets := make([][]int, trainBatches)
	classes := c.sizes[len(c.sizes)-1]
	for i := range xs {
		xs[i] = randDense(b.rng, c.batch, c.sizes[0])
		targets[i] = make([]int, c.batch)
		for j := range targets[i] {
			targets[i][j] = b.rng.IntN(classes)
		}
	}
	return xs, targets
}

// cycle returns a function that runs step on the batches in turn, calling
// reset before the first step and every resetEvery steps.
func cycle(xs []*mat.Dense, targets [][]int, reset func(), step func(x *mat.Dense, target []int)) func() {
	i := 0
	return func() {
		if i%resetEvery == 0 {
			reset()
		}
		step(xs[i%len(xs)], targets[i%len(xs)])
		i++
	}
}

// reset puts p back to its initial parameters, with no momentum.
func (p *penteTrainer) reset() {
	for i, q := range p.model.Params() {
		copy(q.Value.Data, p.initial[i])
		if v := p.opt.MomentumBuffer(q); v != nil {
			clear(v.Data)
		}
	}
}

// runTrain times a training step of each case in pente, in gonum and, when
// torch holds results, in PyTorch.
func (b *bench) runTrain(torch map[torchKey]float64) error {
	names := []string{"pente", "gonum"}
	if torch != nil {
		names = append(names, "PyTorch")
	}
	t := &table{w: b.out, cols: compareColumns(
		[]column{{title: "model", width: 14, text: true}, {title: "batch"}, {title: "threads"}},
		names, "µs/step", column{title: "pente GFLOP/s"})}
	t.cols = append(t.cols, othersColumn)
	t.header("training step (ZeroGrad, Forward, cross-entropy, Backward, SGD Step with momentum), µs per step")
	for _, c := range trainCases {
		xs, targets := b.trainData(c)
		want, err := checkTrain(c, xs[0], targets[0])
		if err != nil {
			return fmt.Errorf("train %s batch %d: %w", c.name(), c.batch, err)
		}
		// The warm-up call of each measurement is the first step, on the
		// first batch: its loss is checked.
		var l float32
		checkLoss := func() error {
			return checkClose("the first step's loss", l, want, 1e-5*max(1, math.Abs(want)))
		}
		for _, th := range b.cfg.threads {
			b.setThreads(th)
			row := trainRow{Model: c.name(), Batch: c.batch, Threads: th, FlopsPerStep: c.flops(), Results: map[string]result{}}
			start := sampleCPU()

			g := newGonumTrainer(c)
			initial := append([]float32(nil), g.params...)
			ns, err := measure(b.cfg.time, cycle(xs, targets,
				func() { copy(g.params, initial); clear(g.velocity) },
				func(x *mat.Dense, target []int) { l = g.step(x.Data, target) }), checkLoss)
			if err != nil {
				return fmt.Errorf("train %s batch %d threads %d: gonum: %w", c.name(), c.batch, th, err)
			}
			row.Results["gonum"] = result{NsPerCall: ns, GFLOPS: c.flops() / ns}

			p := newPenteTrainer(c)
			ns, err = measure(b.cfg.time, cycle(xs, targets, p.reset,
				func(x *mat.Dense, target []int) { l = p.step(x, target) }), checkLoss)
			if err != nil {
				return fmt.Errorf("train %s batch %d threads %d: pente: %w", c.name(), c.batch, th, err)
			}
			row.Results["pente"] = result{NsPerCall: ns, GFLOPS: c.flops() / ns}

			if ns, ok := torch[torchKey{c.name(), c.batch, th}]; ok {
				row.Results["PyTorch"] = result{NsPerCall: ns, GFLOPS: c.flops() / ns}
			}
			row.OtherCores = othersSince(start)
			b.rep.Train = append(b.rep.Train, row)
			t.row(append(compareCells([]string{c.name(), fmt.Sprint(c.batch), fmt.Sprint(th)}, names, row.Results,
				func(r result) string { return fmtMicros(r.NsPerCall) },
				func(r result) float64 { return 1 / r.NsPerCall },
				fmtRate(row.Results["pente"].GFLOPS)), fmtOthers(row.OtherCores))...)
		}
	}
	return nil
}

// checkTrain runs one step of c in pente and in gonum from the same
// parameters and returns the loss, computed in float64, that both
// reported. It returns an error unless both losses are that one and the
// parameters after the step agree within a relative 1e-5 of each
// parameter's largest magnitude.
func checkTrain(c trainCase, x *mat.Dense, target []int) (float64, error) {
	p := newPenteTrainer(c)
	want := referenceLoss(p.model.Params(), c.sizes, x, target)
	g := newGonumTrainer(c)
	tol := 1e-5 * max(1, math.Abs(want))
	if err := checkClose("pente's loss", p.step(x, target), want, tol); err != nil {
		return 0, err
	}
	if err := checkClose("gonum's loss", g.step(x.Data, target), want, tol); err != nil {
		return 0, err
	}
	if err := checkParams(g.params, p.model.Params(), value, 1e-5); err != nil {
		return 0, fmt.Errorf("after one step, gonum's %w", err)
	}
	return want, nil
}

// checkParams returns an error unless the parameters ps, laid one after
// another in flat as the gonum network keeps them, agree with what data
// gives of each within rel (see checkAgainstTol), naming the first that
// does not.
func checkParams(flat []float32, ps []*layer.Param, data func(*layer.Param) []float32, rel float64) error {
	off := 0
	for _, q := range ps {
		d := data(q)
		if err := checkAgainstTol(flat[off:off+len(d)], d, rel); err != nil {
			return fmt.Errorf("%s: %w", q.Name, err)
		}
		off += len(d)
	}
	return nil
}

func value(p *layer.Param) []float32 { return p.Value.Data }
func grad(p *layer.Param) []float32  { return p.Grad.Data }

// referenceLoss is the mean cross-entropy of the MLP with parameters ps
// (weight, bias per layer) on x, computed in float64.
func referenceLoss(ps []*layer.Param, sizes []int, x *mat.Dense, target []int) float64 {
	var total float64
	for r := range x.Rows {
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
		mx := math.Inf(-1)
		for _, v := range a {
			mx = max(mx, v)
		}
		var sum float64
		for _, v := range a {
			sum += math.Exp(v - mx)
		}
		total += mx + math.Log(sum) - a[target[r]]
	}
	return total / float64(x.Rows)
}
