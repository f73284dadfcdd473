package main

import (
	"fmt"
	"strconv"

	"github.com/pente-go/pente/data"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

// config is a training run: the hyperparameters of internal/gen/mnist.py
// by default.
type config struct {
	Epochs   int
	Batch    int
	LR       float32
	Momentum float32
	Optim    string // "sgd" (with Momentum) or "adam"
	Seed     uint64 // torch.manual_seed(seed) for the weights, g.manual_seed(seed) for the shuffle
}

// defaults are the PyTorch run's settings.
var defaults = config{Epochs: 10, Batch: 128, LR: 0.05, Momentum: 0.9, Optim: "sgd", Seed: 0}

// optimizer is what the training loop needs of torch.optim's optimisers.
type optimizer interface {
	ZeroGrad()
	Step()
}

// newOptimizer returns the optimiser cfg.Optim names for params.
func newOptimizer(params []*layer.Param, cfg config) (optimizer, error) {
	switch cfg.Optim {
	case "sgd": // optim.SGD(model.parameters(), lr=lr, momentum=momentum)
		return sgd.New(params, sgd.Config{LR: cfg.LR, Momentum: cfg.Momentum})
	case "adam": // optim.Adam(model.parameters(), lr=lr)
		c := sgd.AdamDefaults()
		// The lr as the decimal it was written as (0.001, not float32
		// 0.001's 0.0010000000474974513): a Python float, as torch has it.
		c.LR, _ = strconv.ParseFloat(strconv.FormatFloat(float64(cfg.LR), 'g', -1, 32), 64)
		return sgd.NewAdam(params, c)
	}
	return nil, fmt.Errorf("unknown optimiser %q (have sgd and adam)", cfg.Optim)
}

// newModel returns 784-256-128-10 with ReLU, initialised from g as
// nn.Sequential(nn.Linear(784, 256), nn.ReLU(), ...) after
// torch.manual_seed.
func newModel(g *layer.Generator) *layer.Sequential {
	return layer.NewSequential(
		layer.NewLinear(pixels, 256, g), layer.NewReLU(),
		layer.NewLinear(256, 128, g), layer.NewReLU(),
		layer.NewLinear(128, classes, g),
	)
}

// result is what a run records, as internal/gen/mnist.py does.
type result struct {
	Losses      []float64 // per epoch, the mean of its batch losses
	BatchLosses []float32 // every batch's loss, in order
	Accuracy    float64   // on the test set, in percent
	Right       int       // test images classified right
}

// progress is told of every step: the epoch (from 1), the step in it
// (from 1), the epoch's number of steps and the mean loss so far.
type progress func(epoch, step, steps int, loss float64)

// newRun returns the model, initialised from cfg.Seed as
// torch.manual_seed(seed) would, and its optimiser.
func newRun(cfg config) (*layer.Sequential, optimizer, error) {
	if cfg.Epochs < 1 || cfg.Batch < 1 {
		return nil, nil, fmt.Errorf("epochs %d and batch %d must be positive", cfg.Epochs, cfg.Batch)
	}
	model := newModel(layer.ManualSeed(cfg.Seed)) // torch.manual_seed(seed); model = ...
	opt, err := newOptimizer(model.Params(), cfg)
	if err != nil {
		return nil, nil, err
	}
	return model, opt, nil
}

// train trains model with opt on tr as internal/gen/mnist.py does in
// PyTorch and returns its record on te.
func train(model *layer.Sequential, opt optimizer, tr, te *dataset, cfg config, report progress) *result {
	criterion := loss.NewCrossEntropy() // nn.CrossEntropyLoss()
	// DataLoader(TensorDataset(x, y), batch_size=batch, shuffle=True, generator=g)
	loader := data.NewLoader(tr.X, cfg.Batch, true, layer.ManualSeed(cfg.Seed))
	labels := make([]int, cfg.Batch)
	res := &result{}
	steps := loader.Len()
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		var total float64
		step := 0
		for loader.Epoch(); ; {
			x, index, ok := loader.Next() // for xb, yb in loader:
			if !ok {
				break
			}
			y := labels[:len(index)]
			for k, i := range index {
				y[k] = tr.Labels[i]
			}
			opt.ZeroGrad()                              // opt.zero_grad()
			l := criterion.Forward(model.Forward(x), y) // loss = criterion(model(xb), yb)
			model.Backward(criterion.Backward())        // loss.backward()
			opt.Step()                                  // opt.step()
			res.BatchLosses = append(res.BatchLosses, l)
			total += float64(l) // total += loss.item()
			step++
			if report != nil {
				report(epoch, step, steps, total/float64(step))
			}
		}
		res.Losses = append(res.Losses, total/float64(step))
	}
	res.Right = correct(model, te)
	res.Accuracy = 100 * float64(res.Right) / float64(te.X.Rows)
	return res
}

// correct returns how many images of d the model classifies right:
// (model(x).argmax(1) == y).sum() under torch.no_grad().
func correct(model *layer.Sequential, d *dataset) int {
	scores := model.Predict(d.X, mat.NewDense(d.X.Rows, classes, nil))
	right := 0
	for i, y := range d.Labels {
		if argmax(scores.Row(i)) == y {
			right++
		}
	}
	return right
}

// argmax returns the index of the first largest element of p, as
// torch.argmax does.
func argmax(p []float32) int {
	best := 0
	for j, v := range p {
		if v > p[best] {
			best = j
		}
	}
	return best
}
