package checkpoint_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pente-go/pente/checkpoint"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/safetensors"
	"github.com/pente-go/pente/sgd"
)

// run is a training run: a model, its loss and optimizer, and batches.
type run struct {
	model *layer.Sequential
	crit  *loss.CrossEntropy
	opt   *sgd.SGD
}

func newRun(t *testing.T, seed uint64, cfg sgd.Config, flat bool) *run {
	g := layer.ManualSeed(seed)
	m := layer.NewSequential(layer.NewLinear(6, 5, g), layer.NewTanh(), layer.NewLinear(5, 3, g))
	params := m.Params()
	if !flat { // one parameter at a time: not the block's list
		params = append(params[1:], params[0])
	}
	opt, err := sgd.New(params, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &run{m, loss.NewCrossEntropy(), opt}
}

// batch returns the inputs and targets of step i, the same in every run.
func batch(i int) (*mat.Dense, []int) {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	x := mat.NewDense(4, 6, nil)
	for j := range x.Data {
		x.Data[j] = float32(r.NormFloat64())
	}
	return x, []int{r.IntN(3), r.IntN(3), r.IntN(3), r.IntN(3)}
}

func (r *run) steps(from, to int) {
	for i := from; i < to; i++ {
		x, y := batch(i)
		r.opt.ZeroGrad()
		r.crit.Forward(r.model.Forward(x), y)
		r.model.Backward(r.crit.Backward())
		r.opt.Step()
	}
}

// TestResumeBitForBit trains N+M steps in one go, and N steps, a
// checkpoint, a new model and optimizer (other initial weights) loaded
// from it, and M steps: the parameters and momentum buffers must be the
// same bits, for every SGD option, on the model's parameter block and
// parameter by parameter.
func TestResumeBitForBit(t *testing.T) {
	configs := []sgd.Config{
		{LR: 0.1},
		{LR: 0.1, Momentum: 0.9},
		{LR: 0.1, Momentum: 0.9, Dampening: 0.3},
		{LR: 0.1, Momentum: 0.9, Nesterov: true},
		{LR: 0.1, WeightDecay: 0.01},
		{LR: 0.1, Momentum: 0.8, WeightDecay: 0.05, Maximize: true},
		{LR: 0.05, Momentum: 0.9, Dampening: 0.1, WeightDecay: 0.02},
		{LR: 0.05, Momentum: 0.7, Nesterov: true, WeightDecay: 0.01, Maximize: true},
	}
	dir := t.TempDir()
	for ci, cfg := range configs {
		for _, flat := range []bool{true, false} {
			for _, n := range []int{0, 1, 7} {
				name := fmt.Sprintf("%+v flat=%v N=%d", cfg, flat, n)
				const m = 6
				whole := newRun(t, 1, cfg, flat)
				whole.steps(0, n+m)

				first := newRun(t, 1, cfg, flat)
				first.steps(0, n)
				path := filepath.Join(dir, fmt.Sprintf("c%d.safetensors", ci))
				if err := checkpoint.Save(path, first.model, first.opt, checkpoint.Info{Step: int64(n), Metadata: map[string]string{"run": name}}); err != nil {
					t.Fatal(err)
				}
				second := newRun(t, 99, cfg, flat) // other weights, no momentum yet
				info, err := checkpoint.Load(path, second.model, second.opt)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if info.Step != int64(n) || info.Metadata["run"] != name || len(info.Metadata) != 1 {
					t.Errorf("%s: info %+v", name, info)
				}
				second.steps(int(info.Step), n+m)
				for i, p := range whole.model.Params() {
					q := second.model.Params()[i]
					if !testkit.SameBits(p.Value.Data, q.Value.Data) {
						t.Errorf("%s: %s differs after resuming", name, p.Name)
					}
					a, b := whole.opt.MomentumBuffer(p), second.opt.MomentumBuffer(q)
					if (a == nil) != (b == nil) || a != nil && !testkit.SameBits(a.Data, b.Data) {
						t.Errorf("%s: momentum buffer of %s differs", name, p.Name)
					}
				}
				if _, ok := second.model.ParamBlock(); !ok {
					t.Errorf("%s: the loaded model lost its block", name)
				}
			}
		}
	}
}

// TestLoadAllOrNothing: a checkpoint that the model or the optimizer
// refuses leaves both as they were.
func TestLoadAllOrNothing(t *testing.T) {
	cfg := sgd.Config{LR: 0.1, Momentum: 0.9}
	src := newRun(t, 1, cfg, true)
	src.steps(0, 3)
	var good bytes.Buffer
	if err := checkpoint.Write(&good, src.model, src.opt, checkpoint.Info{Step: 3}); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Read(bytes.NewReader(good.Bytes()), int64(good.Len()))
	if err != nil {
		t.Fatal(err)
	}
	// variants of the good file's tensors
	edit := func(change func(ts []safetensors.Tensor) []safetensors.Tensor, meta map[string]string) []byte {
		ts := change(append([]safetensors.Tensor(nil), f.Tensors...))
		var b bytes.Buffer
		if err := safetensors.Write(&b, ts, meta); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	drop := func(name string) func([]safetensors.Tensor) []safetensors.Tensor {
		return func(ts []safetensors.Tensor) []safetensors.Tensor {
			var out []safetensors.Tensor
			for _, t := range ts {
				if t.Name != name {
					out = append(out, t)
				}
			}
			return out
		}
	}
	add := func(extra safetensors.Tensor) func([]safetensors.Tensor) []safetensors.Tensor {
		return func(ts []safetensors.Tensor) []safetensors.Tensor { return append(ts, extra) }
	}
	mark := f.Metadata
	for _, c := range []struct {
		name, want string
		file       []byte
	}{
		{"no mark", "not a pente checkpoint", edit(drop(""), nil)},
		{"no step", "no step", edit(drop("step"), mark)},
		{"missing parameter", `Missing key(s) in state_dict: "2.bias"`, edit(drop("model.2.bias"), mark)},
		{"missing momentum buffer (the optimizer refuses after the model loaded)", "momentum buffers for 3 of 4", edit(drop("optimizer.1.momentum_buffer"), mark)},
		{"unknown optimizer state", `unknown state "7.momentum_buffer"`, edit(add(safetensors.Tensor{Name: "optimizer.7.momentum_buffer", DType: safetensors.F32, Shape: []int{1}, Data: make([]byte, 4)}), mark)},
		{"a counter for SGD", "SGD has no counters", edit(add(safetensors.Tensor{Name: "optimizer.t", DType: safetensors.I64, Shape: []int{}, Data: make([]byte, 8)}), mark)},
		{"unexpected tensor", `unexpected tensor "other"`, edit(add(safetensors.Tensor{Name: "other", DType: safetensors.F32, Shape: []int{1}, Data: make([]byte, 4)}), mark)},
		{"truncated", "safetensors:", good.Bytes()[:good.Len()-1]},
	} {
		dst := newRun(t, 5, cfg, true)
		dst.steps(0, 1)
		before := dst.model.Params()
		vals := make([][]float32, len(before))
		bufs := make([][]float32, len(before))
		for i, p := range before {
			vals[i] = append([]float32(nil), p.Value.Data...)
			bufs[i] = append([]float32(nil), dst.opt.MomentumBuffer(p).Data...)
		}
		_, err := checkpoint.Read(bytes.NewReader(c.file), dst.model, dst.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
		for i, p := range before {
			if !testkit.SameBits(p.Value.Data, vals[i]) || !testkit.SameBits(dst.opt.MomentumBuffer(p).Data, bufs[i]) {
				t.Errorf("%s: %s or its momentum changed", c.name, p.Name)
			}
		}
	}
}

func TestSaveRefuses(t *testing.T) {
	r := newRun(t, 1, sgd.Config{LR: 0.1}, true)
	path := filepath.Join(t.TempDir(), "c.safetensors")
	if err := checkpoint.Save(path, r.model, r.opt, checkpoint.Info{Metadata: map[string]string{"pente.x": "1"}}); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("error %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a refused checkpoint left a file")
	}
	// A model-only checkpoint, loaded without an optimizer.
	if err := checkpoint.Save(path, r.model, nil, checkpoint.Info{Step: 5}); err != nil {
		t.Fatal(err)
	}
	other := newRun(t, 2, sgd.Config{LR: 0.1}, true)
	if info, err := checkpoint.Load(path, other.model, nil); err != nil || info.Step != 5 {
		t.Fatalf("%+v %v", info, err)
	}
	if !testkit.SameBits(other.model.Params()[0].Value.Data, r.model.Params()[0].Value.Data) {
		t.Error("the model did not load")
	}
}
