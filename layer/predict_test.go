package layer_test

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// scaled is a Predictor that this package does not know: Sequential gives
// its Predict a nil dst.
type scaled struct{ by float32 }

func (s *scaled) Forward(x *mat.Dense) *mat.Dense   { return s.Predict(x, nil) }
func (s *scaled) Backward(dy *mat.Dense) *mat.Dense { return s.Predict(dy, nil) }
func (s *scaled) Params() []*layer.Param            { return nil }
func (s *scaled) Predict(x, dst *mat.Dense) *mat.Dense {
	if dst == nil {
		dst = mat.NewDense(x.Rows, x.Cols, nil)
	}
	for r := 0; r < x.Rows; r++ {
		for j, v := range x.Row(r) {
			dst.Row(r)[j] = s.by * v
		}
	}
	return dst
}

// predictModels are models of every kind of layer Sequential.Predict
// knows, activations after Linear layers and after each other (in place),
// a nested Sequential, a Softmax at the end, and a layer it does not know.
func predictModels() map[string]*layer.Sequential {
	g := layer.ManualSeed(3)
	return map[string]*layer.Sequential{
		"mlp": layer.NewSequential(layer.NewLinear(20, 33, g), layer.NewReLU(), layer.NewLinear(33, 7, g), layer.NewTanh(),
			layer.NewLinear(7, 5, g)),
		"activations": layer.NewSequential(layer.NewLinear(9, 12, g), layer.NewSigmoid(), layer.NewLeakyReLU(0.1), layer.NewGELU("tanh"),
			layer.NewSiLU(), layer.NewDropout(0.5, g), layer.NewLinear(12, 4, g), layer.NewLogSoftmax()),
		"nested": layer.NewSequential(layer.NewLinear(6, 10, g),
			layer.NewSequential(layer.NewReLU(), layer.NewLinear(10, 8, g), layer.NewSoftmax()), layer.NewLinear(8, 3, g)),
		"unknown":          layer.NewSequential(layer.NewLinear(5, 6, g), &scaled{2}, layer.NewReLU(), layer.NewLinear(6, 2, g), &scaled{-1}),
		"activation first": layer.NewSequential(layer.NewTanh(), layer.NewLinear(4, 4, g)),
		"one layer":        layer.NewSequential(layer.NewLinear(3, 2, g)),
		"softmax in place": layer.NewSequential(layer.NewLinear(4, 6, g), layer.NewSoftmax(), layer.NewLogSoftmax(), layer.NewLinear(6, 2, g)),
	}
}

// chain is what Sequential.Predict must compute: every layer's Predict
// into a new matrix.
func chain(s *layer.Sequential, x *mat.Dense) *mat.Dense {
	for _, l := range s.Layers {
		x = l.(layer.Predictor).Predict(x, nil)
	}
	return x
}

// inputCols returns the number of columns the first layer of s takes.
func inputCols(s *layer.Sequential) int {
	switch l := s.Layers[0].(type) {
	case *layer.Linear:
		return l.In()
	case *layer.Sequential:
		return inputCols(l)
	}
	return inputCols(&layer.Sequential{Layers: s.Layers[1:]})
}

// TestPredictWorkspace checks that Predict, with its workspaces reused
// over batches of growing and shrinking size, with dst given or not,
// gives bit for bit what the layers' own Predict calls give in turn, and
// leaves the input alone.
func TestPredictWorkspace(t *testing.T) {
	g := layer.ManualSeed(9)
	for name, model := range predictModels() {
		t.Run(name, func(t *testing.T) {
			in := inputCols(model)
			for _, rows := range []int{1, 7, 32, 3, 1, 40, 0, 5} {
				x := g.Rand(rows, in)
				for i := range x.Data {
					x.Data[i] = 4*x.Data[i] - 2
				}
				keep := append([]float32(nil), x.Data...)
				want := chain(model, x)
				got := model.Predict(x, nil)
				sameBits(t, fmt.Sprintf("%d rows, nil dst", rows), got.Data, want.Data)
				dst := mat.NewDense(want.Rows, want.Cols, nil)
				for i := range dst.Data {
					dst.Data[i] = float32(math.NaN())
				}
				if model.Predict(x, dst) != dst {
					t.Fatal("Predict did not return dst")
				}
				sameBits(t, fmt.Sprintf("%d rows into dst", rows), dst.Data, want.Data)
				sameBits(t, "the input after Predict", x.Data, keep)
			}
		})
	}
}

// TestPredictAllocs checks that Predict into a caller's dst allocates
// nothing once a batch of the size has been seen, at every batch size up
// to it.
func TestPredictAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop workspaces at random")
	}
	g := layer.ManualSeed(1)
	model := layer.NewSequential(layer.NewLinear(64, 48, g), layer.NewReLU(), layer.NewLinear(48, 32, g), layer.NewReLU(),
		layer.NewLinear(32, 10, g), layer.NewLogSoftmax())
	big, dst := g.Rand(64, 64), mat.NewDense(64, 10, nil)
	model.Predict(big, dst)
	for _, rows := range []int{64, 1, 17} {
		x, out := big.Slice(0, rows, 0, 64), dst.Slice(0, rows, 0, 10)
		if n := testkit.AllocsPerRun(100, func() { model.Predict(x, out) }); n != 0 {
			t.Errorf("batch %d: Predict allocated %v times per call", rows, n)
		}
	}
}

// TestPredictConcurrent runs Predict from many goroutines at once on one
// model, on batches of different sizes, and checks every result against
// the layers' Predict in turn. Under -race it also shows that the calls
// share no memory.
func TestPredictConcurrent(t *testing.T) {
	g := layer.ManualSeed(2)
	model := layer.NewSequential(layer.NewLinear(30, 40, g), layer.NewReLU(), layer.NewLinear(40, 20, g), layer.NewSigmoid(),
		layer.NewLinear(20, 6, g))
	const workers = 16
	xs := make([]*mat.Dense, workers)
	wants := make([]*mat.Dense, workers)
	for i := range xs {
		xs[i] = g.Rand(1+i%5*7, 30)
		wants[i] = chain(model, xs[i])
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := mat.NewDense(wants[i].Rows, wants[i].Cols, nil)
			for range 50 {
				model.Predict(xs[i], dst)
				for j, v := range dst.Data {
					if math.Float32bits(v) != math.Float32bits(wants[i].Data[j]) {
						errs <- fmt.Errorf("goroutine %d: element %d is %v, want %v", i, j, v, wants[i].Data[j])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestPredictPanicKeepsWorkspace checks that a Predict that panics in a
// layer leaves the model able to predict.
func TestPredictPanicKeepsWorkspace(t *testing.T) {
	g := layer.ManualSeed(4)
	model := layer.NewSequential(layer.NewLinear(4, 3, g), layer.NewReLU(), layer.NewLinear(3, 2, g))
	x := g.Rand(2, 4)
	want := chain(model, x)
	mustPanic(t, "layer.Linear(3→2): Predict: dst is 2×3, want 2×2", func() { model.Predict(x, mat.NewDense(2, 3, nil)) })
	sameBits(t, "after a panic", model.Predict(x, nil).Data, want.Data)
}

// identity is a Predictor that breaks the contract and returns its input.
type identity struct{}

func (identity) Forward(x *mat.Dense) *mat.Dense      { return x }
func (identity) Backward(dy *mat.Dense) *mat.Dense    { return dy }
func (identity) Params() []*layer.Param               { return nil }
func (identity) Predict(x, dst *mat.Dense) *mat.Dense { return x }

// TestPredictReturnsNoWorkspace checks that a last layer that returns its
// input does not hand the caller one of the model's workspace buffers,
// which another call would overwrite.
func TestPredictReturnsNoWorkspace(t *testing.T) {
	g := layer.ManualSeed(6)
	model := layer.NewSequential(layer.NewLinear(3, 4, g), identity{})
	x1, x2 := g.Rand(2, 3), g.Rand(2, 3)
	y1 := model.Predict(x1, nil)
	want := append([]float32(nil), y1.Data...)
	model.Predict(x2, nil)
	sameBits(t, "the first result after a second call", y1.Data, want)
}
