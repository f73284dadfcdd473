package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/layer"
)

const digits = "../digits/digits.csv.gz"

// TestTorchModel classifies the held-out digits with an MLP trained in
// PyTorch (internal/gen/models.py) and requires torch's prediction for
// every image, save where torch's two best scores are within 1e-4 of each
// other, and torch's accuracy.
func TestTorchModel(t *testing.T) {
	var doc struct {
		Accuracy    float64
		Predictions []int
		Margins     fixture.Floats
	}
	raw, err := os.ReadFile("testdata/torch_digits.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := classify(&out, "testdata/torch_digits.safetensors", digits, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.predictions) != len(doc.Predictions) {
		t.Fatalf("%d predictions, torch made %d", len(res.predictions), len(doc.Predictions))
	}
	differ := 0
	for i, p := range res.predictions {
		if p != doc.Predictions[i] {
			differ++
			if doc.Margins[i] > 1e-4 {
				t.Errorf("image %d: predicted %d, torch %d (margin %g)", i, p, doc.Predictions[i], doc.Margins[i])
			}
		}
	}
	if differ == 0 && res.accuracy != doc.Accuracy && float32(res.accuracy) != float32(doc.Accuracy) {
		t.Errorf("accuracy %v, torch's %v", res.accuracy, doc.Accuracy)
	}
	if doc.Accuracy < 0.9 {
		t.Errorf("torch's model is only %.3f accurate: the test proves little", doc.Accuracy)
	}
	if !strings.Contains(out.String(), "[64 32 10] on 359 held-out digits: accuracy") || strings.Count(out.String(), "image ") != 2 {
		t.Errorf("output:\n%s", out.String())
	}
}

// TestRefuses: a model of another shape, or a file that is not a model.
func TestRefuses(t *testing.T) {
	dir := t.TempDir()
	wrong := filepath.Join(dir, "wrong.safetensors")
	if err := layer.SaveFile(wrong, layer.NewSequential(layer.NewLinear(63, 10, nil))); err != nil {
		t.Fatal(err)
	}
	if _, err := classify(&bytes.Buffer{}, wrong, digits, 0); err == nil || !strings.Contains(err.Error(), "want 64 inputs") {
		t.Errorf("error %v", err)
	}
	junk := filepath.Join(dir, "junk")
	os.WriteFile(junk, []byte("not a model at all"), 0o644)
	if _, err := classify(&bytes.Buffer{}, junk, digits, 0); err == nil || !strings.Contains(err.Error(), "safetensors:") {
		t.Errorf("error %v", err)
	}
}
