package loss_test

import (
	"testing"

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
		if n := testing.AllocsPerRun(20, run); n != 0 {
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
		if n := testing.AllocsPerRun(20, run); n != 0 {
			t.Errorf("MSE %v: %v allocations per run", r, n)
		}
	}
}
