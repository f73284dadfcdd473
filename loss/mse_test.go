package loss_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
)

// mseCase is a case of testdata/mse.json, written by internal/gen/loss.py
// from torch.nn.functional.mse_loss.
type mseCase struct {
	Name      string
	Pred      fixture.Matrix
	Target    fixture.Matrix
	Reduction string
	Loss      fixture.Floats // the output: one value (for "none", its sum)
	Losses    fixture.Matrix // the output of reduction="none"
	Grad      fixture.Matrix // pred.grad after backward of the sum of the output
}

// TestMSEPyTorch checks the loss, the element losses and the gradient
// against PyTorch 1.13, with dense and strided inputs.
//
// Tolerance: fixture.RTol (1e-5), purely relative for the losses (a sum of
// squares does not cancel), with a floor of the largest |gradient| for the
// gradient, whose elements 2(x − y) may be near 0.
func TestMSEPyTorch(t *testing.T) {
	var cases []mseCase
	fixture.Load(t, "mse.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			l := loss.NewMSE()
			l.Reduction = reductions[c.Reduction]
			for _, view := range []bool{false, true} {
				pred, target := c.Pred.Dense(), c.Target.Dense()
				if view {
					pred, target = strided(pred), strided(target)
				}
				got := l.Forward(pred, target)
				fixture.Compare(t, "loss", []float32{got}, c.Loss, fixture.RTol, 0)
				fixture.Compare(t, "losses", fixture.Values(l.Losses()), c.Losses.Data, fixture.RTol, 0)
				if g := l.Backward(); g.Rows != c.Grad.Rows || g.Cols != c.Grad.Cols {
					t.Fatalf("gradient is %d×%d, want %d×%d", g.Rows, g.Cols, c.Grad.Rows, c.Grad.Cols)
				}
				fixture.Compare(t, "grad", fixture.Values(l.Backward()), c.Grad.Data, fixture.RTol, 1)
			}
		})
	}
}

// TestMSEGradient checks Backward against central differences of Forward
// under every reduction (for None the objective is the sum Forward
// returns).
func TestMSEGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	pred, target := mat.NewDense(3, 4, nil), mat.NewDense(3, 4, nil)
	for i := range pred.Data {
		pred.Data[i] = float32(rng.NormFloat64())
		target.Data[i] = float32(rng.NormFloat64())
	}
	for _, r := range []loss.Reduction{loss.Mean, loss.Sum, loss.None} {
		l := loss.NewMSE()
		l.Reduction = r
		l2 := *l
		l.Forward(pred, target)
		checkGradient(t, r.String(), pred, l.Backward(), func() float64 {
			return float64(l2.Forward(pred, target))
		})
	}
}

// TestMSEByHand checks a case small enough to work out: errors 1, −2 and
// 0.5 square to 1, 4 and 0.25.
func TestMSEByHand(t *testing.T) {
	pred := mat.NewDense(1, 3, []float32{1, 0, 2})
	target := mat.NewDense(1, 3, []float32{0, 2, 1.5})
	for _, c := range []struct {
		r    loss.Reduction
		want float32
		grad []float32
	}{
		{loss.Mean, 5.25 / 3, []float32{2.0 / 3, -4.0 / 3, 1.0 / 3}},
		{loss.Sum, 5.25, []float32{2, -4, 1}},
		{loss.None, 5.25, []float32{2, -4, 1}},
	} {
		l := loss.NewMSE()
		l.Reduction = c.r
		if got := l.Forward(pred, target); got != c.want {
			t.Errorf("%v: loss %v, want %v", c.r, got, c.want)
		}
		if got := fixture.Values(l.Losses()); !slices.Equal(got, []float32{1, 4, 0.25}) {
			t.Errorf("%v: losses %v, want [1 4 0.25]", c.r, got)
		}
		if got := fixture.Values(l.Backward()); !slices.Equal(got, c.grad) {
			t.Errorf("%v: gradient %v, want %v", c.r, got, c.grad)
		}
	}
	// An empty mean is 0/0, as in PyTorch.
	if got := loss.NewMSE().Forward(mat.NewDense(0, 3, nil), mat.NewDense(0, 3, nil)); !math.IsNaN(float64(got)) {
		t.Errorf("Mean of nothing = %v, want NaN", got)
	}
}

// TestMSEPanics checks that bad inputs panic with a message naming the
// loss and the shapes, before anything is computed.
func TestMSEPanics(t *testing.T) {
	a, b := mat.NewDense(2, 3, nil), mat.NewDense(3, 2, nil)
	l := loss.NewMSE()
	for name, c := range map[string]struct {
		f    func()
		want string
	}{
		"Backward first": {func() { loss.NewMSE().Backward() }, "loss.MSE: Backward before Forward"},
		"shapes":         {func() { l.Forward(a, b) }, "loss.MSE: pred is 2×3 but target is 3×2"},
		"rows":           {func() { l.Forward(a, mat.NewDense(1, 3, nil)) }, "loss.MSE: pred is 2×3 but target is 1×3"},
		"nil pred":       {func() { l.Forward(nil, a) }, "loss.MSE: pred is nil"},
		"nil target":     {func() { l.Forward(a, nil) }, "loss.MSE: target is nil"},
		"stride":         {func() { l.Forward(a, &mat.Dense{Rows: 2, Cols: 3, Stride: 1, Data: make([]float32, 6)}) }, "loss.MSE: target is 2×3 with stride 1 < 3 columns"},
		"reduction":      {func() { m := loss.NewMSE(); m.Reduction = -1; m.Forward(a, a) }, "loss.MSE: unknown Reduction(-1)"},
		"stride 0":       {func() { l.Forward(&mat.Dense{Rows: 2, Cols: 3, Stride: 0, Data: make([]float32, 3)}, a) }, "loss.MSE: pred is 2×3 with stride 0 < 3 columns"},
		"negative":       {func() { l.Forward(&mat.Dense{Rows: -1, Cols: 3, Stride: 3}, a) }, "loss.MSE: pred has negative dimensions -1×3"},
	} {
		l.Forward(a, a)
		if got := testkit.PanicMessage(c.f); !strings.Contains(got, c.want) {
			t.Errorf("%s: panic %q, want %q", name, got, c.want)
		}
		if g := l.Backward(); g.Rows != 2 || g.Cols != 3 {
			t.Errorf("%s: the panicking call changed the gradient to %d×%d", name, g.Rows, g.Cols)
		}
	}
}
