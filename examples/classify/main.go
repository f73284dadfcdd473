// Command classify loads a trained MLP, from pente or from PyTorch, and
// classifies handwritten digits with it: the held-out fifth of the UCI
// digits (every fifth image, as examples/digits splits them), printing the
// accuracy and a few predictions.
//
//	go run ./examples/digits -save digits.safetensors
//	go run ./examples/classify -model digits.safetensors
//	go run ./examples/classify -model examples/classify/testdata/torch_digits.safetensors
//
// The model file is a state_dict of an nn.Sequential of nn.Linear layers
// with nn.ReLU between them: a safetensors file (layer.SaveFile, or
// safetensors.torch.save_file(model.state_dict(), path) in PyTorch), or a
// torch.save(model.state_dict(), path) file once layer reads those. The
// architecture is read from the file: the weight of the Linear at index i
// is "i.weight", [out, in].
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/safetensors"
)

const (
	pixels  = 64
	classes = 10
)

func main() {
	model := flag.String("model", "digits.safetensors", "the model `file` (safetensors)")
	data := flag.String("data", "examples/digits/digits.csv.gz", "the digits, 64 pixels of 0..16 and a label per CSV line (gzipped or not)")
	show := flag.Int("show", 5, "how many predictions to print")
	flag.Parse()
	if _, err := classify(os.Stdout, *model, *data, *show); err != nil {
		fmt.Fprintln(os.Stderr, "classify:", err)
		os.Exit(1)
	}
}

// result is what classify found: its prediction for each test image.
type result struct {
	predictions []int
	accuracy    float64
}

// classify loads the model, classifies the held-out digits, prints the
// accuracy and the first show predictions to w.
func classify(w io.Writer, modelPath, dataPath string, show int) (*result, error) {
	model, err := loadModel(modelPath)
	if err != nil {
		return nil, err
	}
	x, labels, err := loadTest(dataPath)
	if err != nil {
		return nil, err
	}
	scores := model.Predict(x, nil) // with torch.no_grad(): model(x)
	res := &result{predictions: make([]int, len(labels))}
	right := 0
	for i, y := range labels {
		res.predictions[i] = argmax(scores.Row(i))
		if res.predictions[i] == y {
			right++
		}
	}
	res.accuracy = float64(right) / float64(len(labels))
	fmt.Fprintf(w, "%s: %v on %d held-out digits: accuracy %.1f%%\n", modelPath, architecture(model), len(labels), 100*res.accuracy)
	for i := range min(show, len(labels)) {
		p := softmax(scores.Row(i))
		k := res.predictions[i]
		fmt.Fprintf(w, "\nimage %d: label %d, predicted %d (p = %.3f)\n%s", i, labels[i], k, p[k], picture(x.Row(i)))
	}
	return res, nil
}

// loadModel builds the MLP that the file describes and loads it. The
// shapes come from the file's "<i>.weight" tensors; layer.LoadFile then
// checks every name and shape, as load_state_dict does.
func loadModel(path string) (*layer.Sequential, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	file, err := safetensors.Read(f, st.Size())
	f.Close()
	if err != nil {
		return nil, err
	}
	weights := map[int][]int{}
	for _, t := range file.Tensors {
		i, err := strconv.Atoi(strings.TrimSuffix(t.Name, ".weight"))
		if err == nil && strings.HasSuffix(t.Name, ".weight") && len(t.Shape) == 2 {
			weights[i] = t.Shape
		}
	}
	var at []int
	for i := range weights {
		at = append(at, i)
	}
	sort.Ints(at)
	var ls []layer.Layer
	in := pixels
	for k, i := range at {
		if i != 2*k {
			return nil, fmt.Errorf("%s: Linear layers at %v: want them at 0, 2, 4, … with a ReLU between", path, at)
		}
		if k > 0 {
			ls = append(ls, layer.NewReLU())
		}
		shape := weights[i]
		if shape[1] != in || shape[0] < 1 {
			return nil, fmt.Errorf("%s: %d.weight is %v: want %d inputs", path, i, shape, in)
		}
		ls = append(ls, layer.NewLinear(in, shape[0], nil))
		in = shape[0]
	}
	if in != classes {
		return nil, fmt.Errorf("%s: the model has %d outputs, want %d", path, in, classes)
	}
	model := layer.NewSequential(ls...)
	if err := layer.LoadFile(path, model); err != nil {
		return nil, err
	}
	return model, nil
}

// loadTest reads the digits and returns the held-out ones (index i with
// i%5 == 4), pixels scaled to [0, 1].
func loadTest(path string) (*mat.Dense, []int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var r io.Reader = bytes.NewReader(raw)
	if bytes.HasPrefix(raw, []byte{0x1f, 0x8b}) {
		if r, err = gzip.NewReader(r); err != nil {
			return nil, nil, err
		}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = pixels + 1
	var xs []float32
	var labels []int
	for i := 0; ; i++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", path, err)
		}
		if i%5 != 4 {
			continue
		}
		for _, f := range rec[:pixels] {
			v, err := strconv.Atoi(f)
			if err != nil || v < 0 || v > 16 {
				return nil, nil, fmt.Errorf("%s: bad pixel %q", path, f)
			}
			xs = append(xs, float32(v)/16)
		}
		y, err := strconv.Atoi(rec[pixels])
		if err != nil || y < 0 || y >= classes {
			return nil, nil, fmt.Errorf("%s: bad label %q", path, rec[pixels])
		}
		labels = append(labels, y)
	}
	if len(labels) == 0 {
		return nil, nil, fmt.Errorf("%s: no held-out images", path)
	}
	return mat.NewDense(len(labels), pixels, xs), labels, nil
}

func architecture(m *layer.Sequential) []int {
	sizes := []int{pixels}
	for _, l := range m.Layers {
		if lin, ok := l.(*layer.Linear); ok {
			sizes = append(sizes, lin.Out())
		}
	}
	return sizes
}

func argmax(p []float32) int {
	best := 0
	for j, v := range p {
		if v > p[best] {
			best = j
		}
	}
	return best
}

func softmax(s []float32) []float64 {
	m := float64(s[argmax(s)])
	p := make([]float64, len(s))
	sum := 0.0
	for j, v := range s {
		p[j] = math.Exp(float64(v) - m)
		sum += p[j]
	}
	for j := range p {
		p[j] /= sum
	}
	return p
}

// picture draws an 8×8 image in characters, darker for more ink.
func picture(x []float32) string {
	const shades = " .:-=+*#%@"
	var b strings.Builder
	for r := range 8 {
		b.WriteString("  ")
		for c := range 8 {
			k := int(x[8*r+c] * float32(len(shades)-1))
			b.WriteByte(shades[k])
			b.WriteByte(shades[k])
		}
		b.WriteByte('\n')
	}
	return b.String()
}
