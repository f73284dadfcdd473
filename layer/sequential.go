package layer

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pente-go/pente/mat"
)

// Sequential is torch.nn.Sequential: its layers applied one after another,
// and backpropagation through them in reverse, each layer's dL/dx becoming
// the dL/dy of the layer before it.
type Sequential struct {
	Layers []Layer

	// InputGrad makes Backward compute and return dL/dx for the model's
	// input, as x.requires_grad = True does in PyTorch. Training needs only
	// the parameter gradients, so by default Backward skips the first
	// layer's input gradient (for a Linear first layer, batch·in·out
	// multiply-adds) and returns nil. NewSequential sets it on a Sequential
	// nested after the first position, whose input gradient its parent needs.
	InputGrad bool

	block *ParamBlock // the parameters' memory, made by NewSequential; nil if none
	acts  predictPool // Predict's workspaces
}

// ParamBackwarder is a Layer that can accumulate its parameter gradients
// without computing dL/dx. Sequential uses it for its first layer.
type ParamBackwarder interface {
	BackwardParams(dy *mat.Dense)
}

// Predictor is a Layer that can compute its output without keeping
// anything for Backward: Predict writes the output for x to dst (allocated
// when nil) and returns it. Every layer of this package is one.
type Predictor interface {
	Predict(x, dst *mat.Dense) *mat.Dense
}

// NewSequential returns the layers as one model. Like PyTorch, it names
// the parameters by position: the first layer's "weight" becomes
// "0.weight".
//
// NewSequential also moves the parameters of all its layers into the
// model's [ParamBlock], copying their contents: the Value.Data of every
// parameter, in the order of Params, become consecutive pieces of one
// []float32, and the Grad.Data of another (see "Parameter memory" in the
// package documentation). Every Param keeps its Value and Grad matrices,
// with their shapes and Stride; only their Data slices change, so a slice
// of Data taken before NewSequential no longer aliases the parameter. An
// outer Sequential moves the parameters of a nested one again, into its
// own block. If a parameter is not contiguous (see [Param]), has a Grad of
// another shape than its Value, or shares memory with another (tied
// weights), no parameter moves and the model has no block.
//
// A layer keeps what its Backward needs from its last Forward, so one
// instance cannot stand at two places of a model. NewSequential panics if
// the same layer (the same pointer) appears twice, directly or inside
// nested Sequentials, naming both places as PyTorch names modules ("2.1"
// is layer 1 of the Sequential at 2):
//
//	layer.NewSequential: layer 3 is the same *layer.ReLU as layer 1; use a new instance for each position
//
// It panics too if a layer is nil, or has a nil parameter or a parameter
// with a nil Value or Grad.
func NewSequential(layers ...Layer) *Sequential {
	checkLayers(layers)
	for i, l := range layers {
		for _, p := range l.Params() {
			p.Name = strconv.Itoa(i) + "." + p.Name
		}
		if s, ok := l.(*Sequential); ok && i > 0 {
			s.InputGrad = true
		}
	}
	s := &Sequential{Layers: layers}
	s.block = pack(s.Params())
	return s
}

// checkLayers panics unless every layer, nested ones included, is a
// non-nil layer that appears once, with non-nil parameters.
func checkLayers(layers []Layer) {
	seen := map[Layer]string{}
	var walk func(prefix string, layers []Layer)
	walk = func(prefix string, layers []Layer) {
		for i, l := range layers {
			at := prefix + strconv.Itoa(i)
			if l == nil {
				panic(fmt.Sprintf("layer.NewSequential: layer %s is nil", at))
			}
			// Only a pointer can be the same instance twice; other
			// dynamic types may not even be comparable.
			if v := reflect.ValueOf(l); v.Kind() == reflect.Pointer {
				if v.IsNil() {
					panic(fmt.Sprintf("layer.NewSequential: layer %s is a nil %T", at, l))
				}
				if first, ok := seen[l]; ok {
					panic(fmt.Sprintf("layer.NewSequential: layer %s is the same %T as layer %s; use a new instance for each position",
						at, l, first))
				}
				seen[l] = at
			}
			if s, ok := l.(*Sequential); ok {
				walk(at+".", s.Layers)
				continue // its parameters are its layers'
			}
			for j, p := range l.Params() {
				switch {
				case p == nil:
					panic(fmt.Sprintf("layer.NewSequential: layer %s (%T): parameter %d is nil", at, l, j))
				case p.Value == nil || p.Grad == nil:
					what := "Value"
					if p.Value != nil {
						what = "Grad"
					}
					panic(fmt.Sprintf("layer.NewSequential: layer %s (%T): parameter %d (%q) has a nil %s", at, l, j, p.Name, what))
				}
			}
		}
	}
	walk("", layers)
}

// ParamBlock returns the model's parameter block and true: the memory of
// the values and gradients of every parameter of Params, in that order
// (see [ParamBlock]). It returns nil and false if NewSequential made no
// block (a parameter was not contiguous or shared memory with another),
// if the block no longer holds every parameter (see [ParamBlock.Intact]),
// if the model was nested in another Sequential, which then holds the
// parameters in its own block, or if Layers has been changed so that
// Params lists other parameters.
func (s *Sequential) ParamBlock() (*ParamBlock, bool) {
	b := s.block
	if b == nil || !slices.Equal(b.params, s.Params()) || !b.Intact() {
		return nil, false
	}
	return b, true
}

// Forward runs x through every layer and returns the last layer's output,
// which belongs to that layer (x itself for an empty Sequential). It
// panics if x is nil or malformed (see mat.Dense.Check), and wherever a
// layer panics.
func (s *Sequential) Forward(x *mat.Dense) *mat.Dense {
	checkInput(s, x)
	for _, l := range s.Layers {
		x = l.Forward(x)
	}
	return x
}

// Backward takes dL/dy for the output of the last Forward and
// backpropagates it through the layers, last to first, accumulating every
// parameter gradient. It returns dL/dx for the model's input if InputGrad
// is set, and nil otherwise. It panics if dy is nil or malformed, and
// wherever a layer panics.
func (s *Sequential) Backward(dy *mat.Dense) *mat.Dense {
	if s.InputGrad {
		checkGradient(s, dy)
		for i := len(s.Layers) - 1; i >= 0; i-- {
			dy = s.Layers[i].Backward(dy)
		}
		return dy
	}
	s.BackwardParams(dy)
	return nil
}

// BackwardParams is Backward without the input gradient.
func (s *Sequential) BackwardParams(dy *mat.Dense) {
	checkGradient(s, dy)
	for i := len(s.Layers) - 1; i > 0; i-- {
		dy = s.Layers[i].Backward(dy)
	}
	if len(s.Layers) == 0 {
		return
	}
	switch first := s.Layers[0].(type) {
	case ParamBackwarder:
		first.BackwardParams(dy)
	default:
		first.Backward(dy)
	}
}

// Params returns the parameters of every layer, in order, as
// model.parameters() does.
func (s *Sequential) Params() []*Param {
	var ps []*Param
	for _, l := range s.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// ZeroGrad zeroes every parameter's gradient, as model.zero_grad().
func (s *Sequential) ZeroGrad() {
	for _, l := range s.Layers {
		if z, ok := l.(interface{ ZeroGrad() }); ok {
			z.ZeroGrad()
			continue
		}
		for _, p := range l.Params() {
			p.ZeroGrad()
		}
	}
}

// Predict runs x through every layer's Predict and returns the output in
// dst (allocated if nil). It keeps no state, so it does not disturb
// training and any number of goroutines may call it at once while the
// parameters are not being changed. The intermediate activations live in
// workspaces that the model keeps between calls, one for each goroutine
// predicting at the same time, and that the garbage collector takes back
// once no call has used them for two collections: given a dst, Predict
// allocates nothing once a batch of the size has been seen, when every
// layer is one of this package's (the Predict of another layer is given a
// nil dst). An activation after another layer works in place on that
// layer's output.
//
// It panics if a layer is not a Predictor, if x is nil or malformed, if
// dst is malformed or shares memory with x (whatever the layers: a model
// is not computed element by element), and wherever a layer's Predict
// panics.
func (s *Sequential) Predict(x, dst *mat.Dense) *mat.Dense {
	checkInput(s, x)
	if dst != nil {
		output(s, x, dst, dst.Rows, dst.Cols, false) // its shape is the last layer's to check
	}
	if len(s.Layers) == 0 { // the identity, as an empty nn.Sequential
		dst = output(s, x, dst, x.Rows, x.Cols, false)
		for r := 0; r < x.Rows; r++ {
			copy(dst.Row(r), x.Row(r))
		}
		return dst
	}
	for i, l := range s.Layers { // before any arithmetic
		if _, ok := l.(Predictor); !ok {
			panic(predictorPanic(i, l))
		}
	}
	a := s.acts.get(len(s.Layers))
	defer s.acts.put(a) // also when a layer panics: the workspace is whole
	return predictLayers(s, a, x, dst)
}

func predictorPanic(i int, l Layer) string {
	return fmt.Sprintf("layer.Sequential: Predict: layer %d (%T) has no Predict method", i, l)
}

func (s *Sequential) name() string { return "layer.Sequential" }

// String prints the model as PyTorch prints it.
func (s *Sequential) String() string {
	var b strings.Builder
	b.WriteString("Sequential(\n")
	for i, l := range s.Layers {
		inner := strings.ReplaceAll(fmt.Sprint(l), "\n", "\n  ")
		fmt.Fprintf(&b, "  (%d): %s\n", i, inner)
	}
	b.WriteString(")")
	return b.String()
}
