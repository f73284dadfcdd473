package layer_test

import (
	"fmt"
	"testing"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

// BenchmarkTrainingStep times one SGD step — ZeroGrad, Forward,
// cross-entropy, Backward, Step — of a ReLU MLP, and reports GFLOP/s
// counting the multiply-adds of the three products of each Linear layer
// (the first layer's input gradient is skipped, as PyTorch skips it), with
// optim.SGD(lr=0.01, momentum=0.9), as bench/ times it against gonum and
// PyTorch.
//
// Batches cycle through 16 random inputs with random labels, and every 256
// steps the parameters go back to their initial values and the momentum
// buffers to zero, so every step timed is one of a model near its
// initialisation. Left to train for millions of steps, a small ReLU network
// dies: its gradients become zero and its momentum buffers decay into
// subnormal numbers, where μ·b rounds back to b and they stay for ever. The
// CPU computes with subnormals a hundred times slower, and a benchmark of
// that would time the stall, not the step.
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
			var initial [][]float32
			for _, p := range model.Params() {
				initial = append(initial, append([]float32(nil), p.Value.Data...))
			}
			classes := c.sizes[len(c.sizes)-1]
			xs := make([]*mat.Dense, 16)
			targets := make([][]int, len(xs))
			for i := range xs {
				xs[i] = g.Rand(c.batch, c.sizes[0])
				targets[i] = make([]int, c.batch)
				for j := range targets[i] {
					targets[i][j] = int(g.Uint32() % uint32(classes))
				}
			}
			criterion := loss.NewCrossEntropy()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i%256 == 0 {
					for j, p := range model.Params() {
						copy(p.Value.Data, initial[j])
						if buf := opt.MomentumBuffer(p); buf != nil {
							clear(buf.Data)
						}
					}
				}
				opt.ZeroGrad()
				criterion.Forward(model.Forward(xs[i%len(xs)]), targets[i%len(xs)])
				model.Backward(criterion.Backward())
				opt.Step()
				i++
			}
			b.ReportMetric(float64(flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkParamBlockIntact times the check that sgd makes before each
// Step and ZeroGrad on the lesson's model (six parameters).
//
//	go test -run '^$' -bench ParamBlockIntact ./layer/
func BenchmarkParamBlockIntact(b *testing.B) {
	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(16, 8, g), layer.NewReLU(), layer.NewLinear(8, 4, g), layer.NewReLU(), layer.NewLinear(4, 2, g))
	block, ok := model.ParamBlock()
	if !ok {
		b.Fatal("the lesson's model has no parameter block")
	}
	for b.Loop() {
		if !block.Intact() {
			b.Fatal("block not intact")
		}
	}
}
