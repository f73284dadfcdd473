package loss_test

import (
	"testing"

	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/loss"
)

// TestNoAllocations checks that Forward and Backward allocate nothing in
// steady state, with every option, and that going back to a smaller batch
// reuses the buffers of a bigger one.
func TestNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts mean nothing under the race detector")
	}
	logits, target, probs, weight := ceProblem(1) // target ignores row 1
	view := strided(logits)
	small, smallTarget := logits.Slice(0, 2, 0, 4), target[:2]
	ce := func(set func(*loss.CrossEntropy)) *loss.CrossEntropy {
		c := loss.NewCrossEntropy()
		set(c)
		return c
	}
	for _, tc := range []struct {
		name string
		ce   *loss.CrossEntropy
	}{
		{"CrossEntropy", ce(func(*loss.CrossEntropy) {})},
		{"CrossEntropy weight", ce(func(c *loss.CrossEntropy) { c.Weight = weight })},
		{"CrossEntropy smoothing", ce(func(c *loss.CrossEntropy) { c.LabelSmoothing = 0.1 })},
		{"CrossEntropy Sum", ce(func(c *loss.CrossEntropy) { c.Reduction = loss.Sum })},
		{"CrossEntropy None", ce(func(c *loss.CrossEntropy) { c.Reduction = loss.None })},
		{"CrossEntropy all", ce(func(c *loss.CrossEntropy) {
			c.Weight, c.LabelSmoothing, c.Reduction = weight, 0.2, loss.None
		})},
	} {
		c := tc.ce
		run := func() {
			c.Forward(logits, target)
			c.Backward()
			c.Losses()
			c.Forward(view, target)
			c.Backward()
			c.ForwardProbs(view, probs)
			c.Backward()
			c.Forward(small, smallTarget)
			c.Backward()
		}
		run()
		if n := testkit.AllocsPerRun(20, run); n != 0 {
			t.Errorf("%s: %v allocations per run", tc.name, n)
		}
	}
	for _, r := range []loss.Reduction{loss.Mean, loss.Sum, loss.None} {
		m := loss.NewMSE()
		m.Reduction = r
		run := func() {
			m.Forward(logits, probs)
			m.Backward()
			m.Losses()
			m.Forward(view, probs)
			m.Backward()
			m.Forward(small, small)
			m.Backward()
		}
		run()
		if n := testkit.AllocsPerRun(20, run); n != 0 {
			t.Errorf("MSE %v: %v allocations per run", r, n)
		}
	}
	nll := loss.NewNLL()
	nll.Weight = weight
	for _, r := range []loss.Reduction{loss.Mean, loss.Sum, loss.None} {
		nll.Reduction = r
		run := func() {
			nll.Forward(logits, target)
			nll.Backward()
			nll.Losses()
			nll.Forward(view, target)
			nll.Forward(small, smallTarget)
			nll.Backward()
		}
		run()
		if n := testkit.AllocsPerRun(20, run); n != 0 {
			t.Errorf("NLL %v: %v allocations per run", r, n)
		}
	}
	// probs are in [0, 1), as BCE needs; logits serve as targets.
	pview, psmall := strided(probs), probs.Slice(0, 2, 0, 4)
	bce, bcel := loss.NewBCE(), loss.NewBCEWithLogits()
	bce.Weight, bcel.Weight, bcel.PosWeight = weight, weight, weight
	for _, r := range []loss.Reduction{loss.Mean, loss.Sum, loss.None} {
		for _, l := range []pairLoss{loss.NewL1(), loss.NewSmoothL1(0.5), loss.NewHuber(0.5), bce, bcel} {
			switch l := l.(type) {
			case *loss.L1:
				l.Reduction = r
			case *loss.SmoothL1:
				l.Reduction = r
			case *loss.Huber:
				l.Reduction = r
			case *loss.BCE:
				l.Reduction = r
			case *loss.BCEWithLogits:
				l.Reduction = r
			}
			run := func() {
				l.Forward(probs, logits)
				l.Backward()
				l.Losses()
				l.Forward(pview, view)
				l.Forward(psmall, small)
				l.Backward()
			}
			run()
			if n := testkit.AllocsPerRun(20, run); n != 0 {
				t.Errorf("%T %v: %v allocations per run", l, r, n)
			}
		}
	}
}
