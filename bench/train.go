package main

import (
	"fmt"
	"math"
	"slices"
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

// The optimisers of the training steps, -optim: "sgd" is
// torch.optim.SGD(lr=0.01, momentum=0.9), as in layer/bench_test.go;
// "adam" is torch.optim.Adam with its defaults (lr 1e-3, betas (0.9,
// 0.999), eps 1e-8), sgd.AdamDefaults, and foreach=None in torch.
var allOptims = []string{"sgd", "adam"}

const (
	trainLR       = 0.01
	trainMomentum = 0.9
)

// optimCases returns the networks timed with optim: all of them with SGD;
// with Adam the two trained on batches (16-8-4-2 on one sample is nearly
// all overhead, which its SGD rows show).
func optimCases(optim string) []trainCase {
	if optim == "adam" {
		return trainCases[1:]
	}
	return trainCases
}

// stepCase is the network whose parameters the optimiser-step table
// updates: the 235,146 of 784-256-128-10.
var stepCase = trainCases[2]

// stepBytes is the memory an optimiser step over one parameter must move,
// reading and writing float32s: SGD with momentum reads θ, g and the
// buffer and writes θ and the buffer; Adam reads θ, g, m and v and writes
// θ, m and v.
var stepBytes = map[string]int{"sgd": 20, "adam": 28}

// newOptimizer returns optim over params, configured as allOptims says.
func newOptimizer(optim string, params []*layer.Param) (sgd.Optimizer, error) {
	switch optim {
	case "sgd":
		return sgd.New(params, sgd.Config{LR: trainLR, Momentum: trainMomentum})
	case "adam":
		return sgd.NewAdam(params, sgd.AdamDefaults())
	}
	return nil, fmt.Errorf("unknown optimiser %q (have %s)", optim, strings.Join(allOptims, ","))
}

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
	Optim        string            `json:"optim"` // "sgd" or "adam" (see allOptims)
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
	opt       sgd.Optimizer // *sgd.SGD or *sgd.Adam
	criterion *loss.CrossEntropy
	initial   [][]float32 // the parameters' initial values, for reset
}

// newPenteTrainer returns c's network initialised by
// layer.ManualSeed(0), which is also torch.manual_seed(0)'s, with optim
// (see allOptims).
func newPenteTrainer(c trainCase, optim string) *penteTrainer {
	g := layer.ManualSeed(0)
	var ls []layer.Layer
	for i := 1; i < len(c.sizes); i++ {
		if i > 1 {
			ls = append(ls, layer.NewReLU())
		}
		ls = append(ls, layer.NewLinear(c.sizes[i-1], c.sizes[i], g))
	}
	model := layer.NewSequential(ls...)
	opt, err := newOptimizer(optim, model.Params())
	if err != nil {
		panic(err) // the configurations are constants, optim checked by parseFlags
	}
	p := &penteTrainer{model: model, opt: opt, criterion: loss.NewCrossEntropy()}
	for _, q := range model.Params() {
		p.initial = append(p.initial, append([]float32(nil), q.Value.Data...))
	}
	return p
}

// step is one training step: ZeroGrad, Forward, cross-entropy, Backward,
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
	m.setParams(newPenteTrainer(c, "sgd").model.Params())
	return m
}

// The data of a timed run: trainBatches batches uniform in [-1, 1] with
// random labels, used in turn, and every resetEvery steps the parameters go
// back to their initial values and the optimiser to a new one's state (no
// momentum buffers; Adam at step 0 with zero moments), in pente, gonum and
// PyTorch alike. So every step timed is one of a network near its
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

// reset puts p back to its initial parameters and its optimiser to the
// state of a new one. SGD's momentum buffers are zeroed in place (a zero
// buffer times μ plus g is g, what the first step sets it to). Adam's state
// is dropped, SetState with nothing, as PyTorch's opt.state.clear(): the
// step count must go back to 0 for the next step to be a first one (bias
// corrections 1 − βᵗ at t = 1), and SetState is the only way to set it;
// the next Step then allocates zero moments, as torch's does
// (torch.zeros_like), once every resetEvery steps.
func (p *penteTrainer) reset() {
	for i, q := range p.model.Params() {
		copy(q.Value.Data, p.initial[i])
	}
	switch o := p.opt.(type) {
	case *sgd.SGD:
		for _, q := range p.model.Params() {
			if v := o.MomentumBuffer(q); v != nil {
				clear(v.Data)
			}
		}
	case *sgd.Adam:
		if err := o.SetState(nil, nil); err != nil {
			panic(err) // nothing is always a valid state
		}
	}
}

// runTrain times a training step of each case with each optimiser of
// -optim in pente, in gonum (SGD only) and, when torch holds results, in
// PyTorch; then the optimiser step alone (runOptimStep).
func (b *bench) runTrain(torch *torchTimes) error {
	names := []string{"pente", "gonum"}
	if torch != nil {
		names = append(names, "PyTorch")
	}
	t := &table{w: b.out, cols: compareColumns(
		[]column{{title: "model", width: 14, text: true}, {title: "batch"}, {title: "optim", text: true}, {title: "threads"}},
		names, "µs/step", column{title: "pente GFLOP/s"})}
	t.cols = append(t.cols, othersColumn)
	t.header("training step (ZeroGrad, Forward, cross-entropy, Backward, Step: SGD lr 0.01 momentum 0.9, or Adam's defaults), µs per step")
	for _, c := range trainCases {
		xs, targets := b.trainData(c)
		for _, optim := range b.cfg.optims {
			if !slices.ContainsFunc(optimCases(optim), func(o trainCase) bool { return o.name() == c.name() && o.batch == c.batch }) {
				continue
			}
			if err := b.trainRows(t, names, c, optim, xs, targets, torch); err != nil {
				return fmt.Errorf("train %s batch %d %s: %w", c.name(), c.batch, optim, err)
			}
		}
	}
	return b.runOptimStep(torch)
}

// trainRows times the training step of c with optim at each thread count
// and prints the rows: gonum's too for SGD, which it has by hand.
func (b *bench) trainRows(t *table, names []string, c trainCase, optim string, xs []*mat.Dense, targets [][]int, torch *torchTimes) error {
	want, err := checkTrain(c, optim, xs[0], targets[0])
	if err != nil {
		return err
	}
	// The warm-up call of each measurement is the first step, on the
	// first batch: its loss is checked.
	var l float32
	checkLoss := func() error {
		return checkClose("the first step's loss", l, want, 1e-5*max(1, math.Abs(want)))
	}
	for _, th := range b.cfg.threads {
		b.setThreads(th)
		row := trainRow{Model: c.name(), Batch: c.batch, Optim: optim, Threads: th, FlopsPerStep: c.flops(), Results: map[string]result{}}
		start := sampleCPU()

		if optim == "sgd" {
			g := newGonumTrainer(c)
			initial := append([]float32(nil), g.params...)
			ns, err := measure(b.cfg.time, cycle(xs, targets,
				func() { copy(g.params, initial); clear(g.velocity) },
				func(x *mat.Dense, target []int) { l = g.step(x.Data, target) }), checkLoss)
			if err != nil {
				return fmt.Errorf("threads %d: gonum: %w", th, err)
			}
			row.Results["gonum"] = result{NsPerCall: ns, GFLOPS: c.flops() / ns}
		}

		p := newPenteTrainer(c, optim)
		ns, err := measure(b.cfg.time, cycle(xs, targets, p.reset,
			func(x *mat.Dense, target []int) { l = p.step(x, target) }), checkLoss)
		if err != nil {
			return fmt.Errorf("threads %d: pente: %w", th, err)
		}
		row.Results["pente"] = result{NsPerCall: ns, GFLOPS: c.flops() / ns}

		if ns, ok := torch.get(torchKey{c.name(), c.batch, optim, th}); ok {
			row.Results["PyTorch"] = result{NsPerCall: ns, GFLOPS: c.flops() / ns}
		}
		row.OtherCores = othersSince(start)
		b.rep.Train = append(b.rep.Train, row)
		t.row(append(compareCells([]string{c.name(), fmt.Sprint(c.batch), optim, fmt.Sprint(th)}, names, row.Results,
			func(r result) string { return fmtMicros(r.NsPerCall) },
			func(r result) float64 { return 1 / r.NsPerCall },
			fmtRate(row.Results["pente"].GFLOPS)), fmtOthers(row.OtherCores))...)
	}
	return nil
}

// optimStepRow is one line of the optimiser-step table.
type optimStepRow struct {
	Optim        string            `json:"optim"`
	Model        string            `json:"model"`  // whose parameters: stepCase
	Params       int               `json:"params"` // their number
	Threads      int               `json:"threads"`
	BytesPerStep float64           `json:"bytes_per_step"` // stepBytes × Params
	Results      map[string]result `json:"results"`        // pente, PyTorch; NsPerCall is per step, GBps from BytesPerStep
	OtherCores   float64           `json:"other_cores"`    // as trainRow's
}

// runOptimStep times the optimiser's Step alone, for each optimiser of
// -optim, over the parameters of stepCase with gradients uniform in
// [-1, 1], in pente and, when torch holds results, in PyTorch
// (optimizer.step()). The gradients stay, and every step starts from the
// state the one before left: the parameters drift (by about lr a step
// with Adam, lr·g/(1 − μ) with SGD), the moments and buffers settle near
// g, g² and g/(1 − μ), all normal numbers, so nothing needs a reset. The warm-up call, the first
// step from a new optimiser, is checked against float64 (checkFirstStep).
func (b *bench) runOptimStep(torch *torchTimes) error {
	names := []string{"pente"}
	if torch != nil {
		names = append(names, "PyTorch")
	}
	t := &table{w: b.out, cols: compareColumns(
		[]column{{title: "optim", text: true}, {title: "params", width: 7}, {title: "threads"}},
		names, "µs/step", column{title: "pente GB/s"})}
	t.cols = append(t.cols, othersColumn)
	t.header(fmt.Sprintf("optimiser Step alone over the parameters of %s, gradients given, µs per step "+
		"(GB/s: the bytes it must move, %d a parameter for SGD with momentum, %d for Adam)",
		stepCase.name(), stepBytes["sgd"], stepBytes["adam"]))
	for _, optim := range b.cfg.optims {
		for _, th := range b.cfg.threads {
			b.setThreads(th)
			start := sampleCPU()
			p := newPenteTrainer(stepCase, optim)
			ps := p.model.Params()
			n := 0
			for _, q := range ps {
				copy(q.Grad.Data, randVec(b.rng, len(q.Grad.Data)))
				n += len(q.Value.Data)
			}
			row := optimStepRow{Optim: optim, Model: stepCase.name(), Params: n, Threads: th,
				BytesPerStep: float64(stepBytes[optim] * n), Results: map[string]result{}}
			ns, err := measure(b.cfg.time, p.opt.Step, func() error { return checkFirstStep(optim, ps, p.initial) })
			if err != nil {
				return fmt.Errorf("%s step threads %d: pente: %w", optim, th, err)
			}
			row.Results["pente"] = result{NsPerCall: ns, GBps: row.BytesPerStep / ns}
			if ns, ok := torch.get(torchKey{stepCase.name(), 0, optim, th}); ok {
				row.Results["PyTorch"] = result{NsPerCall: ns, GBps: row.BytesPerStep / ns}
			}
			row.OtherCores = othersSince(start)
			b.rep.OptimStep = append(b.rep.OptimStep, row)
			t.row(append(compareCells([]string{optim, fmt.Sprint(n), fmt.Sprint(th)}, names, row.Results,
				func(r result) string { return fmtMicros(r.NsPerCall) },
				func(r result) float64 { return 1 / r.NsPerCall },
				fmtRate(row.Results["pente"].GBps)), fmtOthers(row.OtherCores))...)
		}
	}
	return nil
}

// checkFirstStep returns an error unless the parameters ps, after the
// first step of a new optim from the values initial with the gradients
// their Grad holds, are what that step gives in float64: θ − lr·g for SGD
// with momentum (its buffer starts as g), and θ − lr·g/(|g| + eps) for
// Adam (at step 1, m/(1 − β1) = g and v/(1 − β2) = g²). Each may differ
// from it by 1e-4 of the update plus 1e-6 of θ (its float32 rounding):
// far less than any wrong formula moves it.
func checkFirstStep(optim string, ps []*layer.Param, initial [][]float32) error {
	adam := sgd.AdamDefaults()
	for i, q := range ps {
		for j, g := range q.Grad.Data {
			g := float64(g)
			var d float64
			switch optim {
			case "sgd":
				d = trainLR * g
			case "adam":
				d = adam.LR * g / (math.Abs(g) + adam.Eps)
			default:
				return fmt.Errorf("checkFirstStep: unknown optimiser %q", optim)
			}
			want := float64(initial[i][j]) - d
			got := float64(q.Value.Data[j])
			if diff, tol := math.Abs(got-want), 1e-4*math.Abs(d)+1e-6*math.Abs(want); !(diff <= tol) {
				return fmt.Errorf("after the first %s step, %s[%d] is %g, float64 says %g (from %g, gradient %g; |difference| %.3g > %.3g)",
					optim, q.Name, j, got, want, initial[i][j], g, diff, tol)
			}
		}
	}
	return nil
}

// checkTrain runs one step of c with optim from the initial parameters
// and returns the loss computed in float64 (referenceLoss). With SGD it
// runs the step in pente and in gonum and returns an error unless both
// losses are that one and the parameters after the step agree within a
// relative 1e-5 of each parameter's largest magnitude. With Adam, which
// gonum's network does not have, it runs pente's step and returns an
// error unless its loss is that one and its parameters after the step are
// what checkFirstStep computes from its gradients (which TestGonumMLPGradients
// holds to gonum's).
func checkTrain(c trainCase, optim string, x *mat.Dense, target []int) (float64, error) {
	p := newPenteTrainer(c, optim)
	want := referenceLoss(p.model.Params(), c.sizes, x, target)
	tol := 1e-5 * max(1, math.Abs(want))
	if err := checkClose("pente's loss", p.step(x, target), want, tol); err != nil {
		return 0, err
	}
	if optim != "sgd" {
		return want, checkFirstStep(optim, p.model.Params(), p.initial)
	}
	g := newGonumTrainer(c)
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
