package sgd_test

import (
	"fmt"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

// A StepLR halves the learning rate every two epochs; the outputs are
// PyTorch 1.13's get_last_lr()[0].
func ExampleStepLR() {
	w := &layer.Param{Value: mat.NewDense(1, 1, nil), Grad: mat.NewDense(1, 1, nil)}
	// optimizer = optim.SGD([w], lr=0.5)
	optimizer, err := sgd.New([]*layer.Param{w}, sgd.Config{LR: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	// scheduler = lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
	scheduler := sgd.NewStepLR(optimizer, 2, 0.5)
	lrs := make([]float64, 6)
	for epoch := range lrs {
		optimizer.Step() // optimizer.step()
		scheduler.Step() // scheduler.step()
		lrs[epoch] = scheduler.LR()
	}
	fmt.Println(lrs)
	fmt.Println(optimizer.Config.LR)
	// Output:
	// [0.5 0.25 0.25 0.125 0.125 0.0625]
	// 0.0625
}

// ClipGradNorm scales the gradients to a norm of at most max_norm and
// returns the norm they had; the outputs are PyTorch 1.13's.
func ExampleClipGradNorm() {
	// w.grad = torch.tensor([[3., 0.], [4., 0.]])
	w := &layer.Param{Value: mat.NewDense(2, 2, nil), Grad: mat.NewDense(2, 2, []float32{3, 0, 4, 0})}
	// torch.nn.utils.clip_grad_norm_([w], 1.0)
	fmt.Println(sgd.ClipGradNorm([]*layer.Param{w}, 1, 2))
	fmt.Println(w.Grad.Data)
	// Output:
	// 5
	// [0.5999999 0 0.79999983 0]
}
