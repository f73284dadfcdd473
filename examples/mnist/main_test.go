package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/sgd"
)

// record is testdata/pytorch.json, written by internal/gen/mnist.py.
type record struct {
	Torch    string
	Seed     uint64
	LR       float32
	Momentum float32
	Batch    int
	Test     int
	Full     run
	Short    run
}

type run struct {
	Train       int
	Epochs      int
	Losses      []float64
	BatchLosses []float64 `json:"batch_losses"`
	Accuracy    float64
	Seconds     float64
}

func readRecord(t *testing.T) *record {
	b, err := os.ReadFile("testdata/pytorch.json")
	if err != nil {
		t.Fatal(err)
	}
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// TestMatchesPyTorch trains the short run of internal/gen/mnist.py (one
// epoch on the first 2,000 images) and compares every batch's loss with
// PyTorch's. Both start from the same weights and see the same batches,
// so they differ only by float32 rounding (the order of the sums in the
// products), which the steps carry forward: on Zen 3 (AVX2) the losses
// agree within a relative 1.1e-7; the test allows 1e-4 for other kernels.
func TestMatchesPyTorch(t *testing.T) {
	rec := readRecord(t)
	if rec.Seed != defaults.Seed || rec.LR != defaults.LR || rec.Momentum != defaults.Momentum || rec.Batch != defaults.Batch {
		t.Fatalf("the record's settings %+v are not the example's %+v", rec, defaults)
	}
	tr, te, err := bundled()
	if err != nil {
		t.Fatal(err)
	}
	if te.X.Rows != rec.Test {
		t.Fatalf("%d test images, the record has %d", te.X.Rows, rec.Test)
	}
	cfg := defaults
	cfg.Epochs = rec.Short.Epochs
	model, opt, err := newRun(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res := train(model, opt, tr.slice(0, rec.Short.Train), te, cfg, nil)
	if len(res.BatchLosses) != len(rec.Short.BatchLosses) {
		t.Fatalf("%d batches, PyTorch ran %d", len(res.BatchLosses), len(rec.Short.BatchLosses))
	}
	worst := 0.0
	for i, want := range rec.Short.BatchLosses {
		d := math.Abs(float64(res.BatchLosses[i])-want) / want
		worst = max(worst, d)
		if d > 1e-4 {
			t.Errorf("batch %d: loss %.7f, PyTorch %.7f", i, res.BatchLosses[i], want)
		}
	}
	if d := math.Abs(float64(res.BatchLosses[0])-rec.Short.BatchLosses[0]) / rec.Short.BatchLosses[0]; d > 1e-5 {
		t.Errorf("the first batch's loss %.7f, PyTorch %.7f: not the same weights or batch", res.BatchLosses[0], rec.Short.BatchLosses[0])
	}
	t.Logf("largest relative difference of a batch loss from PyTorch's: %.2g", worst)
	for e, want := range rec.Short.Losses {
		if d := math.Abs(res.Losses[e]-want) / want; d > 1e-4 {
			t.Errorf("epoch %d: loss %.6f, PyTorch %.6f", e+1, res.Losses[e], want)
		}
	}
	if math.Abs(res.Accuracy-rec.Short.Accuracy) > 0.5 {
		t.Errorf("accuracy %.2f%%, PyTorch %.2f%%", res.Accuracy, rec.Short.Accuracy)
	}
	if res.Accuracy < 30 { // PyTorch: 48.25%; chance: 10%
		t.Errorf("accuracy %.2f%% after an epoch on 2,000 images: it does not learn", res.Accuracy)
	}
}

// TestFromDir writes a few bundled images under the official file names,
// gzipped and not, and reads them back as -data does.
func TestFromDir(t *testing.T) {
	tr, _, err := bundled()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, zip bool, dims []uint32, values []byte) {
		b := []byte{0, 0, 8, byte(len(dims))}
		for _, d := range dims {
			b = binary.BigEndian.AppendUint32(b, d)
		}
		b = append(b, values...)
		if zip {
			var buf bytes.Buffer
			z := gzip.NewWriter(&buf)
			z.Write(b)
			z.Close()
			b, name = buf.Bytes(), name+".gz"
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	images := func(lo, hi int) []byte {
		var b []byte
		for i := lo; i < hi; i++ {
			for _, v := range tr.X.Row(i) {
				b = append(b, byte(math.Round(float64(v)*255)))
			}
		}
		return b
	}
	labels := func(lo, hi int) []byte {
		var b []byte
		for _, y := range tr.Labels[lo:hi] {
			b = append(b, byte(y))
		}
		return b
	}
	if _, _, err := fromDir(dir); err == nil || !strings.Contains(err.Error(), "train-images-idx3-ubyte.gz is there") {
		t.Errorf("an empty directory: %v", err)
	}
	write("train-images-idx3-ubyte", true, []uint32{30, 28, 28}, images(0, 30))
	write("train-labels-idx1-ubyte", false, []uint32{30}, labels(0, 30))
	write("t10k-images-idx3-ubyte", false, []uint32{10, 28, 28}, images(30, 40))
	write("t10k-labels-idx1-ubyte", true, []uint32{9}, labels(30, 39))
	if _, _, err := fromDir(dir); err == nil || !strings.Contains(err.Error(), "labels of type 0x08 and dimensions [9] for 10 images") {
		t.Errorf("9 labels for 10 images: %v", err)
	}
	write("t10k-labels-idx1-ubyte", true, []uint32{10}, labels(30, 40))
	a, b, err := fromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a.X.Rows != 30 || b.X.Rows != 10 || b.Labels[3] != tr.Labels[33] {
		t.Fatalf("read %d and %d images", a.X.Rows, b.X.Rows)
	}
	for i, v := range b.X.Row(3) {
		if v != tr.X.At(33, i) {
			t.Fatalf("test image 3, pixel %d: %v, want %v", i, v, tr.X.At(33, i))
		}
	}
}

func TestOptimizerNames(t *testing.T) {
	if _, err := newOptimizer(newModel(nil).Params(), config{Optim: "rmsprop"}); err == nil || !strings.Contains(err.Error(), `unknown optimiser "rmsprop"`) {
		t.Errorf("an unknown optimiser: %v", err)
	}
}

// TestAdamAndSave trains a short run with -optim adam, saves the model as
// -save does and loads it into a fresh one: it learns (well above the 10%
// of chance on the test images), and the loaded model predicts the same.
func TestAdamAndSave(t *testing.T) {
	tr, te, err := bundled()
	if err != nil {
		t.Fatal(err)
	}
	cfg := defaults
	cfg.Optim, cfg.LR, cfg.Epochs = "adam", 1e-3, 1
	model, opt, err := newRun(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := opt.(*sgd.Adam); !ok {
		t.Fatalf("-optim adam gave a %T", opt)
	}
	res := train(model, opt, tr.slice(0, 2000), te, cfg, nil)
	if res.Accuracy < 60 {
		t.Errorf("accuracy %.2f%% after one epoch of Adam on 2,000 images", res.Accuracy)
	}
	path := filepath.Join(t.TempDir(), "mnist.safetensors")
	if err := checkSave(path); err != nil {
		t.Fatal(err)
	}
	if err := saveModel(path, model); err != nil {
		t.Fatal(err)
	}
	loaded := newModel(layer.ManualSeed(1))
	if err := layer.LoadFile(path, loaded); err != nil {
		t.Fatal(err)
	}
	x := te.X.Slice(0, 16, 0, pixels)
	if !testkit.SameBits(model.Predict(x, nil).Data, loaded.Predict(x, nil).Data) {
		t.Error("the loaded model predicts otherwise")
	}
	if err := checkSave(filepath.Join(t.TempDir(), "no", "such", "dir", "m.safetensors")); err == nil {
		t.Error("-save into a missing directory is not refused before training")
	}
}
