// Command pentesave writes layer/testdata/pente.safetensors, a model saved
// by pente (layer.SaveFile), and layer/testdata/pente.json, its
// architecture, an input and pente's output for it. internal/gen/models.py
// then loads the file in PyTorch and checks that torch's output is pente's:
//
//	cd internal/gen && go run ./pentesave && PYTHON=/usr/bin/python3 sh torch.sh models.py
//
// layer's TestPenteFile holds the committed file to what SaveFile writes.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

func main() {
	dir := "../../layer/testdata"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	// The model and input of layer's TestPenteFile.
	g := layer.ManualSeed(3)
	model := layer.NewSequential(layer.NewLinear(5, 7, g), layer.NewTanh(), layer.NewLinear(7, 3, g))
	x := g.Rand(4, 5)
	if err := layer.SaveFile(filepath.Join(dir, "pente.safetensors"), model); err != nil {
		fail(err)
	}
	y := model.Predict(x, nil)
	doc := map[string]any{
		"generated": "by internal/gen/pentesave (layer.SaveFile); DO NOT EDIT",
		"layers": []map[string]any{
			{"kind": "linear", "in": 5, "out": 7}, {"kind": "tanh"}, {"kind": "linear", "in": 7, "out": 3},
		},
		"input":  matrix(x),
		"output": matrix(y),
	}
	b, err := json.Marshal(doc)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pente.json"), append(b, '\n'), 0o644); err != nil {
		fail(err)
	}
	fmt.Println("wrote layer/testdata/pente.safetensors and pente.json")
}

func matrix(m *mat.Dense) map[string]any {
	data := make([]float64, 0, m.Rows*m.Cols)
	for r := range m.Rows {
		for _, v := range m.Row(r) {
			data = append(data, float64(v)) // exact; the shortest float64 text reads back to it
		}
	}
	return map[string]any{"rows": m.Rows, "cols": m.Cols, "data": data}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pentesave:", err)
	os.Exit(1)
}
