package sgd

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// BenchmarkSGDStep is one SGD Step over the 235,146 parameters of a
// 784-256-128-10 MLP, all in the model's block, on one thread and on two
// (mat.SetThreads), with momentum 0.9, and with weight decay and Nesterov
// momentum as well:
//
//	go test -run '^$' -bench SGDStep ./sgd/
func BenchmarkSGDStep(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"momentum", Config{LR: 0.01, Momentum: 0.9}},
		{"nesterov+wd", Config{LR: 0.01, Momentum: 0.9, WeightDecay: 1e-4, Nesterov: true}},
	} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", c.name, threads), func(b *testing.B) {
				defer mat.SetThreads(mat.SetThreads(threads))
				g := layer.ManualSeed(1)
				model := layer.NewSequential(layer.NewLinear(784, 256, g), layer.NewReLU(), layer.NewLinear(256, 128, g),
					layer.NewReLU(), layer.NewLinear(128, 10, g))
				r := rand.New(rand.NewPCG(1, 2))
				for _, p := range model.Params() {
					fill(r, p.Grad.Data)
				}
				opt, err := New(model.Params(), c.cfg)
				if err != nil {
					b.Fatal(err)
				}
				opt.Step()
				for b.Loop() {
					opt.Step()
				}
			})
		}
	}
}
