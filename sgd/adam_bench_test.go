package sgd

import (
	"math/rand/v2"
	"testing"

	"github.com/pente-go/pente/layer"
)

// BenchmarkAdamStep is one AdamW Step (torch's defaults) over the 235,146
// parameters of a 784-256-128-10 MLP, all in the model's block: one call
// of the fused kernel.
//
//	go test -run '^$' -bench AdamStep ./sgd/
func BenchmarkAdamStep(b *testing.B) {
	g := layer.ManualSeed(1)
	model := layer.NewSequential(layer.NewLinear(784, 256, g), layer.NewReLU(), layer.NewLinear(256, 128, g),
		layer.NewReLU(), layer.NewLinear(128, 10, g))
	r := rand.New(rand.NewPCG(1, 2))
	for _, p := range model.Params() {
		fill(r, p.Grad.Data)
	}
	opt, err := NewAdamW(model.Params(), AdamWDefaults())
	if err != nil {
		b.Fatal(err)
	}
	opt.Step()
	for b.Loop() {
		opt.Step()
	}
}
