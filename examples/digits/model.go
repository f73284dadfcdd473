package main

import (
	"fmt"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

// classifier is an MLP (Linear and ReLU layers, as nn.Sequential builds it
// in PyTorch) with its loss and optimiser.
type classifier struct {
	model     *layer.Sequential
	criterion *loss.CrossEntropy
	optimizer sgd.Optimizer
	scores    *mat.Dense // Predict's output for accuracy, reused
}

// training holds how a classifier learns: the optimizer ("sgd", with
// momentum, or "adam"), its learning rate, and the probability of the
// Dropout after each hidden layer (0: none).
type training struct {
	optim        string
	lr, momentum float64
	dropout      float32
}

// newClassifier returns the MLP with the given layer sizes, initialised
// from seed as torch.manual_seed(seed) and nn.Linear would, trained as t
// says.
func newClassifier(sizes []int, seed uint64, t training) (*classifier, error) {
	g := layer.ManualSeed(seed)
	var layers []layer.Layer
	for i := 1; i < len(sizes); i++ {
		if i > 1 {
			layers = append(layers, layer.NewReLU())
			if t.dropout > 0 {
				layers = append(layers, layer.NewDropout(t.dropout, g))
			}
		}
		layers = append(layers, layer.NewLinear(sizes[i-1], sizes[i], g))
	}
	model := layer.NewSequential(layers...)
	var optimizer sgd.Optimizer
	var err error
	switch t.optim {
	case "sgd":
		optimizer, err = sgd.New(model.Params(), sgd.Config{LR: float32(t.lr), Momentum: float32(t.momentum)})
	case "adam":
		cfg := sgd.AdamDefaults()
		cfg.LR = t.lr
		optimizer, err = sgd.NewAdam(model.Params(), cfg)
	default:
		err = fmt.Errorf("unknown optimizer %q: want sgd or adam", t.optim)
	}
	if err != nil {
		return nil, err
	}
	return &classifier{model: model, criterion: loss.NewCrossEntropy(), optimizer: optimizer}, nil
}

// step is one SGD step on a batch; it returns the batch's mean loss.
func (c *classifier) step(x *mat.Dense, labels []int) float32 {
	c.optimizer.ZeroGrad()                               // optimizer.zero_grad()
	l := c.criterion.Forward(c.model.Forward(x), labels) // loss = criterion(model(x), labels)
	c.model.Backward(c.criterion.Backward())             // loss.backward()
	c.optimizer.Step()                                   // optimizer.step()
	return l
}

// accuracy returns the fraction of d that the model classifies correctly.
func (c *classifier) accuracy(d *dataset) float64 {
	if c.scores == nil || c.scores.Rows != d.X.Rows {
		c.scores = mat.NewDense(d.X.Rows, classes, nil)
	}
	scores := c.model.Predict(d.X, c.scores) // with torch.no_grad(): model(x)
	right := 0
	for i, y := range d.Labels {
		if argmax(scores.Row(i)) == y {
			right++
		}
	}
	return float64(right) / float64(len(d.Labels))
}

// argmax returns the index of the largest element of p.
func argmax(p []float32) int {
	best := 0
	for j, v := range p {
		if v > p[best] {
			best = j
		}
	}
	return best
}
