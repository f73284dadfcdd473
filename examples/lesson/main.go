// Command lesson is the PyTorch lesson, line for line, in Go: a model of
// three Linear layers, one prediction, the cross-entropy loss, its
// gradients layer by layer from the last, a manual update
// weight = weight − lr·weight.grad, and the same step by SGD.
//
// From torch.manual_seed(0) it prints the numbers PyTorch prints
// (testdata/pytorch.txt, written by internal/gen/lesson.py).
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

func main() {
	if err := lesson(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lesson:", err)
		os.Exit(1)
	}
}

func lesson(w io.Writer) error {
	g := layer.ManualSeed(0) // torch.manual_seed(0)
	model := layer.NewSequential(
		layer.NewLinear(16, 8, g), // nn.Linear(16, 8)
		layer.NewLinear(8, 4, g),  // nn.Linear(8, 4)
		layer.NewLinear(4, 2, g),  // nn.Linear(4, 2)
	)
	fmt.Fprintln(w, model)
	sample := g.Rand(1, 16) // torch.rand(1, 16)
	target := []int{1}      // torch.tensor([1])
	show(w, "sample", sample, "%8.4f")

	prediction := model.Forward(sample) // prediction = model(sample)
	show(w, "prediction", prediction, "%8.4f")
	criterion := loss.NewCrossEntropy()        // criterion = nn.CrossEntropyLoss()
	l := criterion.Forward(prediction, target) // loss = criterion(prediction, target)
	fmt.Fprintf(w, "loss: %.6f\n", l)
	model.Backward(criterion.Backward()) // loss.backward()
	fmt.Fprintln(w, "gradients, from the last layer back:")
	params := model.Params()
	for i := len(params) - 1; i >= 0; i-- {
		show(w, params[i].Name+".grad", params[i].Grad, "%8.4f") // model[i].weight.grad, model[i].bias.grad
	}

	// weight = weight - lr * weight.grad; bias = bias - lr * bias.grad
	lr := float32(0.001)
	for _, p := range params {
		mat.Axpy(-lr, p.Grad.Data, p.Value.Data)
	}
	show(w, "0.bias after weight = weight - lr * weight.grad", params[1].Value, "%10.6f")
	fmt.Fprintf(w, "loss after the manual update: %.6f\n", criterion.Forward(model.Forward(sample), target))

	// optimizer = optim.SGD(model.parameters(), lr=0.001)
	optimizer, err := sgd.New(params, sgd.Config{LR: 0.001})
	if err != nil {
		return err
	}
	optimizer.ZeroGrad() // optimizer.zero_grad()
	criterion.Forward(model.Forward(sample), target)
	model.Backward(criterion.Backward()) // criterion(model(sample), target).backward()
	optimizer.Step()                     // optimizer.step()
	show(w, "0.bias after optimizer.step()", params[1].Value, "%10.6f")
	fmt.Fprintf(w, "loss after optimizer.step(): %.6f\n", criterion.Forward(model.Forward(sample), target))
	return nil
}

// show prints m as internal/gen/lesson.py prints a tensor: one row on the
// name's line, more rows below it.
func show(w io.Writer, name string, m *mat.Dense, format string) {
	row := func(i int) string {
		var b strings.Builder
		for j, v := range m.Row(i) {
			if j > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, format, v)
		}
		return b.String()
	}
	if m.Rows == 1 {
		fmt.Fprintf(w, "%s: [%s]\n", name, row(0))
		return
	}
	fmt.Fprintf(w, "%s:\n", name)
	for i := 0; i < m.Rows; i++ {
		fmt.Fprintf(w, "  [%s]\n", row(i))
	}
}
