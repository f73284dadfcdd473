package sgd_test

import (
	"fmt"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

// The values below are exact in binary, so that every kernel prints the
// same digits; the outputs are PyTorch 1.13's.

// One plain step: θ −= γ·∇, the same as
// mat.Axpy(-0.5, p.Grad.Data, p.Value.Data) on every parameter.
func Example() {
	// w = nn.Parameter(torch.tensor([[1., 2.], [3., 4.]]))
	// b = nn.Parameter(torch.tensor([0.5, -0.5]))
	w := &layer.Param{Name: "weight", Value: mat.NewDense(2, 2, []float32{1, 2, 3, 4}), Grad: mat.NewDense(2, 2, nil)}
	b := &layer.Param{Name: "bias", Value: mat.NewDense(1, 2, []float32{0.5, -0.5}), Grad: mat.NewDense(1, 2, nil)}

	// optimizer = optim.SGD([w, b], lr=0.5)
	optimizer, err := sgd.New([]*layer.Param{w, b}, sgd.Config{LR: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}

	// w.grad = torch.tensor([[1., -1.], [0.5, 0.]]); b.grad = torch.tensor([0.25, 1.])
	copy(w.Grad.Data, []float32{1, -1, 0.5, 0})
	copy(b.Grad.Data, []float32{0.25, 1})

	// optimizer.step()
	optimizer.Step()
	fmt.Println(w.Value)
	fmt.Println(b.Value)

	// optimizer.zero_grad()
	optimizer.ZeroGrad()
	fmt.Println(w.Grad)
	// Output:
	// 2×2 [0.5 2.5; 2.75 4]
	// 1×2 [0.375 -1]
	// 2×2 [0 0; 0 0]
}

// With momentum the step follows the buffer b = μ·b + ∇, which starts as a
// copy of the first gradient.
func ExampleSGD_MomentumBuffer() {
	// w = nn.Parameter(torch.tensor([[1., 2., 3.]]))
	w := &layer.Param{Value: mat.NewDense(1, 3, []float32{1, 2, 3}), Grad: mat.NewDense(1, 3, nil)}

	// optimizer = optim.SGD([w], lr=0.25, momentum=0.5)
	optimizer, err := sgd.New([]*layer.Param{w}, sgd.Config{LR: 0.25, Momentum: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		// w.grad = torch.tensor([[1., -2., 0.5]]); optimizer.step()
		copy(w.Grad.Data, []float32{1, -2, 0.5})
		optimizer.Step()
		// print(w.data, optimizer.state[w]['momentum_buffer'])
		fmt.Println(w.Value, optimizer.MomentumBuffer(w))
	}
	// Output:
	// 1×3 [0.75 2.5 2.875] 1×3 [1 -2 0.5]
	// 1×3 [0.375 3.25 2.6875] 1×3 [1.5 -3 0.75]
	// 1×3 [-0.0625 4.125 2.46875] 1×3 [1.75 -3.5 0.875]
}

// A learning-rate schedule changes Config between steps, as PyTorch code
// changes optimizer.param_groups[0]['lr'].
func ExampleSGD_Config() {
	w := &layer.Param{Value: mat.NewDense(1, 2, []float32{1, 1}), Grad: mat.NewDense(1, 2, nil)}

	// optimizer = optim.SGD([w], lr=1)
	optimizer, err := sgd.New([]*layer.Param{w}, sgd.Config{LR: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		copy(w.Grad.Data, []float32{1, -1})
		optimizer.Step()
		fmt.Println(optimizer.Config.LR, w.Value)
		// optimizer.param_groups[0]['lr'] *= 0.5
		optimizer.Config.LR *= 0.5
	}
	// Output:
	// 1 1×2 [0 2]
	// 0.5 1×2 [-0.5 2.5]
	// 0.25 1×2 [-0.75 2.75]
}

// New rejects what torch.optim.SGD rejects.
func ExampleNew_error() {
	w := &layer.Param{Value: mat.NewDense(1, 2, nil), Grad: mat.NewDense(1, 2, nil)}

	// optim.SGD([w], lr=0.1, nesterov=True)
	_, err := sgd.New([]*layer.Param{w}, sgd.Config{LR: 0.1, Nesterov: true})
	fmt.Println(err)

	// optim.SGD([], lr=0.1)
	_, err = sgd.New(nil, sgd.Config{LR: 0.1})
	fmt.Println(err)
	// Output:
	// sgd: Nesterov momentum requires a momentum and zero dampening
	// sgd: optimizer got an empty parameter list
}
