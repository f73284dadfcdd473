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

// TestNewSequentialPacksParams checks that NewSequential moves the values
// and the gradients of every parameter, nested Sequentials included, into
// the model's ParamBlock, in the order of Params, keeping the matrices,
// their shapes and their contents, and that the block says so.
func TestNewSequentialPacksParams(t *testing.T) {
	g := layer.ManualSeed(3)
	l0, l2 := layer.NewLinear(6, 5, g), layer.NewLinear(5, 3, g)
	inner := layer.NewSequential(layer.NewReLU(), l2)
	if _, ok := inner.ParamBlock(); !ok {
		t.Fatal("a model of its own has no block")
	}
	for _, p := range append(l0.Params(), l2.Params()...) {
		g.Uniform(p.Grad.Data, -1, 1) // gradients move too
	}
	type state struct {
		value, grad        *mat.Dense
		rows, cols, stride int
		values, grads      []float32
		valueData          []float32
	}
	before := map[*layer.Param]state{}
	for _, p := range append(l0.Params(), l2.Params()...) {
		before[p] = state{p.Value, p.Grad, p.Value.Rows, p.Value.Cols, p.Value.Stride,
			append([]float32(nil), p.Value.Data...), append([]float32(nil), p.Grad.Data...), p.Value.Data}
	}
	model := layer.NewSequential(l0, inner, layer.NewTanh())
	params := model.Params()
	if len(params) != 4 {
		t.Fatalf("%d parameters, want 4", len(params))
	}
	block, ok := model.ParamBlock()
	if !ok {
		t.Fatal("the model has no block")
	}
	if _, ok := inner.ParamBlock(); ok {
		t.Error("the nested Sequential still reports a block of its own")
	}
	if got := block.Params(); len(got) != len(params) {
		t.Fatalf("the block has %d parameters, want %d", len(got), len(params))
	}
	values, grads := block.Values(), block.Grads()
	off := 0
	for i, p := range params {
		b := before[p]
		if block.Params()[i] != p {
			t.Errorf("parameter %d of the block is not %s", i, p.Name)
		}
		if p.Value != b.value || p.Grad != b.grad {
			t.Errorf("%s: Value or Grad is another matrix", p.Name)
		}
		for _, m := range []*mat.Dense{p.Value, p.Grad} {
			if m.Rows != b.rows || m.Cols != b.cols || m.Stride != b.stride || len(m.Data) != b.rows*b.cols {
				t.Errorf("%s: %d×%d, stride %d, %d elements; want %d×%d, stride %d",
					p.Name, m.Rows, m.Cols, m.Stride, len(m.Data), b.rows, b.cols, b.stride)
			}
			if cap(m.Data) != len(m.Data) {
				t.Errorf("%s: Data has capacity %d beyond its %d elements", p.Name, cap(m.Data), len(m.Data))
			}
		}
		sameBits(t, p.Name+" value", p.Value.Data, b.values)
		sameBits(t, p.Name+" grad", p.Grad.Data, b.grads)
		if &b.valueData[0] == &p.Value.Data[0] {
			t.Errorf("%s: Value.Data was not moved", p.Name)
		}
		n := len(p.Value.Data)
		if &p.Value.Data[0] != &values[off] || &p.Grad.Data[0] != &grads[off] {
			t.Errorf("%s is not at offset %d of the block", p.Name, off)
		}
		off += n
	}
	if off != len(values) || off != len(grads) {
		t.Errorf("the block holds %d values and %d gradients, the parameters %d", len(values), len(grads), off)
	}
	// The model computes with the moved parameters.
	values[0] += 1
	x := mat.NewDense(1, 6, []float32{1, 0, 0, 0, 0, 0})
	y0 := append([]float32(nil), l0.Forward(x).Data...)
	values[0] -= 1
	if y1 := l0.Forward(x).Data; y0[0]-y1[0] != 1 {
		t.Errorf("changing Values()[0] by 1 moved y[0] by %v", y0[0]-y1[0])
	}
}

// TestBlockOf checks which parameter lists have a block: a model's Params
// in order, not a part of them, another order, a nested model's, nor any
// once a parameter has been given other memory.
func TestBlockOf(t *testing.T) {
	g := layer.ManualSeed(4)
	inner := layer.NewSequential(layer.NewLinear(3, 2, g))
	model := layer.NewSequential(layer.NewLinear(4, 3, g), layer.NewReLU(), inner)
	params := model.Params()
	want, ok := model.ParamBlock()
	if !ok {
		t.Fatal("no block")
	}
	for _, c := range []struct {
		name   string
		params []*layer.Param
		ok     bool
	}{
		{"Params", params, true},
		{"a part", params[:2], false},
		{"another order", []*layer.Param{params[1], params[0], params[2], params[3]}, false},
		{"the nested model's", inner.Params(), false},
		{"nil", nil, false},
		{"a nil parameter", []*layer.Param{nil}, false},
		{"parameters of no model", layer.NewLinear(2, 2, g).Params(), false},
	} {
		b, ok := layer.BlockOf(c.params)
		if ok != c.ok || ok && b != want || !ok && b != nil {
			t.Errorf("%s: BlockOf gives %p, %v; want %v", c.name, b, ok, c.ok)
		}
	}

	// Layers changed after NewSequential.
	more := layer.NewSequential(layer.NewLinear(2, 2, g))
	more.Layers = append(more.Layers, layer.NewLinear(2, 2, g))
	if _, ok := more.ParamBlock(); ok {
		t.Error("a model with a layer added after NewSequential reports a block")
	}

	// A model with no parameters has an empty block.
	if b, ok := layer.NewSequential(layer.NewReLU()).ParamBlock(); !ok || len(b.Values()) != 0 || len(b.Grads()) != 0 {
		t.Errorf("a model without parameters: %v, %v", b, ok)
	}

	// Each way of giving a parameter other memory breaks the block.
	for _, change := range []struct {
		name string
		do   func(p *layer.Param)
	}{
		{"Value", func(p *layer.Param) { p.Value = mat.NewDense(p.Value.Rows, p.Value.Cols, nil) }},
		{"Grad", func(p *layer.Param) { p.Grad = mat.NewDense(p.Grad.Rows, p.Grad.Cols, nil) }},
		{"Value.Data", func(p *layer.Param) { p.Value.Data = append([]float32(nil), p.Value.Data...) }},
		{"Grad.Data resliced", func(p *layer.Param) { p.Grad.Data = p.Grad.Data[:len(p.Grad.Data)-1] }},
		{"nil Value", func(p *layer.Param) { p.Value = nil }},
		{"moved into another model", func(p *layer.Param) {}},
	} {
		lin := layer.NewLinear(3, 3, g)
		m := layer.NewSequential(layer.NewLinear(3, 3, g), layer.NewTanh(), lin)
		b, ok := m.ParamBlock()
		if !ok || !b.Intact() {
			t.Fatalf("%s: no intact block to begin with", change.name)
		}
		change.do(m.Params()[2])
		if change.name == "moved into another model" {
			layer.NewSequential(lin)
		}
		if b.Intact() {
			t.Errorf("%s: the block is still intact", change.name)
		}
		if _, ok := m.ParamBlock(); ok {
			t.Errorf("%s: ParamBlock still reports the block", change.name)
		}
		if _, ok := layer.BlockOf(m.Params()); ok {
			t.Errorf("%s: BlockOf still finds the block", change.name)
		}
	}
	// Writing elements keeps it.
	b, _ := model.ParamBlock()
	copy(params[0].Value.Data, make([]float32, len(params[0].Value.Data)))
	params[3].ZeroGrad()
	if !b.Intact() {
		t.Error("writing elements broke the block")
	}
}

// TestNewSequentialTiedParams checks that NewSequential leaves parameters
// that share memory where they are, so that they stay tied, and makes no
// block.
func TestNewSequentialTiedParams(t *testing.T) {
	g := layer.ManualSeed(4)
	a, b := layer.NewLinear(3, 3, g), layer.NewLinear(3, 3, g)
	b.Weight.Value = a.Weight.Value // tied weights
	data := a.Weight.Value.Data
	model := layer.NewSequential(a, layer.NewReLU(), b)
	params := model.Params()
	if &params[0].Value.Data[0] != &data[0] || params[2].Value != params[0].Value {
		t.Errorf("tied parameters were moved")
	}
	if _, ok := model.ParamBlock(); ok {
		t.Errorf("a model with tied parameters reports a block")
	}
}
