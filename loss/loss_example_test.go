package loss_test

import (
	"fmt"

	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
)

// printRows prints m one row a line, to 4 decimals as PyTorch prints.
func printRows(m *mat.Dense) {
	for i := 0; i < m.Rows; i++ {
		fmt.Printf("%.4f\n", m.Row(i))
	}
}

// A classifier's loss and its gradient for two samples of three classes:
//
//	criterion = nn.CrossEntropyLoss()
//	loss = criterion(logits, target); loss.backward()
func ExampleCrossEntropy() {
	logits := mat.NewDense(2, 3, []float32{
		2.0, 1.0, 0.1,
		0.5, 2.5, 0.3,
	})
	criterion := loss.NewCrossEntropy()
	fmt.Printf("%.4f\n", criterion.Forward(logits, []int{0, 1}))
	printRows(criterion.Backward()) // logits.grad
	// Output:
	// 0.3185
	// [-0.1705 0.1212 0.0493]
	// [0.0543 -0.0988 0.0445]
}

// Every option at once; with reduction "none" the per-sample losses come
// from Losses, and Backward is the gradient of their sum:
//
//	criterion = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]),
//	    ignore_index=-100, reduction="none", label_smoothing=0.1)
//	losses = criterion(logits, target); losses.sum().backward()
func ExampleCrossEntropy_options() {
	logits := mat.NewDense(3, 3, []float32{
		2.0, 1.0, 0.1,
		0.5, 2.5, 0.3,
		1.0, 1.0, 1.0,
	})
	criterion := loss.NewCrossEntropy() // IgnoreIndex -100
	criterion.Weight = []float32{1.0, 2.0, 0.5}
	criterion.Reduction = loss.None
	criterion.LabelSmoothing = 0.1
	sum := criterion.Forward(logits, []int{0, -100, 2}) // the second sample is ignored
	fmt.Printf("%.4f %.4f\n", criterion.Losses(), sum)
	printRows(criterion.Backward())
	// Output:
	// [0.5223 0.0000 0.6225] 1.1449
	// [-0.2633 0.1798 0.0835]
	// [0.0000 0.0000 0.0000]
	// [0.1556 0.1222 -0.2778]
}

// Class probabilities as the target:
//
//	criterion = nn.CrossEntropyLoss()
//	loss = criterion(logits, probs); loss.backward()
func ExampleCrossEntropy_ForwardProbs() {
	logits := mat.NewDense(2, 3, []float32{
		2.0, 1.0, 0.1,
		0.5, 2.5, 0.3,
	})
	probs := mat.NewDense(2, 3, []float32{
		0.7, 0.2, 0.1,
		0.0, 1.0, 0.0,
	})
	criterion := loss.NewCrossEntropy()
	fmt.Printf("%.4f\n", criterion.ForwardProbs(logits, probs))
	printRows(criterion.Backward())
	// Output:
	// 0.5135
	// [-0.0205 0.0212 -0.0007]
	// [0.0543 -0.0988 0.0445]
}

// A regression loss and its gradient:
//
//	criterion = nn.MSELoss()
//	loss = criterion(pred, target); loss.backward()
func ExampleMSE() {
	pred := mat.NewDense(2, 2, []float32{1, 2, 3, 4})
	target := mat.NewDense(2, 2, []float32{1.5, 2, 2, 4})
	criterion := loss.NewMSE()
	fmt.Println(criterion.Forward(pred, target))
	fmt.Println(criterion.Backward())
	// Output:
	// 0.3125
	// 2×2 [-0.25 0; 0.5 0]
}

// Inputs are checked before anything is computed.
func ExampleCrossEntropy_Forward_badTarget() {
	defer func() { fmt.Println(recover()) }()
	loss.NewCrossEntropy().Forward(mat.NewDense(4, 10, nil), []int{1, 2, 3, 12})
	// Output: loss.CrossEntropy: target 12 of sample 3 is out of range for 10 classes
}
