package layer_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// newLayers returns one of each layer of issue #11, with a name.
func newLayers(g *layer.Generator) map[string]layer.Layer {
	return map[string]layer.Layer{
		"LeakyReLU":  layer.NewLeakyReLU(0.1),
		"GELU":       layer.NewGELU("none"),
		"GELU tanh":  layer.NewGELU("tanh"),
		"SiLU":       layer.NewSiLU(),
		"Softmax":    layer.NewSoftmax(),
		"LogSoftmax": layer.NewLogSoftmax(),
		"Dropout":    layer.NewDropout(0.3, g),
	}
}

// TestNewLayersFiniteDifference checks Backward of the new activations
// against central differences; Dropout's with its mask held fixed by
// reseeding its generator before every Forward.
func TestNewLayersFiniteDifference(t *testing.T) {
	g := layer.ManualSeed(12)
	away := randDense(g, 3, 7, 0.1, 2) // no value within 0.1 of LeakyReLU's kink
	for i := range away.Data {
		if i%2 == 1 {
			away.Data[i] = -away.Data[i]
		}
	}
	t.Run("LeakyReLU", func(t *testing.T) { gradCheck(t, layer.NewLeakyReLU(0.1), away, g) })
	t.Run("LeakyReLU negative slope", func(t *testing.T) { gradCheck(t, layer.NewLeakyReLU(-0.5), away, g) })
	t.Run("GELU", func(t *testing.T) { gradCheck(t, layer.NewGELU("none"), randDense(g, 3, 7, -4, 4), g) })
	t.Run("GELU tanh", func(t *testing.T) { gradCheck(t, layer.NewGELU("tanh"), randDense(g, 3, 7, -4, 4), g) })
	t.Run("SiLU", func(t *testing.T) { gradCheck(t, layer.NewSiLU(), randDense(g, 3, 7, -5, 5), g) })
	t.Run("Softmax", func(t *testing.T) { gradCheck(t, layer.NewSoftmax(), randDense(g, 4, 9, -3, 3), g) })
	t.Run("LogSoftmax", func(t *testing.T) { gradCheck(t, layer.NewLogSoftmax(), randDense(g, 4, 9, -3, 3), g) })
	t.Run("Dropout", func(t *testing.T) {
		dg := layer.ManualSeed(3)
		d := layer.NewDropout(0.4, dg)
		x := randDense(g, 4, 6, -2, 2)
		forward := func() *mat.Dense { dg.Seed(3); return d.Forward(x) }
		c := randDense(g, 4, 6, -1, 1)
		forward()
		dx := d.Backward(c)
		an := append([]float32(nil), dx.Data...)
		zeros := 0
		for i := range x.Data {
			if an[i] == 0 {
				zeros++
			}
			checkGradient(t, fmt.Sprintf("dL/dx[%d]", i), &x.Data[i], an[i], func() float64 { return objective(forward(), c) })
		}
		if zeros == 0 || zeros == len(an) {
			t.Fatalf("%d of %d elements dropped: the test needs both kinds", zeros, len(an))
		}
	})
	t.Run("Sequential", func(t *testing.T) {
		dg := layer.ManualSeed(4)
		model := layer.NewSequential(layer.NewLinear(6, 5, g), layer.NewGELU("none"), layer.NewLinear(5, 4, g),
			layer.NewSiLU(), layer.NewLinear(4, 3, g), layer.NewLogSoftmax(), layer.NewDropout(0, dg))
		gradCheck(t, model, randDense(g, 3, 6, -2, 2), g)
	})
}

// TestNewLayersViews checks that the new layers give the same values on a
// strided view as on a contiguous copy, forward and backward, and that
// Predict gives Forward's values (Dropout's: the identity) into a fresh
// dst and in place.
func TestNewLayersViews(t *testing.T) {
	g := layer.ManualSeed(13)
	for name, l := range newLayers(layer.ManualSeed(1)) {
		t.Run(name, func(t *testing.T) {
			big := randDense(g, 5, 11, -6, 6)
			view := big.Slice(1, 4, 2, 9)
			flat := mat.NewDense(3, 7, nil)
			for r := 0; r < 3; r++ {
				copy(flat.Row(r), view.Row(r))
			}
			dyBig := randDense(g, 4, 10, -1, 1)
			dyView := dyBig.Slice(0, 3, 1, 8)
			dyFlat := mat.NewDense(3, 7, nil)
			for r := 0; r < 3; r++ {
				copy(dyFlat.Row(r), dyView.Row(r))
			}
			if d, ok := l.(*layer.Dropout); ok { // the same mask for both: a generator seeded alike
				l = layer.NewDropout(d.P(), layer.ManualSeed(1))
			}
			y1 := append([]float32(nil), l.Forward(flat).Data...)
			dx1 := append([]float32(nil), l.Backward(dyFlat).Data...)
			if d, ok := l.(*layer.Dropout); ok {
				l = layer.NewDropout(d.P(), layer.ManualSeed(1))
			}
			y2 := l.Forward(view)
			sameBits(t, "Forward on a view", y2.Data, y1)
			sameBits(t, "Backward on a view", l.Backward(dyView).Data, dx1)
			p := l.(layer.Predictor)
			want := y1
			if _, ok := l.(*layer.Dropout); ok {
				want = flat.Data
			}
			sameBits(t, "Predict", p.Predict(flat, nil).Data, want)
			inPlace := mat.NewDense(3, 7, append([]float32(nil), flat.Data...))
			sameBits(t, "Predict in place", p.Predict(inPlace, inPlace).Data, want)
		})
	}
}

// TestNewLayersNoAllocations checks that Forward and Backward of the new
// layers allocate nothing after the first batch of the largest size, in a
// model and in Predict into a given dst.
func TestNewLayersNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(12, 9, g), layer.NewLeakyReLU(0.01), layer.NewDropout(0.2, g),
		layer.NewLinear(9, 8, g), layer.NewGELU("none"), layer.NewLinear(8, 7, g), layer.NewGELU("tanh"),
		layer.NewLinear(7, 6, g), layer.NewSiLU(), layer.NewSoftmax(), layer.NewLinear(6, 3, g), layer.NewLogSoftmax())
	model.InputGrad = true
	big, small := randDense(g, 16, 12, -1, 1), randDense(g, 5, 12, -1, 1)
	dBig, dSmall := randDense(g, 16, 3, -1, 1), randDense(g, 5, 3, -1, 1)
	step := func() {
		model.ZeroGrad()
		model.Forward(big)
		model.Backward(dBig)
		model.Forward(small)
		model.Backward(dSmall)
	}
	step()
	if n := testkit.AllocsPerRun(20, step); n != 0 {
		t.Errorf("%v allocations per step, want 0", n)
	}
	x := randDense(g, 16, 9, -1, 1)
	dst := mat.NewDense(16, 9, nil)
	for name, l := range newLayers(g) {
		p := l.(layer.Predictor)
		if n := testkit.AllocsPerRun(20, func() { p.Predict(x, dst) }); n != 0 {
			t.Errorf("%s: Predict into dst: %v allocations per call, want 0", name, n)
		}
	}
}

// TestDropoutEdges checks p = 0 (a copy, no draws) and p = 1 (x·0, no
// draws), and the 1/(1 − p) scale.
func TestDropoutEdges(t *testing.T) {
	inf := float32(math.Inf(1))
	x := mat.NewDense(1, 4, []float32{1, -2, inf, float32(math.NaN())})
	g := layer.ManualSeed(0)
	y0 := layer.NewDropout(0, g).Forward(x)
	sameBits(t, "p=0", y0.Data, x.Data)
	y1 := layer.NewDropout(1, g).Forward(x)
	negZero := float32(math.Copysign(0, -1))
	if fmt.Sprint(y1.Data) != "[0 -0 NaN NaN]" || math.Float32bits(y1.Data[1]) != math.Float32bits(negZero) {
		t.Errorf("p=1 gave %v, want [0 -0 NaN NaN]", y1.Data)
	}
	if got, want := g.Uint32(), layer.ManualSeed(0).Uint32(); got != want {
		t.Errorf("p = 0 and 1 drew from the generator")
	}
	d := layer.NewDropout(0.5, layer.ManualSeed(1))
	ones := mat.NewDense(10, 10, nil)
	for i := range ones.Data {
		ones.Data[i] = 1
	}
	for _, v := range d.Forward(ones).Data {
		if v != 0 && v != 2 {
			t.Fatalf("p=0.5 gave %v, want 0 or 2", v)
		}
	}
}

func TestNewLayersPanics(t *testing.T) {
	panicsWith(t, `layer.NewGELU: approximate argument must be either none or tanh, got "erf"`, func() { layer.NewGELU("erf") })
	panicsWith(t, "layer.NewDropout: dropout probability has to be between 0 and 1, but got -0.1", func() { layer.NewDropout(-0.1, nil) })
	panicsWith(t, "layer.NewDropout: dropout probability has to be between 0 and 1, but got NaN",
		func() { layer.NewDropout(float32(math.NaN()), nil) })
	panicsWith(t, "layer: Generator.Randperm: n must be non-negative, got -1", func() { layer.ManualSeed(0).Randperm(-1) })
	for name, l := range newLayers(layer.ManualSeed(0)) {
		kind := map[string]string{"GELU tanh": "GELU"}[name]
		if kind == "" {
			kind = name
		}
		panicsWith(t, "layer."+kind+": Backward before Forward", func() { l.Backward(mat.NewDense(2, 3, nil)) })
		panicsWith(t, "layer."+kind+": input is nil", func() { l.Forward(nil) })
		l.Forward(mat.NewDense(2, 3, nil))
		panicsWith(t, "layer."+kind+": gradient is 3×2, want 2×3 (the output of the last Forward)",
			func() { l.Backward(mat.NewDense(3, 2, nil)) })
		panicsWith(t, "layer."+kind+": Predict: dst is 2×2, want 2×3",
			func() { l.(layer.Predictor).Predict(mat.NewDense(2, 3, nil), mat.NewDense(2, 2, nil)) })
	}
}

func TestNewLayersString(t *testing.T) {
	model := layer.NewSequential(layer.NewLeakyReLU(0.01), layer.NewGELU("none"), layer.NewGELU("tanh"), layer.NewSiLU(),
		layer.NewSoftmax(), layer.NewLogSoftmax(), layer.NewDropout(0.3, nil))
	want := `Sequential(
  (0): LeakyReLU(negative_slope=0.01)
  (1): GELU(approximate='none')
  (2): GELU(approximate='tanh')
  (3): SiLU()
  (4): Softmax(dim=1)
  (5): LogSoftmax(dim=1)
  (6): Dropout(p=0.3, inplace=False)
)`
	if got := model.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
