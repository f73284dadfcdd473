package layer_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/safetensors"
)

// fileCase is one case of testdata/models.json (internal/gen/models.py):
// a model file written from torch, an input and torch's output.
type fileCase struct {
	File   string
	DType  string
	Layers []struct {
		Kind    string
		In, Out int
	}
	Input, Output fixture.Matrix
}

func (c *fileCase) build() *layer.Sequential {
	var ls []layer.Layer
	for _, l := range c.Layers {
		switch l.Kind {
		case "linear":
			ls = append(ls, layer.NewLinear(l.In, l.Out, nil))
		case "relu":
			ls = append(ls, layer.NewReLU())
		case "tanh":
			ls = append(ls, layer.NewTanh())
		case "sigmoid":
			ls = append(ls, layer.NewSigmoid())
		}
	}
	return layer.NewSequential(ls...)
}

// values returns a copy of every parameter's values, for checking that a
// failed load changed nothing.
func values(m layer.Layer) [][]float32 {
	var vs [][]float32
	for _, p := range m.Params() {
		vs = append(vs, append([]float32(nil), p.Value.Data...))
	}
	return vs
}

func unchanged(t *testing.T, what string, m layer.Layer, before [][]float32) {
	t.Helper()
	for i, p := range m.Params() {
		if !testkit.SameBits(p.Value.Data, before[i]) {
			t.Errorf("%s: parameter %q changed", what, p.Name)
		}
	}
}

// TestLoadTorchModels loads every file that torch's models were saved to,
// as safetensors and with torch.save (F32, F16, BF16, F64; a state_dict
// whose tensors are views of one storage; one saved to a buffer), and
// requires torch's outputs: for F16 and BF16 those of the model with the
// rounded weights, for F64 those of the float64-trained model with its
// weights rounded to float32.
func TestLoadTorchModels(t *testing.T) {
	var cases []fileCase
	fixture.Load(t, "models.json", &cases)
	n := map[string]int{}
	for _, c := range cases {
		n[filepath.Ext(c.File)]++
		m := c.build()
		block, _ := m.ParamBlock()
		if err := layer.LoadFile(filepath.Join("testdata", c.File), m); err != nil {
			t.Errorf("%s: %v", c.File, err)
			continue
		}
		if b, ok := m.ParamBlock(); !ok || b != block {
			t.Errorf("%s: the model lost its parameter block", c.File)
		}
		y := m.Predict(c.Input.Dense(), nil)
		fixture.Compare(t, c.File, fixture.Values(y), c.Output.Data, fixture.RTol, 1)
	}
	if n[".safetensors"] != 8 || n[".pt"] != 10 {
		t.Errorf("%d safetensors and %d torch.save cases, want 8 and 10", n[".safetensors"], n[".pt"])
	}
}

// TestPenteFile holds testdata/pente.safetensors, which
// internal/gen/pentesave wrote and models.py loaded in PyTorch (checking
// torch's output against pente's, testdata/pente.json), to what Save
// writes now, byte for byte.
func TestPenteFile(t *testing.T) {
	g := layer.ManualSeed(3)
	model := layer.NewSequential(layer.NewLinear(5, 7, g), layer.NewTanh(), layer.NewLinear(7, 3, g))
	x := g.Rand(4, 5)
	var b bytes.Buffer
	if err := layer.Save(&b, model); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/pente.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("Save wrote another file than testdata/pente.safetensors (go run ./internal/gen/pentesave rewrites it)")
	}
	var doc struct{ Input, Output fixture.Matrix }
	raw, _ := os.ReadFile("testdata/pente.json")
	if err := jsonUnmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if !testkit.SameBits(fixture.Values(x), doc.Input.Data) {
		t.Error("pente.json holds another input")
	}
	// The output pentesave recorded, up to the rounding of other kernels.
	fixture.Compare(t, "pente.json's output", fixture.Values(model.Predict(x, nil)), doc.Output.Data, fixture.RTol, 1)
	f, err := safetensors.Read(bytes.NewReader(want), int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[string][]int{"0.weight": {7, 5}, "0.bias": {7}, "2.weight": {3, 7}, "2.bias": {3}}
	for _, ts := range f.Tensors {
		if !equalInts(ts.Shape, shapes[ts.Name]) || ts.DType != safetensors.F32 {
			t.Errorf("%q is %s %v, want F32 %v", ts.Name, ts.DType, ts.Shape, shapes[ts.Name])
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSaveLoad saves a model and loads it into another of the same
// architecture: the values arrive bit for bit, in the other model's own
// memory.
func TestSaveLoad(t *testing.T) {
	g := layer.ManualSeed(1)
	a := layer.NewSequential(layer.NewLinear(6, 4, g), layer.NewReLU(), layer.NewLinear(4, 2, g))
	a.Params()[1].Value.Data[0] = float32(math.NaN())
	a.Params()[1].Value.Data[1] = float32(math.Inf(-1))
	b := layer.NewSequential(layer.NewLinear(6, 4, g), layer.NewReLU(), layer.NewLinear(4, 2, g))
	addrs := make([]*float32, 0, 4)
	for _, p := range b.Params() {
		addrs = append(addrs, unsafe.SliceData(p.Value.Data))
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := layer.SaveFile(path, a); err != nil {
		t.Fatal(err)
	}
	if err := layer.LoadFile(path, b); err != nil {
		t.Fatal(err)
	}
	for i, p := range b.Params() {
		if !testkit.SameBits(p.Value.Data, a.Params()[i].Value.Data) {
			t.Errorf("%s differs", p.Name)
		}
		if unsafe.SliceData(p.Value.Data) != addrs[i] {
			t.Errorf("%s: Value.Data moved", p.Name)
		}
	}
	if _, ok := b.ParamBlock(); !ok {
		t.Error("the model lost its block")
	}
	// A lone Linear: names "weight" and "bias".
	l := layer.NewLinear(3, 2, g)
	var buf bytes.Buffer
	if err := layer.Save(&buf, l); err != nil {
		t.Fatal(err)
	}
	l2 := layer.NewLinear(3, 2, g)
	if err := layer.Load(&buf, l2); err != nil {
		t.Fatal(err)
	}
	if !testkit.SameBits(l2.Weight.Value.Data, l.Weight.Value.Data) || !testkit.SameBits(l2.Bias.Value.Data, l.Bias.Value.Data) {
		t.Error("a lone Linear did not round-trip")
	}
}

// TestLoadStrict checks the errors of a mismatched state_dict, in torch's
// words, and that the model is left unchanged.
func TestLoadStrict(t *testing.T) {
	g := layer.ManualSeed(2)
	newModel := func(hidden int) *layer.Sequential {
		return layer.NewSequential(layer.NewLinear(4, hidden, g), layer.NewReLU(), layer.NewLinear(hidden, 3, g))
	}
	f32 := func(name string, shape ...int) safetensors.Tensor {
		n := 1
		for _, s := range shape {
			n *= s
		}
		return safetensors.Tensor{Name: name, DType: safetensors.F32, Shape: shape, Data: make([]byte, 4*n)}
	}
	for _, c := range []struct {
		name, want string
		ts         []safetensors.Tensor
	}{
		{"missing and unexpected", "layer: Error(s) in loading state_dict for Sequential:\n" +
			"\tMissing key(s) in state_dict: \"2.weight\", \"2.bias\". \n" +
			"\tUnexpected key(s) in state_dict: \"3.weight\", \"extra\". ",
			[]safetensors.Tensor{f32("0.weight", 5, 4), f32("0.bias", 5), f32("3.weight", 3, 5), f32("extra")}},
		{"size mismatch", "layer: Error(s) in loading state_dict for Sequential:\n" +
			"\tsize mismatch for 0.weight: copying a param with shape torch.Size([6, 4]) from checkpoint, the shape in current model is torch.Size([5, 4]).\n" +
			"\tsize mismatch for 0.bias: copying a param with shape torch.Size([1, 5]) from checkpoint, the shape in current model is torch.Size([5]).",
			[]safetensors.Tensor{f32("0.weight", 6, 4), f32("0.bias", 1, 5), f32("2.weight", 3, 5), f32("2.bias", 3)}},
		{"integer dtype", "\tdtype I32 for 2.bias: only F32, F64, F16 and BF16 tensors load into float32 parameters.",
			[]safetensors.Tensor{f32("0.weight", 5, 4), f32("0.bias", 5), f32("2.weight", 3, 5), {Name: "2.bias", DType: safetensors.I32, Shape: []int{3}, Data: make([]byte, 12)}}},
		{"bool dtype", "\tdtype BOOL for 2.bias",
			[]safetensors.Tensor{f32("0.weight", 5, 4), f32("0.bias", 5), f32("2.weight", 3, 5), {Name: "2.bias", DType: safetensors.BOOL, Shape: []int{3}, Data: make([]byte, 3)}}},
		{"nothing", "Missing key(s) in state_dict: \"0.weight\", \"0.bias\", \"2.weight\", \"2.bias\". ", nil},
	} {
		m := newModel(5)
		before := values(m)
		var buf bytes.Buffer
		if err := safetensors.Write(&buf, c.ts, nil); err != nil {
			t.Fatal(err)
		}
		err := layer.Load(&buf, m)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error\n%v\nwant\n%s", c.name, err, c.want)
		}
		unchanged(t, c.name, m, before)
	}
}

// TestLoadHostile loads every truncation of a real file and the file with
// each byte changed: an error or a whole load, never a panic, and after an
// error the model as it was.
func TestLoadHostile(t *testing.T) {
	good, err := os.ReadFile("testdata/mlp_a_f32.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	var cases []fileCase
	fixture.Load(t, "models.json", &cases)
	m := cases[0].build()
	before := values(m)
	for n := range len(good) {
		if err := layer.Load(bytes.NewReader(good[:n]), m); err == nil {
			t.Fatalf("the file cut at %d bytes loaded", n)
		}
		unchanged(t, "truncated", m, before)
	}
	for i := range len(good) {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(good)
			bad[i] ^= x
			m := cases[0].build()
			before := values(m)
			if err := layer.Load(bytes.NewReader(bad), m); err != nil {
				unchanged(t, "corrupted", m, before)
			}
		}
	}
}

// TestLoadTorchFormats: a torch.save zip goes to the torch reader, and so
// does the legacy format, which it refuses; neither is read as
// safetensors, and neither error changes the model.
func TestLoadTorchFormats(t *testing.T) {
	var cases []fileCase
	fixture.Load(t, "models.json", &cases)
	m := cases[0].build()
	before := values(m)
	var z bytes.Buffer
	w := zip.NewWriter(&z)
	f, _ := w.CreateHeader(&zip.FileHeader{Name: "archive/data.pkl", Method: zip.Store})
	f.Write([]byte("\x80\x02}q\x00."))
	w.Close()
	legacy := []byte("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.\x80\x02M\xe9\x03.")
	for _, c := range []struct {
		b    []byte
		want string
	}{
		{z.Bytes(), "Missing key(s) in state_dict"}, // an empty state_dict
		{legacy, "torchfile: this file is in torch's legacy format"},
	} {
		err := layer.Load(bytes.NewReader(c.b), m)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
		unchanged(t, "torch file", m, before)
	}
	if err := layer.LoadFile("testdata/no such file", m); err == nil {
		t.Error("no error for a missing file")
	}
}

// TestSaveRefuses: parameters without names, or two of the same name,
// cannot make a state_dict.
func TestSaveRefuses(t *testing.T) {
	g := layer.ManualSeed(4)
	l := layer.NewLinear(2, 2, g)
	l.Bias.Name = "weight"
	if err := layer.Save(&bytes.Buffer{}, l); err == nil || !strings.Contains(err.Error(), `two parameters are named "weight"`) {
		t.Errorf("error %v", err)
	}
	l.Bias.Name = ""
	if err := layer.Save(&bytes.Buffer{}, l); err == nil || !strings.Contains(err.Error(), "parameter 1 has no name") {
		t.Errorf("error %v", err)
	}
	if err := layer.SaveFile(filepath.Join(t.TempDir(), "no", "dir", "m.safetensors"), layer.NewLinear(2, 2, g)); err == nil {
		t.Error("no error for a missing directory")
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
