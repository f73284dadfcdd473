package layer_test

import (
	"fmt"
	"testing"

	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// panicsWith fails unless f panics with exactly want.
func panicsWith(t *testing.T, want string, f func()) {
	t.Helper()
	if msg := testkit.PanicMessage(f); msg != want {
		t.Errorf("panic %q\nwant      %q", msg, want)
	}
}

// TestNewSequentialSameLayerTwice checks that one instance at two places
// of a model, directly or in nested Sequentials, is refused with both
// places named, and that distinct instances of the same kind are not.
func TestNewSequentialSameLayerTwice(t *testing.T) {
	g := layer.ManualSeed(0)
	l1, l2 := layer.NewLinear(4, 4, g), layer.NewLinear(4, 4, g)
	relu := layer.NewReLU()
	panicsWith(t, "layer.NewSequential: layer 3 is the same *layer.ReLU as layer 1; use a new instance for each position",
		func() { layer.NewSequential(l1, relu, l2, relu) })
	panicsWith(t, "layer.NewSequential: layer 2 is the same *layer.Linear as layer 0; use a new instance for each position",
		func() { layer.NewSequential(l1, layer.NewTanh(), l1) })

	// Nested: the inner Sequential passed NewSequential on its own.
	inner := layer.NewSequential(layer.NewSigmoid(), l1)
	panicsWith(t, "layer.NewSequential: layer 2.1 is the same *layer.Linear as layer 0; use a new instance for each position",
		func() { layer.NewSequential(l1, layer.NewReLU(), inner) })
	panicsWith(t, "layer.NewSequential: layer 2 is the same *layer.Sequential as layer 0; use a new instance for each position",
		func() { layer.NewSequential(inner, layer.NewReLU(), inner) })
	deep := layer.NewSequential(layer.NewReLU(), layer.NewSequential(relu, layer.NewTanh()))
	panicsWith(t, "layer.NewSequential: layer 1.1.0 is the same *layer.ReLU as layer 0; use a new instance for each position",
		func() { layer.NewSequential(relu, deep) })
	// A Sequential changed afterwards to contain itself.
	loop := layer.NewSequential(layer.NewReLU())
	loop.Layers = append(loop.Layers, loop)
	panicsWith(t, "layer.NewSequential: layer 0.1 is the same *layer.Sequential as layer 0; use a new instance for each position",
		func() { layer.NewSequential(loop) })

	// Distinct instances, and a model made of fresh ones, are fine.
	if msg := testkit.PanicMessage(func() {
		layer.NewSequential(layer.NewLinear(4, 4, g), layer.NewReLU(), layer.NewLinear(4, 4, g), layer.NewReLU(),
			layer.NewSequential(layer.NewReLU(), layer.NewLinear(4, 4, g)))
	}); msg != "" {
		t.Errorf("distinct instances: panic %q", msg)
	}
}

// bad is a layer with the parameters it is given, to try what
// NewSequential does with broken ones.
type bad struct{ params []*layer.Param }

func (b *bad) Forward(x *mat.Dense) *mat.Dense   { return x }
func (b *bad) Backward(dy *mat.Dense) *mat.Dense { return dy }
func (b *bad) Params() []*layer.Param            { return b.params }

// TestNewSequentialNil checks the messages for nil layers and parameters.
func TestNewSequentialNil(t *testing.T) {
	g := layer.ManualSeed(0)
	panicsWith(t, "layer.NewSequential: layer 1 is nil", func() { layer.NewSequential(layer.NewReLU(), nil) })
	panicsWith(t, "layer.NewSequential: layer 0 is a nil *layer.Linear", func() { layer.NewSequential((*layer.Linear)(nil)) })
	panicsWith(t, "layer.NewSequential: layer 1 is a nil *layer.Sequential",
		func() { layer.NewSequential(layer.NewReLU(), (*layer.Sequential)(nil)) })
	panicsWith(t, "layer.NewSequential: layer 1.0 is nil",
		func() { layer.NewSequential(layer.NewReLU(), &layer.Sequential{Layers: []layer.Layer{nil}}) })

	ok := func() *layer.Param {
		return &layer.Param{Name: "w", Value: mat.NewDense(2, 2, nil), Grad: mat.NewDense(2, 2, nil)}
	}
	panicsWith(t, "layer.NewSequential: layer 1 (*layer_test.bad): parameter 1 is nil",
		func() { layer.NewSequential(layer.NewLinear(2, 2, g), &bad{[]*layer.Param{ok(), nil}}) })
	noValue := ok()
	noValue.Value = nil
	panicsWith(t, `layer.NewSequential: layer 0 (*layer_test.bad): parameter 0 ("w") has a nil Value`,
		func() { layer.NewSequential(&bad{[]*layer.Param{noValue}}) })
	noGrad := ok()
	noGrad.Grad = nil
	panicsWith(t, `layer.NewSequential: layer 0.0 (*layer_test.bad): parameter 1 ("w") has a nil Grad`,
		func() {
			layer.NewSequential(&layer.Sequential{Layers: []layer.Layer{&bad{[]*layer.Param{ok(), noGrad}}}})
		})
}

// malformed are matrices that mat.Dense.Check rejects, each with as many
// columns as the layers under test take, and nil.
func malformed() []*mat.Dense {
	return []*mat.Dense{
		nil,
		{Rows: 3, Cols: 2, Stride: 0, Data: []float32{1, 2}},
		{Rows: 3, Cols: 2, Stride: 2, Data: make([]float32, 5)},
		{Rows: 2, Cols: 2, Stride: 3, Data: make([]float32, 4)},
		{Rows: -1, Cols: 2, Stride: 2},
	}
}

// TestMalformedInput checks that every layer checks its input, its
// gradient and Predict's dst with mat.Dense.Check before computing, and
// names itself and the operand in the message: the layer's name, then
// "input ", "gradient " or "Predict: dst ", then Check's reason.
func TestMalformedInput(t *testing.T) {
	g := layer.ManualSeed(0)
	layers := []struct {
		name string
		make func() layer.Layer
	}{
		{"layer.Linear(2→2)", func() layer.Layer { return layer.NewLinear(2, 2, g) }},
		{"layer.ReLU", func() layer.Layer { return layer.NewReLU() }},
		{"layer.Sigmoid", func() layer.Layer { return layer.NewSigmoid() }},
		{"layer.Tanh", func() layer.Layer { return layer.NewTanh() }},
		{"layer.Sequential", func() layer.Layer {
			return layer.NewSequential(layer.NewLinear(2, 2, g), layer.NewReLU())
		}},
		{"layer.Sequential", func() layer.Layer { return layer.NewSequential() }}, // the identity
	}
	for _, c := range layers {
		for _, m := range malformed() {
			reason := m.Check()
			if reason == nil {
				t.Fatalf("%v passes mat's check", m)
			}
			t.Run(fmt.Sprintf("%s/%v", c.name, reason), func(t *testing.T) {
				l := c.make()
				panicsWith(t, c.name+": input "+reason.Error(), func() { l.Forward(m) })
				p := l.(layer.Predictor)
				panicsWith(t, c.name+": input "+reason.Error(), func() { p.Predict(m, nil) })
				if m != nil { // a nil dst is allowed: Predict allocates it
					panicsWith(t, c.name+": Predict: dst "+reason.Error(), func() { p.Predict(mat.NewDense(3, 2, nil), m) })
				}
				if s, ok := l.(*layer.Sequential); ok {
					s.InputGrad = true
				}
				l.Forward(mat.NewDense(3, 2, nil))
				panicsWith(t, c.name+": gradient "+reason.Error(), func() { l.Backward(m) })
				if s, ok := l.(*layer.Sequential); ok {
					s.InputGrad = false
					panicsWith(t, c.name+": gradient "+reason.Error(), func() { l.Backward(m) })
				}
				if b, ok := l.(layer.ParamBackwarder); ok {
					panicsWith(t, c.name+": gradient "+reason.Error(), func() { b.BackwardParams(m) })
				}
			})
		}
	}
	// The example of the issue, word for word.
	panicsWith(t, "layer.ReLU: input is 3×2 with stride 0 < 2 columns", func() {
		layer.NewReLU().Forward(&mat.Dense{Rows: 3, Cols: 2, Stride: 0, Data: []float32{1, 2}})
	})
	panicsWith(t, "layer.ReLU: gradient is nil", func() {
		r := layer.NewReLU()
		r.Forward(mat.NewDense(1, 1, nil))
		r.Backward(nil)
	})
	panicsWith(t, "layer.Linear(2→2): gradient is nil", func() {
		l := layer.NewLinear(2, 2, g)
		l.Forward(mat.NewDense(1, 2, nil))
		l.Backward(nil)
	})
	panicsWith(t, "layer.Sequential: gradient is nil", func() { layer.NewSequential(layer.NewReLU()).Backward(nil) })
}

// TestPredictOverlap checks that Predict refuses a dst that shares memory
// with x, in every layer, except an activation's dst that is x itself
// (computed in place, element by element); and that a dst beside x in
// the same array, sharing none of its elements, is accepted.
func TestPredictOverlap(t *testing.T) {
	g := layer.ManualSeed(1)
	big := randDense(g, 5, 8, -1, 1)
	x := big.Slice(0, 4, 0, 4) // the top left 4×4 of big
	views := []struct {
		name    string
		dst     *mat.Dense
		inPlace bool // the same elements as x in the same places
		overlap bool
	}{
		{"x itself", x, true, true},
		{"another header of x", &mat.Dense{Rows: 4, Cols: 4, Stride: 8, Data: x.Data}, true, true},
		{"x a row down", big.Slice(1, 5, 0, 4), false, true},
		{"x a column right", big.Slice(0, 4, 1, 5), false, true},
		{"x's first element, another stride", &mat.Dense{Rows: 4, Cols: 4, Stride: 4, Data: big.Data[:16]}, false, true},
		{"beside x", big.Slice(0, 4, 4, 8), false, false},
		{"beside x, a row down", big.Slice(1, 5, 4, 8), false, false},
	}

	square := func() layer.Layer { return layer.NewLinear(4, 4, g) }
	layers := []struct {
		name        string
		make        func() layer.Layer
		elementwise bool
	}{
		{"layer.Linear(4→4)", square, false},
		{"layer.ReLU", func() layer.Layer { return layer.NewReLU() }, true},
		{"layer.Sigmoid", func() layer.Layer { return layer.NewSigmoid() }, true},
		{"layer.Tanh", func() layer.Layer { return layer.NewTanh() }, true},
		{"layer.Sequential", func() layer.Layer { return layer.NewSequential(layer.NewReLU()) }, false},
		{"layer.Sequential", func() layer.Layer { return layer.NewSequential(square(), layer.NewTanh()) }, false},
		{"layer.Sequential", func() layer.Layer { return layer.NewSequential() }, false},
	}
	for _, c := range layers {
		for _, v := range views {
			t.Run(c.name+"/"+v.name, func(t *testing.T) {
				in := x
				if mat.Overlap(in, v.dst) != v.overlap {
					t.Fatalf("mat.Overlap = %v, want %v", !v.overlap, v.overlap)
				}
				p := c.make().(layer.Predictor)
				want := ""
				if v.overlap && !(c.elementwise && v.inPlace) {
					want = c.name + ": Predict: dst shares memory with the input: some elements of the input " +
						"and of the written-to matrix refer to a single memory location; give dst memory of its own"
				}
				// Compute what Predict must give from a copy, before dst
				// is written.
				cp := mat.NewDense(in.Rows, in.Cols, nil)
				for r := range in.Rows {
					copy(cp.Row(r), in.Row(r))
				}
				expect := p.Predict(cp, nil)
				before := append([]float32(nil), big.Data...)
				panicsWith(t, want, func() { p.Predict(in, v.dst) })
				if want != "" {
					if !testkit.SameBits(big.Data, before) {
						t.Error("Predict wrote before it panicked")
					}
					return
				}
				for r := range expect.Rows {
					if !testkit.SameBits(v.dst.Row(r), expect.Row(r)) {
						t.Fatalf("row %d: %v, want %v", r, v.dst.Row(r), expect.Row(r))
					}
				}
				copy(big.Data, before) // for the next case
			})
		}
	}
}
