package layer_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

type layerSpec struct {
	Kind   string
	Args   []int
	Layers []layerSpec
}

// build makes the model a fixture describes, drawing from g in the order
// nn.Sequential's constructors draw.
func build(specs []layerSpec, g *layer.Generator) *layer.Sequential {
	var ls []layer.Layer
	for _, s := range specs {
		switch s.Kind {
		case "linear":
			ls = append(ls, layer.NewLinear(s.Args[0], s.Args[1], g))
		case "relu":
			ls = append(ls, layer.NewReLU())
		case "sigmoid":
			ls = append(ls, layer.NewSigmoid())
		case "tanh":
			ls = append(ls, layer.NewTanh())
		case "seq":
			ls = append(ls, build(s.Layers, g))
		default:
			panic("unknown layer kind " + s.Kind)
		}
	}
	return layer.NewSequential(ls...)
}

// buildFrom builds the model of a fixture from seed and checks that its
// parameters start bit for bit where PyTorch's did, under the same names.
func buildFrom(t *testing.T, specs []layerSpec, seed uint64, want map[string]fixture.Matrix) *layer.Sequential {
	t.Helper()
	model := build(specs, layer.ManualSeed(seed))
	params := model.Params()
	if len(params) != len(want) {
		t.Fatalf("%d parameters, PyTorch has %d", len(params), len(want))
	}
	for _, p := range params {
		w, ok := want[p.Name]
		if !ok {
			t.Fatalf("parameter %q is not in PyTorch's named_parameters", p.Name)
		}
		sameBits(t, "initial "+p.Name, p.Value.Data, w.Data)
	}
	return model
}

type modelCase struct {
	Name         string
	Seed         uint64
	Layers       []layerSpec
	X, Y, C1, C2 fixture.Matrix
	Params       map[string]fixture.Matrix
	Grads1       map[string]fixture.Matrix
	Grads2       map[string]fixture.Matrix
	Dx1          fixture.Matrix
}

// Tolerances against PyTorch: results are compared element-wise within
// fixture.RTol (1e-5) of the largest magnitude of the same tensor. Sums of
// up to 70 float32 products, added in another order by another BLAS, agree
// to a few float32 roundings of that magnitude.
const floor = 1

func compareGrads(t *testing.T, what string, params []*layer.Param, want map[string]fixture.Matrix) {
	t.Helper()
	if len(params) != len(want) {
		t.Errorf("%s: %d parameters, PyTorch has %d", what, len(params), len(want))
	}
	for _, p := range params {
		w, ok := want[p.Name]
		if !ok {
			t.Errorf("%s: parameter %q is not in PyTorch's named_parameters", what, p.Name)
			continue
		}
		fixture.Compare(t, what+" "+p.Name, p.Grad.Data, w.Data, fixture.RTol, floor)
	}
}

// TestModelMatchesPyTorch runs every fixture model forward and backward
// twice (gradients accumulate) and compares outputs, input gradients and
// parameter gradients with PyTorch's, and the parameter names with
// named_parameters().
func TestModelMatchesPyTorch(t *testing.T) {
	var cases []modelCase
	fixture.Load(t, "model.json", &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			model := buildFrom(t, c.Layers, c.Seed, c.Params)
			model.InputGrad = true
			params := model.Params()

			x := c.X.Dense()
			y := model.Forward(x)
			fixture.Compare(t, "y", fixture.Values(y), c.Y.Data, fixture.RTol, floor)
			dx := model.Backward(c.C1.Dense())
			fixture.Compare(t, "dL/dx", fixture.Values(dx), c.Dx1.Data, fixture.RTol, floor)
			compareGrads(t, "first backward:", params, c.Grads1)

			model.Forward(x)
			model.Backward(c.C2.Dense())
			compareGrads(t, "second backward (accumulated):", params, c.Grads2)

			// Without InputGrad, the same parameter gradients and no dL/dx.
			model.InputGrad = false
			model.ZeroGrad()
			model.Forward(x)
			if dx := model.Backward(c.C1.Dense()); dx != nil {
				t.Errorf("Backward returned dL/dx without InputGrad")
			}
			compareGrads(t, "without InputGrad:", params, c.Grads1)
		})
	}
}

// TestModelStridedViews feeds the input and the output gradient as views
// with Stride > Cols, as a batch cut out of a larger matrix is.
func TestModelStridedViews(t *testing.T) {
	var cases []modelCase
	fixture.Load(t, "model.json", &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			model := buildFrom(t, c.Layers, c.Seed, c.Params)
			model.InputGrad = true
			x := embed(c.X.Dense(), 3, 2)
			y := model.Forward(x)
			fixture.Compare(t, "y", fixture.Values(y), c.Y.Data, fixture.RTol, floor)
			dx := model.Backward(embed(c.C1.Dense(), 1, 5))
			fixture.Compare(t, "dL/dx", fixture.Values(dx), c.Dx1.Data, fixture.RTol, floor)
			compareGrads(t, "", model.Params(), c.Grads1)
		})
	}
}

// embed returns a view of m inside a larger matrix filled with NaN, at row
// r0 and column c0, so that any read outside the view poisons the result.
func embed(m *mat.Dense, r0, c0 int) *mat.Dense {
	big := mat.NewDense(m.Rows+r0+2, m.Cols+c0+3, nil)
	for i := range big.Data {
		big.Data[i] = float32(math.NaN())
	}
	v := big.Slice(r0, r0+m.Rows, c0, c0+m.Cols)
	for i := 0; i < m.Rows; i++ {
		copy(v.Row(i), m.Row(i))
	}
	return v
}

// TestParamNames checks PyTorch's naming, nested Sequentials included.
func TestParamNames(t *testing.T) {
	g := layer.ManualSeed(0)
	model := layer.NewSequential(
		layer.NewLinear(4, 5, g),
		layer.NewSequential(layer.NewReLU(), layer.NewLinear(5, 3, g)),
		layer.NewTanh(),
	)
	var got []string
	for _, p := range model.Params() {
		got = append(got, p.Name)
	}
	want := "[0.weight 0.bias 1.1.weight 1.1.bias]"
	if fmt.Sprint(got) != want {
		t.Fatalf("names %v, want %s", got, want)
	}
}
