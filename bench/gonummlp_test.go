package main

import (
	"math/rand/v2"
	"testing"

	"github.com/pente-go/pente/mat"
)

// mlpCases are the networks on which the gonum MLP is held to pente's:
// the benchmark's two small ones and one of odd sizes.
var mlpCases = []trainCase{
	{[]int{16, 8, 4, 2}, 1},
	{[]int{64, 32, 10}, 32},
	{[]int{37, 19, 11, 5}, 7},
}

func testBatch(c trainCase) (*mat.Dense, []int) {
	b := &bench{rng: rand.New(rand.NewPCG(3, 4))}
	xs, targets := b.trainData(c)
	return xs[0], targets[0]
}

// TestGonumMLPGradients: from the same parameters and batch, the
// hand-written gonum network computes the loss and every gradient that
// pente's layer, loss and sgd packages compute, within a relative 1e-5 of
// each tensor's largest magnitude.
func TestGonumMLPGradients(t *testing.T) {
	for _, c := range mlpCases {
		t.Run(c.name(), func(t *testing.T) {
			x, target := testBatch(c)
			p := newPenteTrainer(c, "sgd")
			g := newGonumTrainer(c)

			p.opt.ZeroGrad()
			want := p.criterion.Forward(p.model.Forward(x), target)
			p.model.Backward(p.criterion.Backward())
			got := g.forwardBackward(x.Data, target)
			if err := checkClose("gonum's loss", got, float64(want), 1e-6); err != nil {
				t.Error(err)
			}
			if ref := referenceLoss(p.model.Params(), c.sizes, x, target); abs64(ref-float64(want)) > 1e-5 {
				t.Errorf("pente's loss is %g, float64 reference %g", want, ref)
			}
			if err := checkParams(g.grads, p.model.Params(), grad, 1e-5); err != nil {
				t.Errorf("gradient of %v", err)
			}
		})
	}
}

// TestGonumMLPSteps: three SGD steps with momentum leave the gonum
// network's parameters where they leave pente's, and checkTrain, the
// benchmark's own check, agrees.
func TestGonumMLPSteps(t *testing.T) {
	for _, c := range mlpCases {
		t.Run(c.name(), func(t *testing.T) {
			x, target := testBatch(c)
			p := newPenteTrainer(c, "sgd")
			g := newGonumTrainer(c)
			for step := range 3 {
				lp, lg := p.step(x, target), g.step(x.Data, target)
				if err := checkClose("gonum's loss", lg, float64(lp), 1e-5); err != nil {
					t.Errorf("step %d: %v", step, err)
				}
			}
			if err := checkParams(g.params, p.model.Params(), value, 1e-5); err != nil {
				t.Errorf("after 3 steps, %v", err)
			}
			if _, err := checkTrain(c, "sgd", x, target); err != nil {
				t.Errorf("checkTrain: %v", err)
			}
		})
	}
}

// TestGonumMLPAllocs: a step of a network too small for gonum to split
// its products across goroutines allocates nothing.
func TestGonumMLPAllocs(t *testing.T) {
	c := mlpCases[1]
	x, target := testBatch(c)
	g := newGonumTrainer(c)
	if n := testing.AllocsPerRun(10, func() { g.step(x.Data, target) }); n != 0 {
		t.Errorf("a step allocates %v times, want 0", n)
	}
}

func abs64(v float64) float64 { return max(v, -v) }
