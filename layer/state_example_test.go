package layer_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pente-go/pente/layer"
)

// Saving a model as torch's state_dict and loading it into another of the
// same architecture.
func ExampleSaveFile() {
	dir, err := os.MkdirTemp("", "pente")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")

	g := layer.ManualSeed(0)
	model := layer.NewSequential(layer.NewLinear(4, 3, g), layer.NewReLU(), layer.NewLinear(3, 2, g))
	if err := layer.SaveFile(path, model); err != nil { // safetensors.torch.save_file(model.state_dict(), path)
		panic(err)
	}
	other := layer.NewSequential(layer.NewLinear(4, 3, g), layer.NewReLU(), layer.NewLinear(3, 2, g))
	if err := layer.LoadFile(path, other); err != nil { // other.load_state_dict(load_file(path))
		panic(err)
	}
	for i, p := range other.Params() {
		fmt.Println(p.Name, p.Shape(), p.Value.Data[0] == model.Params()[i].Value.Data[0])
	}
	wrong := layer.NewSequential(layer.NewLinear(4, 5, g), layer.NewReLU(), layer.NewLinear(5, 2, g))
	fmt.Println(layer.LoadFile(path, wrong))
	// Output:
	// 0.weight [3 4] true
	// 0.bias [3] true
	// 2.weight [2 3] true
	// 2.bias [2] true
	// layer: Error(s) in loading state_dict for Sequential:
	// 	size mismatch for 0.weight: copying a param with shape torch.Size([3, 4]) from checkpoint, the shape in current model is torch.Size([5, 4]).
	// 	size mismatch for 0.bias: copying a param with shape torch.Size([3]) from checkpoint, the shape in current model is torch.Size([5]).
	// 	size mismatch for 2.weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([2, 5]).
}
