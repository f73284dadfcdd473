package layer_test

import (
	"fmt"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

// The PyTorch lesson: a prediction, the loss, its gradients layer by layer
// and one step of SGD.
func Example() {
	g := layer.ManualSeed(0)      // torch.manual_seed(0)
	model := layer.NewSequential( // model = nn.Sequential(
		layer.NewLinear(16, 8, g), //     nn.Linear(16, 8),
		layer.NewLinear(8, 4, g),  //     nn.Linear(8, 4),
		layer.NewLinear(4, 2, g),  //     nn.Linear(4, 2))
	)
	sample := g.Rand(1, 16) // sample = torch.rand(1, 16)

	prediction := model.Forward(sample)          // prediction = model(sample)
	criterion := loss.NewCrossEntropy()          // criterion = nn.CrossEntropyLoss()
	l := criterion.Forward(prediction, []int{1}) // loss = criterion(prediction, torch.tensor([1]))
	model.Backward(criterion.Backward())         // loss.backward()
	fmt.Printf("prediction %.4f, loss %.4f\n", prediction.Data, l)
	fmt.Printf("2.bias.grad %.4f\n", model.Params()[5].Grad.Data) // model[2].bias.grad

	optimizer, err := sgd.New(model.Params(), sgd.Config{LR: 0.001}) // optim.SGD(model.parameters(), lr=0.001)
	if err != nil {
		panic(err)
	}
	optimizer.Step() // optimizer.step()
	fmt.Printf("loss after the step %.4f\n", criterion.Forward(model.Forward(sample), []int{1}))
	// Output:
	// prediction [-0.2591 0.0570], loss 0.5476
	// 2.bias.grad [0.4216 -0.4216]
	// loss after the step 0.5463
}

// nn.Linear's initialisation, drawn from torch.manual_seed(0) as PyTorch
// draws it.
func ExampleNewLinear() {
	lin := layer.NewLinear(3, 2, layer.ManualSeed(0)) // torch.manual_seed(0); lin = nn.Linear(3, 2)
	fmt.Println(lin)
	fmt.Printf("weight %.4f\n", lin.Weight.Value.Data) // lin.weight
	fmt.Printf("bias   %.4f\n", lin.Bias.Value.Data)   // lin.bias
	// Output:
	// Linear(in_features=3, out_features=2, bias=True)
	// weight [-0.0043 0.3097 -0.4752 -0.4249 -0.2224 0.1548]
	// bias   [-0.0114 0.4578]
}

// Parameters carry PyTorch's names; gradients accumulate until ZeroGrad.
func ExampleSequential_Params() {
	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(4, 3, g), layer.NewTanh(), layer.NewLinear(3, 1, g))
	for _, p := range model.Params() { // for name, p in model.named_parameters():
		fmt.Println(p.Name, p.Value.Rows, p.Value.Cols)
	}
	// Output:
	// 0.weight 3 4
	// 0.bias 1 3
	// 2.weight 1 3
	// 2.bias 1 1
}

// Predict runs the model without keeping anything for Backward, as
// torch.no_grad() does; it is safe to call from many goroutines at once.
func ExampleSequential_Predict() {
	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(2, 3, g), layer.NewReLU(), layer.NewLinear(3, 2, g))
	x := mat.NewDense(2, 2, []float32{1, 2, 3, 4})
	y := model.Predict(x, nil) // with torch.no_grad(): y = model(x)
	fmt.Printf("%.4f\n", y.Data)
	// Output:
	// [0.1293 -0.1901 0.2486 -0.5922]
}

// A model's parameters live in one block: the values of all of them, in
// the order of Params, are one vector, and so are the gradients. An
// optimiser such as sgd updates the whole model through it.
func ExampleSequential_ParamBlock() {
	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(4, 3, g), layer.NewReLU(), layer.NewLinear(3, 2, g))
	block, ok := model.ParamBlock()
	if !ok {
		panic("no block")
	}
	// torch.nn.utils.parameters_to_vector(model.parameters()) copies these
	// values; Values is their memory itself.
	values := block.Values()
	fmt.Println(len(values), len(block.Grads()))
	bias := model.Params()[1] // 0.bias, after the 3×4 0.weight
	fmt.Println(bias.Name, &bias.Value.Data[0] == &values[12])

	mat.Scal(0.5, values) // halves every parameter of the model
	fmt.Printf("%.4f\n", bias.Value.Data)
	// Output:
	// 23 23
	// 0.bias true
	// [-0.2388 -0.1656 -0.1031]
}
