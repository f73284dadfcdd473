package layer

import (
	"sync"

	"github.com/pente-go/pente/mat"
)

// activations is the scratch memory of one Sequential.Predict call: the
// output of every layer but the last, which goes to the caller's dst. Each
// buffer keeps its backing array from call to call (mat.Dense.Resize), so
// a workspace that has seen a batch of some size serves every batch up to
// it without allocating.
type activations struct {
	bufs []mat.Dense // bufs[i] holds the output of layer i
}

// predictPool holds the activations of a Sequential's Predict calls
// between calls: one for each goroutine that was predicting at the same
// time as others, lately. A sync.Pool keeps them per P, so that
// concurrent callers of one model neither share nor wait for a lock, and
// lets the garbage collector take back those no call used between two
// collections: a burst of concurrent callers (or of large batches) does
// not hold its memory for good, even in a program that allocates nothing
// else, as the runtime collects at least every two minutes (unless
// GOGC=off). In a steady stream of calls a workspace is taken and given
// back, and Predict allocates nothing.
type predictPool struct{ p sync.Pool }

func (pp *predictPool) get(layers int) *activations {
	a, _ := pp.p.Get().(*activations)
	if a == nil {
		a = new(activations)
	}
	if len(a.bufs) < layers {
		a.bufs = append(a.bufs, make([]mat.Dense, layers-len(a.bufs))...)
	}
	return a
}

func (pp *predictPool) put(a *activations) { pp.p.Put(a) }

// predictShape returns the number of columns of l's Predict output for an
// input of cols columns, and whether l computes each output element from
// the input element in its place alone, so that it may run in place: for
// the layers of this package. ok is false for a layer it does not know,
// whose Predict then allocates its output.
func predictShape(l Layer, cols int) (out int, inPlace, ok bool) {
	switch l := l.(type) {
	case *Linear:
		return l.Out(), false, true
	case *ReLU, *Sigmoid, *Tanh, *LeakyReLU, *GELU, *SiLU, *Dropout:
		return cols, true, true
	case *Softmax, *LogSoftmax:
		return cols, true, true // row by row, each row read before it is written
	case *Sequential:
		for _, m := range l.Layers {
			var known bool
			if cols, _, known = predictShape(m, cols); !known {
				return 0, false, false
			}
		}
		return cols, false, true
	}
	return 0, false, false
}

// predictLayers runs x through the layers' Predict into dst (allocated by
// the last layer if nil), with the intermediate outputs in a, and returns
// the output. An elementwise layer after the first works in place on the
// output of the layer before it, which is a's own.
func predictLayers(s *Sequential, a *activations, x, dst *mat.Dense) *mat.Dense {
	last := len(s.Layers) - 1
	own := false // whether x is one of a's buffers
	for i, l := range s.Layers {
		p, ok := l.(Predictor)
		if !ok {
			panic(predictorPanic(i, l))
		}
		out := dst
		if i < last {
			out = nil
			if cols, inPlace, known := predictShape(l, x.Cols); known {
				if inPlace && own {
					out = x
				} else {
					out = &a.bufs[i]
					out.Resize(x.Rows, cols)
				}
			}
		}
		y := p.Predict(x, out)
		own = out != nil && out != dst
		x = y
	}
	if x != dst && inWorkspace(a, x) {
		// A layer not of this package that returned its input, one of
		// a's buffers, which the next call may overwrite: the caller
		// gets a copy.
		y := mat.NewDense(x.Rows, x.Cols, nil)
		for r := 0; r < x.Rows; r++ {
			copy(y.Row(r), x.Row(r))
		}
		x = y
	}
	return x
}

// inWorkspace reports whether m shares memory with one of a's buffers.
func inWorkspace(a *activations, m *mat.Dense) bool {
	for i := range a.bufs {
		if mat.Overlap(m, &a.bufs[i]) {
			return true
		}
	}
	return false
}
