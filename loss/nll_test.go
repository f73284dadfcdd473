package loss_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
)

// nllCase is a case of testdata/nll.json, written by internal/gen/loss2.py
// from torch.nn.functional.nll_loss.
type nllCase struct {
	Name        string
	Input       fixture.Matrix
	Target      []int
	Weight      fixture.Floats
	IgnoreIndex int `json:"ignore_index"`
	Reduction   string
	Loss        fixture.Floats // the output: one value (for "none", its sum)
	Losses      fixture.Floats // the output of reduction="none"
	Grad        fixture.Matrix // input.grad after backward of the sum of the output
}

// TestNLLPyTorch checks the loss, the per-sample losses and the gradient
// against PyTorch 1.13, dense and strided, with one criterion for both.
//
// Tolerance: the per-sample losses −w_y·x_y (one product, rounded once)
// and the gradient −w_y/Σw (one quotient) must be the same bits; the
// reduced loss, a float32 sum in torch and a float64 one here, within
// fixture.RTol (1e-5) of the sum of the |per-sample losses|.
func TestNLLPyTorch(t *testing.T) {
	var cases []nllCase
	fixture.Load(t, "nll.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			l := loss.NewNLL()
			l.Weight, l.IgnoreIndex, l.Reduction = nilIfEmpty(c.Weight), c.IgnoreIndex, reductions[c.Reduction]
			var terms float64
			for _, v := range c.Losses {
				terms += math.Abs(float64(v))
			}
			for _, view := range []bool{false, true} {
				x := c.Input.Dense()
				if view {
					x = strided(x)
				}
				got := l.Forward(x, c.Target)
				fixture.Compare(t, "loss", []float32{got}, c.Loss, fixture.RTol, terms/max(maxAbs(c.Loss), 1e-30))
				sameBits(t, "losses", l.Losses(), c.Losses, 0)
				sameBits(t, "grad", fixture.Values(l.Backward()), c.Grad.Data, 0)
			}
		})
	}
}

// TestNLLIsCrossEntropy checks that NLL of log-softmax is CrossEntropy,
// with weights, ignored rows and every reduction, and checks NLL's
// gradient against central differences.
func TestNLLIsCrossEntropy(t *testing.T) {
	logits, target, _, weight := ceProblem(2)
	logp := mat.NewDense(logits.Rows, logits.Cols, nil)
	for i := range logits.Rows {
		z, lp := logits.Row(i), logp.Row(i)
		m := z[0]
		for _, v := range z {
			m = max(m, v)
		}
		var s float64
		for _, v := range z {
			s += math.Exp(float64(v - m))
		}
		for j, v := range z {
			lp[j] = float32(float64(v-m) - math.Log(s))
		}
	}
	for _, r := range []loss.Reduction{loss.Mean, loss.Sum, loss.None} {
		for _, w := range [][]float32{nil, weight} {
			ce, nll := loss.NewCrossEntropy(), loss.NewNLL()
			ce.Reduction, ce.Weight, nll.Reduction, nll.Weight = r, w, r, w
			want, got := ce.Forward(logits, target), nll.Forward(logp, target)
			if !fixture.Close(got, want, 1e-6, 0) {
				t.Errorf("%v weight=%v: NLL(log softmax) = %v, CrossEntropy %v", r, w != nil, got, want)
			}
			nll3 := loss.NewNLL()
			nll3.Reduction, nll3.Weight = r, w
			checkGradient(t, "NLL "+r.String(), logp, nll.Backward(), func() float64 {
				return float64(nll3.Forward(logp, target))
			})
		}
	}
}

// TestNLLRandomGradient checks the gradient on random inputs by central
// differences, without ignored rows.
func TestNLLRandomGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	x := mat.NewDense(4, 3, nil)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	target := []int{2, 0, 1, 2}
	l, l2 := loss.NewNLL(), loss.NewNLL()
	l.Weight, l2.Weight = []float32{0.5, 2, 1.5}, []float32{0.5, 2, 1.5}
	l.Forward(x, target)
	checkGradient(t, "NLL weight", x, l.Backward(), func() float64 { return float64(l2.Forward(x, target)) })
}

// TestNLLPanics checks that bad inputs panic with a message naming the
// loss and the shapes, before anything is computed.
func TestNLLPanics(t *testing.T) {
	x := mat.NewDense(2, 3, nil)
	l := loss.NewNLL()
	for name, c := range map[string]struct {
		f    func()
		want string
	}{
		"Backward first": {func() { loss.NewNLL().Backward() }, "loss.NLL: Backward before Forward"},
		"targets":        {func() { l.Forward(x, []int{0}) }, "loss.NLL: 1 targets for 2 rows of logProbs"},
		"range":          {func() { l.Forward(x, []int{0, 3}) }, "loss.NLL: target 3 of sample 1 is out of range for 3 classes"},
		"negative":       {func() { l.Forward(x, []int{-1, 0}) }, "loss.NLL: target -1 of sample 0 is out of range for 3 classes"},
		"weight":         {func() { m := loss.NewNLL(); m.Weight = []float32{1}; m.Forward(x, []int{0, 0}) }, "loss.NLL: 1 class weights for 3 classes"},
		"no classes":     {func() { l.Forward(mat.NewDense(2, 0, nil), []int{0, 0}) }, "loss.NLL: logProbs are 2×0: no classes"},
		"nil":            {func() { l.Forward(nil, nil) }, "loss.NLL: logProbs is nil"},
		"reduction":      {func() { m := loss.NewNLL(); m.Reduction = 7; m.Forward(x, []int{0, 0}) }, "loss.NLL: unknown Reduction(7)"},
	} {
		l.Forward(x, []int{0, 1})
		if got := testkit.PanicMessage(c.f); !strings.Contains(got, c.want) {
			t.Errorf("%s: panic %q, want %q", name, got, c.want)
		}
		if g := l.Backward(); g.Rows != 2 || g.Cols != 3 {
			t.Errorf("%s: the panicking call changed the gradient to %d×%d", name, g.Rows, g.Cols)
		}
	}
}
