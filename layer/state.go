package layer

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/pente-go/pente/safetensors"
	"github.com/pente-go/pente/torchfile"
)

// StateDict returns the parameters of m as named tensors, torch's
// model.state_dict(): one F32 tensor per Param, in the order of Params,
// named by Param.Name and shaped as [Param.Shape] says (a Linear's weight
// [out, in], its bias [out]), the values copied. It returns an error if a
// parameter has no name, two have the same name, or a Value is malformed.
func StateDict(m Layer) ([]safetensors.Tensor, error) {
	params := m.Params()
	ts := make([]safetensors.Tensor, 0, len(params))
	seen := make(map[string]bool, len(params))
	for i, p := range params {
		switch {
		case p == nil || p.Value == nil:
			return nil, fmt.Errorf("layer: parameter %d is nil or has no Value", i)
		case p.Name == "":
			return nil, fmt.Errorf("layer: parameter %d has no name", i)
		case seen[p.Name]:
			return nil, fmt.Errorf("layer: two parameters are named %q", p.Name)
		}
		if err := p.Value.Check(); err != nil {
			return nil, fmt.Errorf("layer: parameter %q: %v", p.Name, err)
		}
		seen[p.Name] = true
		data := make([]byte, 0, 4*p.Value.Rows*p.Value.Cols)
		for r := range p.Value.Rows {
			data = append(data, safetensors.EncodeFloat32(p.Value.Row(r))...)
		}
		ts = append(ts, safetensors.Tensor{Name: p.Name, DType: safetensors.F32, Shape: p.Shape(), Data: data})
	}
	return ts, nil
}

// Save writes the parameters of m to w as a safetensors file (see
// [SaveFile]).
func Save(w io.Writer, m Layer) error {
	ts, err := StateDict(m)
	if err != nil {
		return err
	}
	return safetensors.Write(w, ts, nil)
}

// SaveFile writes the parameters of m as a safetensors file: one F32
// tensor per Param, named by Param.Name ("0.weight", "2.bias" — torch's
// state_dict keys), in torch's shapes (Linear weight [out, in], bias
// [out]), atomically: a temporary file in the same directory, fsync,
// rename, fsync of the directory (see [safetensors.WriteFile]). If
// anything fails, path keeps its old content and no temporary file
// remains. PyTorch reads the file with safetensors.torch.load_file and
// model.load_state_dict.
func SaveFile(path string, m Layer) error {
	ts, err := StateDict(m)
	if err != nil {
		return err
	}
	return safetensors.WriteFile(path, ts, nil)
}

// LoadFile reads a state_dict into m's parameters, from a safetensors file
// or from a file written by torch.save(model.state_dict(), path) (the zip
// format torch ≥ 1.6 writes), telling them apart by content. Strict like
// load_state_dict: every parameter present with its shape, no unexpected
// key; the error lists missing, unexpected and mismatched keys as torch
// does. F32, F64, F16 and BF16 tensors are converted to float32 (round to
// nearest even); integer and bool tensors are an error. Values are copied
// into the existing Value matrices, whose memory stays the model's (an
// optimizer may share it). On any error m is unchanged.
func LoadFile(path string, m Layer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("layer: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("layer: %w", err)
	}
	ts, err := readTensors(f, st.Size())
	if err != nil {
		return err
	}
	return LoadStateDict(m, ts)
}

// Load is LoadFile reading from r, to its end.
func Load(r io.Reader, m Layer) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("layer: %w", err)
	}
	ts, err := readTensors(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	return LoadStateDict(m, ts)
}

// zipMagic starts a zip archive, which torch.save writes since torch 1.6.
// legacyMagic starts the format before it: pickle protocol 2 and torch's
// magic number 0x1950a86a20f9469cfc6c as a LONG1 (a safetensors header
// length that begins so would be above 100 MB).
const (
	zipMagic    = "PK\x03\x04"
	legacyMagic = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"
)

// readTensors reads the named tensors of a file of either format, deciding
// by its first bytes.
func readTensors(r io.ReaderAt, size int64) ([]safetensors.Tensor, error) {
	head := make([]byte, min(size, int64(len(legacyMagic))))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("layer: %w", err)
	}
	if bytes.HasPrefix(head, []byte(zipMagic)) || bytes.Equal(head, []byte(legacyMagic)) {
		return loadTorch(r, size)
	}
	f, err := safetensors.Read(r, size)
	if err != nil {
		return nil, err
	}
	return f.Tensors, nil
}

// loadTorch reads the tensors of a torch.save file: a zip archive, or the
// legacy format, which it must refuse with a clear error. The tensors it
// returns are as safetensors would hold them: name, dtype, shape and
// contiguous little-endian bytes, the views of a storage resolved.
func loadTorch(r io.ReaderAt, size int64) ([]safetensors.Tensor, error) {
	tt, err := torchfile.Read(r, size)
	if err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	ts := make([]safetensors.Tensor, len(tt))
	for i, t := range tt {
		ts[i] = safetensors.Tensor{Name: t.Name, DType: safetensors.DType(t.DType), Shape: t.Shape, Data: t.Data}
	}
	return ts, nil
}

// LoadStateDict copies named tensors into m's parameters, as
// model.load_state_dict(state_dict) does with strict=True: every
// parameter of m must have a tensor of its name and its shape
// ([Param.Shape]), and every tensor a parameter. F32, F64, F16 and BF16
// tensors are converted to float32 (see [safetensors.Tensor.Float32s]);
// other dtypes are an error. The values are copied into the existing
// Value matrices; nothing else of m changes, and on any error nothing at
// all. The error lists every problem as torch's RuntimeError does:
//
//	layer: Error(s) in loading state_dict for Sequential:
//		Missing key(s) in state_dict: "2.weight", "2.bias".
//		Unexpected key(s) in state_dict: "3.weight".
//		size mismatch for 0.weight: copying a param with shape torch.Size([8, 15]) from checkpoint, the shape in current model is torch.Size([8, 16]).
//		dtype I64 for 0.bias: only F32, F64, F16 and BF16 tensors load into float32 parameters.
func LoadStateDict(m Layer, tensors []safetensors.Tensor) error {
	params := m.Params()
	byName := make(map[string]*safetensors.Tensor, len(tensors))
	for i := range tensors {
		t := &tensors[i]
		if _, ok := byName[t.Name]; ok {
			return fmt.Errorf("layer: the state_dict has two tensors named %q", t.Name)
		}
		byName[t.Name] = t
	}
	var missing, mismatched []string
	values := make([][]float32, len(params))
	known := make(map[string]bool, len(params))
	for i, p := range params {
		if p == nil || p.Value == nil {
			return fmt.Errorf("layer: parameter %d is nil or has no Value", i)
		}
		if known[p.Name] {
			return fmt.Errorf("layer: two parameters of the model are named %q", p.Name)
		}
		if err := p.Value.Check(); err != nil {
			return fmt.Errorf("layer: parameter %q: %v", p.Name, err)
		}
		known[p.Name] = true
		t, ok := byName[p.Name]
		if !ok {
			missing = append(missing, p.Name)
			continue
		}
		if want := p.Shape(); !slices.Equal(t.Shape, want) {
			mismatched = append(mismatched, fmt.Sprintf("size mismatch for %s: copying a param with shape %s from checkpoint, the shape in current model is %s.",
				p.Name, torchSize(t.Shape), torchSize(want)))
			continue
		}
		if !t.DType.IsFloat() {
			mismatched = append(mismatched, fmt.Sprintf("dtype %s for %s: only F32, F64, F16 and BF16 tensors load into float32 parameters.", t.DType, p.Name))
			continue
		}
		v, err := t.Float32s()
		if err != nil || len(v) != p.Value.Rows*p.Value.Cols {
			mismatched = append(mismatched, fmt.Sprintf("%s: %d bytes of %s do not hold %s.", p.Name, len(t.Data), t.DType, torchSize(t.Shape)))
			continue
		}
		values[i] = v
	}
	var unexpected []string
	for _, t := range tensors {
		if !known[t.Name] {
			unexpected = append(unexpected, t.Name)
		}
	}
	if len(missing)+len(unexpected)+len(mismatched) > 0 {
		var msgs []string
		if len(missing) > 0 {
			msgs = append(msgs, "Missing key(s) in state_dict: "+quoteAll(missing)+". ")
		}
		if len(unexpected) > 0 {
			msgs = append(msgs, "Unexpected key(s) in state_dict: "+quoteAll(unexpected)+". ")
		}
		msgs = append(msgs, mismatched...)
		return fmt.Errorf("layer: Error(s) in loading state_dict for %s:\n\t%s", className(m), strings.Join(msgs, "\n\t"))
	}
	for i, p := range params {
		v, cols := values[i], p.Value.Cols
		for r := range p.Value.Rows {
			copy(p.Value.Row(r), v[r*cols:(r+1)*cols])
		}
	}
	return nil
}

// torchSize formats a shape as torch prints it: torch.Size([8, 16]).
func torchSize(shape []int) string {
	s := strings.Trim(strings.ReplaceAll(fmt.Sprint(shape), " ", ", "), "[]")
	return "torch.Size([" + s + "])"
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	return strings.Join(q, ", ")
}

// className is the model's type name, as torch names the module's class.
func className(m Layer) string {
	t := reflect.TypeOf(m)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" {
		return t.String()
	}
	return t.Name()
}
