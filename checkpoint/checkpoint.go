// Package checkpoint saves a training run so that it resumes bit for bit:
// a model's parameters, an optimizer's state (SGD's momentum buffers, or
// any [sgd.Stateful]), a step counter and the caller's metadata, in one
// safetensors file, written atomically and read back all or nothing.
//
//	PyTorch: torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)
//	pente:   err := checkpoint.Save(path, model, optimizer, checkpoint.Info{Step: step})
//	         info, err := checkpoint.Load(path, model, optimizer)
//
// Training N steps, saving, loading into a new model and a new optimizer
// (made with the same Config) and training M more gives the same bits as
// N+M steps without a pause.
//
// # The file
//
// A safetensors file (see package safetensors) holding:
//
//	model.<name>        F32, torch's shape    each parameter, as layer.StateDict names it ("model.0.weight")
//	optimizer.<name>    F32 [n]               each vector of the optimizer's State ("optimizer.0.momentum_buffer")
//	optimizer.<name>    I64 []                each counter of its State
//	step                I64 []                Info.Step
//
// and the metadata Info.Metadata plus "pente.checkpoint": "1", which marks
// the file; metadata keys starting with "pente." are reserved.
package checkpoint

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/safetensors"
	"github.com/pente-go/pente/sgd"
)

// Info is what a checkpoint holds besides the model and the optimizer.
type Info struct {
	Step     int64             // the training step, or any counter the caller keeps
	Metadata map[string]string // the caller's; keys starting with "pente." are reserved
}

const (
	markKey     = "pente.checkpoint"
	markVersion = "1"
	modelPrefix = "model."
	optPrefix   = "optimizer."
	stepName    = "step"
)

// tensors returns the file's tensors and metadata for a checkpoint.
func tensors(model layer.Layer, opt sgd.Stateful, info Info) ([]safetensors.Tensor, map[string]string, error) {
	meta := make(map[string]string, len(info.Metadata)+1)
	for k, v := range info.Metadata {
		if strings.HasPrefix(k, "pente.") {
			return nil, nil, fmt.Errorf("checkpoint: metadata key %q: keys starting with \"pente.\" are reserved", k)
		}
		meta[k] = v
	}
	meta[markKey] = markVersion
	ts, err := layer.StateDict(model)
	if err != nil {
		return nil, nil, err
	}
	for i := range ts {
		ts[i].Name = modelPrefix + ts[i].Name
	}
	if opt != nil {
		vecs, counters := opt.State()
		for _, name := range sorted(vecs) {
			v := vecs[name]
			ts = append(ts, safetensors.Tensor{Name: optPrefix + name, DType: safetensors.F32, Shape: []int{len(v)}, Data: safetensors.EncodeFloat32(v)})
		}
		for _, name := range sorted(counters) {
			ts = append(ts, int64Tensor(optPrefix+name, counters[name]))
		}
	}
	ts = append(ts, int64Tensor(stepName, info.Step))
	return ts, meta, nil
}

func int64Tensor(name string, v int64) safetensors.Tensor {
	return safetensors.Tensor{Name: name, DType: safetensors.I64, Shape: []int{}, Data: binary.LittleEndian.AppendUint64(nil, uint64(v))}
}

// Save writes a checkpoint of model, opt (nil for none) and info to path,
// atomically (see safetensors.WriteFile): if anything fails, path keeps
// its old content and no temporary file remains.
func Save(path string, model layer.Layer, opt sgd.Stateful, info Info) error {
	ts, meta, err := tensors(model, opt, info)
	if err != nil {
		return err
	}
	return safetensors.WriteFile(path, ts, meta)
}

// Write writes a checkpoint to w (see [Save]).
func Write(w io.Writer, model layer.Layer, opt sgd.Stateful, info Info) error {
	ts, meta, err := tensors(model, opt, info)
	if err != nil {
		return err
	}
	return safetensors.Write(w, ts, meta)
}

// Load reads the checkpoint at path into model and opt and returns its
// Info. The model must have the architecture that was saved (strict, as
// layer.LoadStateDict), and opt, if not nil, must accept the saved state
// (an optimizer of the same kind over the same parameters; its Config is
// the caller's, as torch's param_groups are restored by constructing the
// optimizer with the same arguments). A nil opt ignores the optimizer's
// state, to take only the model. On any error, model and opt are left as
// they were.
func Load(path string, model layer.Layer, opt sgd.Stateful) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, fmt.Errorf("checkpoint: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("checkpoint: %w", err)
	}
	return read(f, st.Size(), model, opt)
}

// Read reads a checkpoint from r, to its end, as [Load] does.
func Read(r io.Reader, model layer.Layer, opt sgd.Stateful) (Info, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return Info{}, fmt.Errorf("checkpoint: %w", err)
	}
	return read(bytes.NewReader(b), int64(len(b)), model, opt)
}

func read(r io.ReaderAt, size int64, model layer.Layer, opt sgd.Stateful) (Info, error) {
	f, err := safetensors.Read(r, size)
	if err != nil {
		return Info{}, err
	}
	if f.Metadata[markKey] != markVersion {
		return Info{}, errors.New("checkpoint: not a pente checkpoint (no \"pente.checkpoint\": \"1\" in the metadata)")
	}
	info := Info{Metadata: make(map[string]string, len(f.Metadata)-1)}
	for k, v := range f.Metadata {
		if k != markKey {
			info.Metadata[k] = v
		}
	}
	var params []safetensors.Tensor
	vecs, counters := map[string][]float32{}, map[string]int64{}
	haveStep := false
	for _, t := range f.Tensors {
		switch {
		case t.Name == stepName:
			v, err := scalar(t)
			if err != nil {
				return Info{}, err
			}
			info.Step, haveStep = v, true
		case strings.HasPrefix(t.Name, modelPrefix):
			t.Name = strings.TrimPrefix(t.Name, modelPrefix)
			params = append(params, t)
		case strings.HasPrefix(t.Name, optPrefix):
			name := strings.TrimPrefix(t.Name, optPrefix)
			switch {
			case t.DType == safetensors.I64:
				v, err := scalar(t)
				if err != nil {
					return Info{}, err
				}
				counters[name] = v
			case t.DType == safetensors.F32 && len(t.Shape) == 1:
				v, _ := t.Float32s() // F32: cannot fail
				vecs[name] = v
			default:
				return Info{}, fmt.Errorf("checkpoint: %q is %s %v; optimizer state is F32 vectors and I64 scalars", t.Name, t.DType, t.Shape)
			}
		default:
			return Info{}, fmt.Errorf("checkpoint: unexpected tensor %q", t.Name)
		}
	}
	if !haveStep {
		return Info{}, errors.New("checkpoint: no step")
	}
	// The model is loaded all or nothing; if the optimizer then refuses
	// its state, the model gets its old values back.
	old := snapshot(model)
	if err := layer.LoadStateDict(model, params); err != nil {
		return Info{}, fmt.Errorf("checkpoint: %w", err)
	}
	if opt != nil {
		if err := opt.SetState(vecs, counters); err != nil {
			restore(model, old)
			return Info{}, fmt.Errorf("checkpoint: %w", err)
		}
	}
	return info, nil
}

// scalar decodes an I64 tensor of shape [].
func scalar(t safetensors.Tensor) (int64, error) {
	if t.DType != safetensors.I64 || len(t.Shape) != 0 {
		return 0, fmt.Errorf("checkpoint: %q is %s %v, want I64 []", t.Name, t.DType, t.Shape)
	}
	return int64(binary.LittleEndian.Uint64(t.Data)), nil // Read checked: 8 bytes
}

func snapshot(m layer.Layer) [][]float32 {
	var vs [][]float32
	for _, p := range m.Params() {
		var v []float32
		if p != nil && p.Value != nil && p.Value.Valid() {
			for r := range p.Value.Rows {
				v = append(v, p.Value.Row(r)...)
			}
		}
		vs = append(vs, v)
	}
	return vs
}

func restore(m layer.Layer, vs [][]float32) {
	for i, p := range m.Params() {
		cols := p.Value.Cols
		for r := range p.Value.Rows {
			copy(p.Value.Row(r), vs[i][r*cols:(r+1)*cols])
		}
	}
}

func sorted[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
