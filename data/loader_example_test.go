package data_test

import (
	"fmt"

	"github.com/pente-go/pente/data"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// An epoch loop over shuffled mini-batches, in DataLoader's order: the
// same batches as PyTorch's
//
//	g = torch.Generator().manual_seed(7)
//	loader = DataLoader(TensorDataset(x, y), batch_size=3, shuffle=True, generator=g)
//	for epoch in range(2):
//	    for xb, yb in loader:
func Example() {
	x := mat.NewDense(10, 1, []float32{0, 10, 20, 30, 40, 50, 60, 70, 80, 90})
	labels := []int{0, 1, 0, 1, 0, 1, 0, 1, 0, 1}
	g := layer.ManualSeed(7)
	loader := data.NewLoader(x, 3, true, g)
	targets := make([]int, 0, 3) // reused: no allocation per batch
	for epoch := 0; epoch < 2; epoch++ {
		loader.Epoch()
		for xb, idx, ok := loader.Next(); ok; xb, idx, ok = loader.Next() {
			targets = targets[:0]
			for _, i := range idx {
				targets = append(targets, labels[i])
			}
			fmt.Printf("%v%v ", xb.Data[:xb.Rows], targets)
		}
		fmt.Println("epoch", epoch)
	}
	// Output:
	// [10 30 50][1 1 1] [70 90 40][1 1 0] [60 20 80][0 0 0] [0][0] epoch 0
	// [50 10 60][1 1 0] [0 90 70][0 1 1] [80 40 30][0 0 1] [20][0] epoch 1
}
