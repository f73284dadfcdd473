package layer_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

func randDense(g *layer.Generator, rows, cols int, lo, hi float64) *mat.Dense {
	m := mat.NewDense(rows, cols, nil)
	g.Uniform(m.Data, lo, hi)
	return m
}

// objective is L = Σ c ⊙ f(x), accumulated in float64, so that dL/dy = c.
func objective(y, c *mat.Dense) float64 {
	var s float64
	for i := 0; i < y.Rows; i++ {
		for j, v := range y.Row(i) {
			s += float64(v) * float64(c.At(i, j))
		}
	}
	return s
}

// checkGradient compares the analytic derivative an of L with respect to
// *v with a central difference, perturbing *v by about h.
func checkGradient(t *testing.T, what string, v *float32, an float32, loss func() float64) {
	t.Helper()
	const h = 1e-2
	old := *v
	*v = old + h
	up := loss()
	hUp := float64(*v) - float64(old) // the step float32 actually took
	*v = old - h
	down := loss()
	hDown := float64(old) - float64(*v)
	*v = old
	fd := (up - down) / (hUp + hDown)
	// Truncation error (h²/6)·|L'''| and float32 rounding of the outputs,
	// ~1e-7·Σ|c·y|/h, both stay well under 2e-3 for these small problems
	// with O(1) values; a wrong derivative is off by O(1).
	if math.Abs(fd-float64(an)) > 2e-3*(1+math.Abs(fd)) {
		t.Errorf("%s: Backward gives %.6g, central difference %.6g", what, an, fd)
	}
}

// gradCheck checks every input and parameter derivative of l at x.
func gradCheck(t *testing.T, l layer.Layer, x *mat.Dense, g *layer.Generator) {
	y := l.Forward(x)
	c := randDense(g, y.Rows, y.Cols, -1, 1)
	loss := func() float64 { return objective(l.Forward(x), c) }
	for _, p := range l.Params() {
		p.ZeroGrad()
	}
	if s, ok := l.(*layer.Sequential); ok {
		s.InputGrad = true
	}
	l.Forward(x)
	dx := l.Backward(c)
	dxCopy := mat.NewDense(dx.Rows, dx.Cols, append([]float32(nil), dx.Data...))
	for i := range x.Data {
		checkGradient(t, fmt.Sprintf("dL/dx[%d]", i), &x.Data[i], dxCopy.Data[i], loss)
	}
	for _, p := range l.Params() {
		for i := range p.Value.Data {
			checkGradient(t, fmt.Sprintf("dL/d%s[%d]", p.Name, i), &p.Value.Data[i], p.Grad.Data[i], loss)
		}
	}
}

// TestGradientsFiniteDifference checks Backward of every layer against
// central differences.
func TestGradientsFiniteDifference(t *testing.T) {
	g := layer.ManualSeed(11)
	t.Run("Linear", func(t *testing.T) {
		gradCheck(t, layer.NewLinear(5, 3, g), randDense(g, 4, 5, -2, 2), g)
	})
	away := func(rows, cols int) *mat.Dense { // no value within 0.1 of ReLU's kink
		x := randDense(g, rows, cols, 0.1, 2)
		for i := range x.Data {
			if i%2 == 1 {
				x.Data[i] = -x.Data[i]
			}
		}
		return x
	}
	t.Run("ReLU", func(t *testing.T) { gradCheck(t, layer.NewReLU(), away(3, 7), g) })
	t.Run("Sigmoid", func(t *testing.T) { gradCheck(t, layer.NewSigmoid(), randDense(g, 3, 7, -4, 4), g) })
	t.Run("Tanh", func(t *testing.T) { gradCheck(t, layer.NewTanh(), randDense(g, 3, 7, -3, 3), g) })
	t.Run("Sequential", func(t *testing.T) {
		model := layer.NewSequential(layer.NewLinear(6, 5, g), layer.NewTanh(), layer.NewLinear(5, 4, g),
			layer.NewSigmoid(), layer.NewLinear(4, 2, g))
		gradCheck(t, model, randDense(g, 3, 6, -2, 2), g)
	})
}

// TestDefaultGenerator checks that a nil generator draws from Default(),
// and that seeding it is torch.manual_seed: the same values as ManualSeed.
func TestDefaultGenerator(t *testing.T) {
	layer.Default().Seed(layer.DefaultSeed)
	a := layer.NewLinear(16, 8, nil)
	b := layer.NewLinear(16, 8, layer.ManualSeed(layer.DefaultSeed))
	sameBits(t, "weight", a.Weight.Value.Data, b.Weight.Value.Data)
	sameBits(t, "bias", a.Bias.Value.Data, b.Bias.Value.Data)
	c := layer.NewLinear(16, 8, nil) // the generator moved on
	if c.Weight.Value.Data[0] == a.Weight.Value.Data[0] {
		t.Fatal("the default generator did not advance")
	}
}

// TestPredict checks that Predict gives Forward's values without touching
// the state Backward needs, for every layer and the model.
func TestPredict(t *testing.T) {
	g := layer.ManualSeed(2)
	model := layer.NewSequential(layer.NewLinear(6, 5, g), layer.NewReLU(), layer.NewLinear(5, 4, g),
		layer.NewSigmoid(), layer.NewLinear(4, 3, g), layer.NewTanh())
	x := randDense(g, 7, 6, -2, 2)
	want := append([]float32(nil), model.Forward(x).Data...)

	other := randDense(g, 2, 6, -2, 2)
	got := model.Predict(x, nil)
	model.Predict(other, nil)
	model.Predict(other, mat.NewDense(2, 3, nil))
	for i := range want {
		if got.Data[i] != want[i] {
			t.Fatalf("Predict[%d] = %v, Forward gave %v", i, got.Data[i], want[i])
		}
	}
	// Backward still refers to x's batch of 7.
	model.Backward(mat.NewDense(7, 3, nil))

	// In place for an activation.
	r := layer.NewReLU()
	v := mat.NewDense(1, 3, []float32{-1, 2, -3})
	if r.Predict(v, v); fmt.Sprint(v.Data) != "[0 2 0]" {
		t.Fatalf("in-place ReLU gave %v", v.Data)
	}
}

func TestString(t *testing.T) {
	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(16, 8, g), layer.NewReLU(),
		layer.NewSequential(layer.NewLinear(8, 4, g), layer.NewTanh()), layer.NewSigmoid())
	want := `Sequential(
  (0): Linear(in_features=16, out_features=8, bias=True)
  (1): ReLU()
  (2): Sequential(
    (0): Linear(in_features=8, out_features=4, bias=True)
    (1): Tanh()
  )
  (3): Sigmoid()
)`
	if got := model.String(); got != want {
		t.Fatalf("got\n%s\nwant (as PyTorch prints it)\n%s", got, want)
	}
}

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	if msg := testkit.PanicMessage(f); !strings.Contains(msg, want) || msg == "" {
		t.Fatalf("panic %q, want it to contain %q", msg, want)
	}
}

func TestPanics(t *testing.T) {
	g := layer.ManualSeed(0)
	l := layer.NewLinear(16, 8, g)
	mustPanic(t, "layer.Linear(16→8): input has 15 columns, want 16", func() { l.Forward(mat.NewDense(1, 15, nil)) })
	mustPanic(t, "layer.Linear(16→8): Backward before Forward", func() { l.Backward(mat.NewDense(1, 8, nil)) })
	l.Forward(mat.NewDense(2, 16, nil))
	mustPanic(t, "layer.Linear(16→8): gradient is 3×8, want 2×8", func() { l.Backward(mat.NewDense(3, 8, nil)) })
	mustPanic(t, "layer.Linear(16→8): gradient is 2×7, want 2×8", func() { l.Backward(mat.NewDense(2, 7, nil)) })
	mustPanic(t, "layer.Linear(16→8): input is nil", func() { l.Forward(nil) })
	mustPanic(t, "layer.Linear(16→8): Predict: dst is 2×7, want 2×8", func() { l.Predict(mat.NewDense(2, 16, nil), mat.NewDense(2, 7, nil)) })
	mustPanic(t, "layer.NewLinear: need positive sizes, got 0→3", func() { layer.NewLinear(0, 3, g) })

	r := layer.NewReLU()
	mustPanic(t, "layer.ReLU: Backward before Forward", func() { r.Backward(mat.NewDense(1, 1, nil)) })
	r.Forward(mat.NewDense(2, 3, nil))
	mustPanic(t, "layer.ReLU: gradient is 2×4, want 2×3", func() { r.Backward(mat.NewDense(2, 4, nil)) })

	model := layer.NewSequential(layer.NewLinear(16, 8, g), layer.NewTanh(), layer.NewLinear(8, 4, g))
	mustPanic(t, "layer.Linear(16→8): input has 15 columns, want 16", func() { model.Forward(mat.NewDense(1, 15, nil)) })
	mustPanic(t, "layer.Sigmoid: Predict: dst is 1×1, want 1×2", func() {
		layer.NewSigmoid().Predict(mat.NewDense(1, 2, nil), mat.NewDense(1, 1, nil))
	})
	mustPanic(t, "layer: Generator.Uniform: need finite lo ≤ hi", func() { g.Uniform(make([]float32, 1), 1, 0) })
}

// TestForwardBackwardNoAllocations checks that a steady stream of batches
// (of any size up to the largest seen) makes Forward and Backward allocate
// nothing.
func TestForwardBackwardNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(12, 9, g), layer.NewReLU(), layer.NewLinear(9, 7, g),
		layer.NewSigmoid(), layer.NewLinear(7, 5, g), layer.NewTanh(), layer.NewLinear(5, 3, g))
	big, small := randDense(g, 16, 12, -1, 1), randDense(g, 5, 12, -1, 1)
	dBig, dSmall := randDense(g, 16, 3, -1, 1), randDense(g, 5, 3, -1, 1)
	for _, inputGrad := range []bool{false, true} {
		model.InputGrad = inputGrad
		step := func() {
			model.ZeroGrad()
			model.Forward(big)
			model.Backward(dBig)
			model.Forward(small)
			model.Backward(dSmall)
		}
		step()
		if n := testkit.AllocsPerRun(20, step); n != 0 {
			t.Errorf("InputGrad=%v: %v allocations per step, want 0", inputGrad, n)
		}
	}
	// Predict into a caller's matrix allocates nothing on a single layer.
	lin, act := model.Layers[0].(*layer.Linear), model.Layers[1].(*layer.ReLU)
	dst := mat.NewDense(16, 9, nil)
	predict := func() {
		lin.Predict(big, dst)
		act.Predict(dst, dst)
	}
	if n := testkit.AllocsPerRun(20, predict); n != 0 {
		t.Errorf("Predict into dst: %v allocations per call, want 0", n)
	}
}

// TestBatchOneMatchesGemm checks that Linear for one sample gives the bits
// of the mat.Gemm calls that define it (y = b broadcast, then y += x·Wᵀ;
// dW += dyᵀ·x; dx = dy·W) and of db += dy, for sizes that take each of
// Gemm's routes for a batch of one: one input feature, one output
// feature, and more.
func TestBatchOneMatchesGemm(t *testing.T) {
	g := layer.ManualSeed(5)
	for _, size := range [][2]int{{1, 1}, {1, 5}, {5, 1}, {2, 2}, {16, 8}, {8, 4}, {4, 2}, {33, 17}} {
		in, out := size[0], size[1]
		l := layer.NewLinear(in, out, g)
		g.Uniform(l.Weight.Grad.Data, -1, 1)
		g.Uniform(l.Bias.Grad.Data, -1, 1)
		w, b := l.Weight.Value, l.Bias.Value.Data
		dw := mat.NewDense(out, in, append([]float32(nil), l.Weight.Grad.Data...))
		db := append([]float32(nil), l.Bias.Grad.Data...)
		x, dy := randDense(g, 1, in, -1, 1), randDense(g, 1, out, -1, 1)

		y := mat.NewDense(1, out, append([]float32(nil), b...))
		mat.Gemm(mat.NoTrans, mat.Trans, 1, x, w, 1, y)
		mat.Gemm(mat.Trans, mat.NoTrans, 1, dy, x, 1, dw)
		mat.Axpy(1, dy.Data, db)
		dx := mat.NewDense(1, in, nil)
		mat.Gemm(mat.NoTrans, mat.NoTrans, 1, dy, w, 0, dx)

		what := fmt.Sprintf("%d→%d", in, out)
		sameBits(t, what+" y", l.Forward(x).Data, y.Data)
		sameBits(t, what+" Predict", l.Predict(x, nil).Data, y.Data)
		sameBits(t, what+" dx", l.Backward(dy).Data, dx.Data)
		sameBits(t, what+" dW", l.Weight.Grad.Data, dw.Data)
		sameBits(t, what+" db", l.Bias.Grad.Data, db)
	}
}

// TestReLUBackwardSigns checks the gradient of ReLU where y is positive,
// zero of either sign, negative, infinite and NaN: dy passes, bit for bit,
// only where y > 0; elsewhere dL/dx is +0.
func TestReLUBackwardSigns(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	negZero := float32(math.Copysign(0, -1))
	x := mat.NewDense(1, 7, []float32{2, 0, negZero, -1, inf, nan, 1e-40})
	dy := mat.NewDense(1, 7, []float32{-1, 2, 3, 4, nan, 6, negZero})
	r := layer.NewReLU()
	r.Forward(x)
	sameBits(t, "dL/dx", r.Backward(dy).Data, []float32{-1, 0, 0, 0, nan, 0, negZero})
}
