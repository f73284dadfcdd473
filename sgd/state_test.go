package sgd_test

import (
	"strings"
	"testing"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/sgd"
)

func TestState(t *testing.T) {
	g := layer.ManualSeed(1)
	m := layer.NewSequential(layer.NewLinear(3, 2, g), layer.NewReLU(), layer.NewLinear(2, 1, g))
	opt, err := sgd.New(m.Params(), sgd.Config{LR: 0.1, Momentum: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	var s sgd.Stateful = opt
	vecs, counters := s.State()
	if len(vecs) != 0 || len(counters) != 0 {
		t.Fatalf("state before the first step: %v %v", vecs, counters)
	}
	for _, p := range m.Params() {
		for i := range p.Grad.Data {
			p.Grad.Data[i] = float32(i + 1)
		}
	}
	opt.Step()
	vecs, _ = s.State()
	if len(vecs) != 4 {
		t.Fatalf("%d vectors after a step, want 4", len(vecs))
	}
	for i, p := range m.Params() {
		v := vecs[[]string{"0.momentum_buffer", "1.momentum_buffer", "2.momentum_buffer", "3.momentum_buffer"}[i]]
		b := opt.MomentumBuffer(p)
		if len(v) != len(p.Value.Data) || &v[0] != &b.Data[0] {
			t.Errorf("parameter %d: the state is not a view of its momentum buffer", i)
		}
	}

	// SetState refuses, changing nothing.
	good := map[string][]float32{"0.momentum_buffer": make([]float32, 6), "1.momentum_buffer": make([]float32, 2),
		"2.momentum_buffer": make([]float32, 2), "3.momentum_buffer": make([]float32, 1)}
	with := func(k string, v []float32) map[string][]float32 {
		m := map[string][]float32{}
		for k, v := range good {
			m[k] = v
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	before := append([]float32(nil), vecs["0.momentum_buffer"]...)
	for _, c := range []struct {
		name, want string
		vecs       map[string][]float32
		counters   map[string]int64
	}{
		{"short", `"1.momentum_buffer" has 1 elements, parameter 1 ("0.bias") has 2`, with("1.momentum_buffer", make([]float32, 1)), nil},
		{"unknown", `unknown state "4.momentum_buffer"`, with("4.momentum_buffer", make([]float32, 1)), nil},
		{"leading zero", `unknown state "01.momentum_buffer"`, with("01.momentum_buffer", make([]float32, 2)), nil},
		{"other name", `unknown state "0.exp_avg"`, with("0.exp_avg", make([]float32, 6)), nil},
		{"some", "momentum buffers for 3 of 4", with("2.momentum_buffer", nil), nil},
		{"counter", "SGD has no counters, got step", good, map[string]int64{"step": 1}},
	} {
		if err := s.SetState(c.vecs, c.counters); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
		if b := opt.MomentumBuffer(m.Params()[0]); b == nil || b.Data[0] != before[0] || b.Data[5] != before[5] {
			t.Errorf("%s: the state changed", c.name)
		}
	}
	// A good state is copied, not kept.
	good["0.momentum_buffer"][0] = 42
	if err := s.SetState(good, nil); err != nil {
		t.Fatal(err)
	}
	good["0.momentum_buffer"][0] = 7
	if b := opt.MomentumBuffer(m.Params()[0]); b.Data[0] != 42 {
		t.Errorf("buffer holds %v, want 42", b.Data[0])
	}
	// No state: as before the first step.
	if err := s.SetState(nil, nil); err != nil {
		t.Fatal(err)
	}
	if opt.MomentumBuffer(m.Params()[0]) != nil {
		t.Error("a buffer after SetState(nil, nil)")
	}
}
