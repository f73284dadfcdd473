package layer_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

type trainCase struct {
	Name   string
	Seed   uint64
	Layers []layerSpec
	Loss   struct {
		Kind           string
		Weight         []float32
		Reduction      string
		IgnoreIndex    *int    `json:"ignore_index"`
		LabelSmoothing float32 `json:"label_smoothing"`
	}
	Optimizer struct {
		LR, Momentum, Dampening float32
		WeightDecay             float32 `json:"weight_decay"`
		Nesterov, Maximize      bool
	}
	Params0 map[string]fixture.Matrix
	Steps   []struct {
		X      fixture.Matrix
		Target json.RawMessage
		Loss   float32
		Params map[string]fixture.Matrix
	}
}

// TestTrainingMatchesPyTorch trains fixture models with a loss and
// optim.SGD for several steps, one batch each, and compares every step's
// loss and the parameters after it with PyTorch's: the whole training
// loop, zero_grad, forward, loss, backward and step, end to end.
func TestTrainingMatchesPyTorch(t *testing.T) {
	var cases []trainCase
	fixture.Load(t, "train.json", &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			model := buildFrom(t, c.Layers, c.Seed, c.Params0)
			params := model.Params()
			o := c.Optimizer
			opt, err := sgd.New(params, sgd.Config{LR: o.LR, Momentum: o.Momentum, Dampening: o.Dampening,
				WeightDecay: o.WeightDecay, Nesterov: o.Nesterov, Maximize: o.Maximize})
			if err != nil {
				t.Fatal(err)
			}
			ce := loss.NewCrossEntropy()
			ce.Weight = c.Loss.Weight
			ce.LabelSmoothing = c.Loss.LabelSmoothing
			if c.Loss.IgnoreIndex != nil {
				ce.IgnoreIndex = *c.Loss.IgnoreIndex
			}
			if c.Loss.Reduction == "sum" {
				ce.Reduction = loss.Sum
			}
			mse := loss.NewMSE()
			for i, s := range c.Steps {
				opt.ZeroGrad()
				y := model.Forward(s.X.Dense())
				var l float32
				var dy *mat.Dense
				if c.Loss.Kind == "ce" {
					var target []int
					if err := json.Unmarshal(s.Target, &target); err != nil {
						t.Fatal(err)
					}
					l, dy = ce.Forward(y, target), ce.Backward()
				} else {
					var target fixture.Matrix
					if err := json.Unmarshal(s.Target, &target); err != nil {
						t.Fatal(err)
					}
					l, dy = mse.Forward(y, target.Dense()), mse.Backward()
				}
				model.Backward(dy)
				opt.Step()
				fixture.Compare(t, "loss", []float32{l}, []float32{s.Loss}, fixture.RTol, 0)
				for _, p := range params {
					fixture.Compare(t, fmt.Sprintf("step %d %s", i+1, p.Name), p.Value.Data, s.Params[p.Name].Data, fixture.RTol, floor)
				}
			}
		})
	}
}

// TestTrainingStepNoAllocations checks that a whole training step —
// ZeroGrad, Forward, loss, Backward, Step — allocates nothing after the
// first, with every activation and both losses.
func TestTrainingStepNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	g := layer.ManualSeed(0)
	for _, crit := range []string{"cross-entropy", "mse"} {
		model := layer.NewSequential(layer.NewLinear(20, 16, g), layer.NewReLU(), layer.NewLinear(16, 12, g),
			layer.NewSigmoid(), layer.NewLinear(12, 8, g), layer.NewTanh(), layer.NewLinear(8, 4, g))
		opt, err := sgd.New(model.Params(), sgd.Config{LR: 0.01, Momentum: 0.9, WeightDecay: 1e-4, Nesterov: true})
		if err != nil {
			t.Fatal(err)
		}
		x := randDense(g, 32, 20, -1, 1)
		targets := make([]int, 32)
		for i := range targets {
			targets[i] = i % 4
		}
		want := randDense(g, 32, 4, -1, 1)
		ce, mse := loss.NewCrossEntropy(), loss.NewMSE()
		ce.LabelSmoothing = 0.1
		step := func() {
			opt.ZeroGrad()
			y := model.Forward(x)
			if crit == "mse" {
				mse.Forward(y, want)
				model.Backward(mse.Backward())
			} else {
				ce.Forward(y, targets)
				model.Backward(ce.Backward())
			}
			opt.Step()
		}
		step()
		if n := testkit.AllocsPerRun(20, step); n != 0 {
			t.Errorf("%s: %v allocations per training step, want 0", crit, n)
		}
	}
}
