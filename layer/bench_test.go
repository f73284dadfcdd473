package layer_test

import (
	"fmt"
	"testing"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/sgd"
)

// BenchmarkTrainingStep times one SGD step — ZeroGrad, Forward,
// cross-entropy, Backward, Step — of a ReLU MLP, and reports GFLOP/s
// counting the multiply-adds of the three products of each Linear layer
// (the first layer's input gradient is skipped, as PyTorch skips it).
func BenchmarkTrainingStep(b *testing.B) {
	for _, c := range []struct {
		sizes []int
		batch int
	}{
		{[]int{16, 8, 4, 2}, 1},
		{[]int{64, 32, 10}, 32},
		{[]int{784, 256, 128, 10}, 128},
	} {
		b.Run(fmt.Sprintf("%v/batch=%d", c.sizes, c.batch), func(b *testing.B) {
			g := layer.ManualSeed(0)
			var ls []layer.Layer
			flops := 0
			for i := 1; i < len(c.sizes); i++ {
				if i > 1 {
					ls = append(ls, layer.NewReLU())
				}
				ls = append(ls, layer.NewLinear(c.sizes[i-1], c.sizes[i], g))
				products := 3
				if i == 1 {
					products = 2
				}
				flops += 2 * products * c.batch * c.sizes[i-1] * c.sizes[i]
			}
			model := layer.NewSequential(ls...)
			opt, err := sgd.New(model.Params(), sgd.Config{LR: 0.01, Momentum: 0.9})
			if err != nil {
				b.Fatal(err)
			}
			x := g.Rand(c.batch, c.sizes[0])
			target := make([]int, c.batch)
			for i := range target {
				target[i] = i % c.sizes[len(c.sizes)-1]
			}
			criterion := loss.NewCrossEntropy()
			b.ReportAllocs()
			for b.Loop() {
				opt.ZeroGrad()
				criterion.Forward(model.Forward(x), target)
				model.Backward(criterion.Backward())
				opt.Step()
			}
			b.ReportMetric(float64(flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
