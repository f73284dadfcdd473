package main

import (
	"testing"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/sgd"
)

// BenchmarkLessonStep times one step of the lesson's training, as PyTorch
// writes it: optimizer.zero_grad(), loss = criterion(model(sample),
// target), loss.backward(), optimizer.step(), on the lesson's model
// (16-8-4-2, no activations), one sample, CrossEntropy and SGD(lr=0.001).
// Every 256 steps the parameters go back to their initial values, so that
// every step timed is one of the model near its initialisation.
//
//	go test -run '^$' -bench LessonStep ./examples/lesson/
func BenchmarkLessonStep(b *testing.B) {
	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(16, 8, g), layer.NewLinear(8, 4, g), layer.NewLinear(4, 2, g))
	sample, target := g.Rand(1, 16), []int{1}
	criterion := loss.NewCrossEntropy()
	optimizer, err := sgd.New(model.Params(), sgd.Config{LR: 0.001})
	if err != nil {
		b.Fatal(err)
	}
	var initial [][]float32
	for _, p := range model.Params() {
		initial = append(initial, append([]float32(nil), p.Value.Data...))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%256 == 0 {
			for j, p := range model.Params() {
				copy(p.Value.Data, initial[j])
			}
		}
		optimizer.ZeroGrad()
		criterion.Forward(model.Forward(sample), target)
		model.Backward(criterion.Backward())
		optimizer.Step()
		i++
	}
}
