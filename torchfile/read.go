package torchfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
)

// Tensor is one entry of a state_dict: contiguous, row-major, little-endian bytes.
type Tensor struct {
	Name  string
	DType string // safetensors' names: "F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"
	Shape []int
	Data  []byte
}

// IsZip reports whether head (the first bytes of a file) starts a zip archive, as torch.save's files do.
func IsZip(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04"))
}

// legacyMagic starts a file torch.save wrote in its legacy format (torch
// < 1.6, or _use_new_zipfile_serialization=False): PROTO 2, then LONG1 of
// the magic number 0x1950a86a20f9469cfc6c.
var legacyMagic = []byte("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19")

// maxOutput is how many times the file's size the tensors' bytes may take
// in all: views of one storage (the same tensor under two names, an
// expanded view) make more bytes than the file holds, but never this many
// in a state_dict.
const maxOutput = 4

// Read reads a state_dict saved by torch.save; the tensors in the state_dict's order.
func Read(r io.ReaderAt, size int64) ([]Tensor, error) {
	ts, err := read(r, size)
	if err != nil {
		return nil, fmt.Errorf("torchfile: %w", err)
	}
	return ts, nil
}

func read(r io.ReaderAt, size int64) ([]Tensor, error) {
	if size < 0 {
		return nil, fmt.Errorf("negative size %d", size)
	}
	head := make([]byte, len(legacyMagic))
	n, err := r.ReadAt(head, 0)
	if n < len(head) && err != nil && err != io.EOF {
		return nil, err
	}
	head = head[:n]
	if !IsZip(head) {
		if bytes.HasPrefix(head, legacyMagic) {
			return nil, errors.New("this file is in torch's legacy format (torch < 1.6, or _use_new_zipfile_serialization=False): load it in torch and save it again with torch.save")
		}
		return nil, errors.New("not a zip archive, as torch.save (torch ≥ 1.6) writes")
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // checked below, whatever GODEBUG says
		return nil, fmt.Errorf("not a valid zip archive: %w", err)
	}
	a, err := openArchive(zr, size)
	if err != nil {
		return nil, err
	}
	pkl, err := a.read(a.top + "/data.pkl")
	if err != nil {
		return nil, err
	}
	v, err := unpickle(pkl)
	if err != nil {
		if class, ok := module(pkl, err); ok {
			return nil, fmt.Errorf("this is a pickled nn.Module (%s), not a state_dict: save model.state_dict()", class)
		}
		return nil, err
	}
	pkl = nil
	return a.tensors(v)
}

// archive is the zip of a torch.save file, checked.
type archive struct {
	top       string               // the top folder
	files     map[string]*zip.File // by name
	size      int64                // of the file
	claimed   int64                // bytes of the entries read so far
	bigEndian bool
}

func openArchive(zr *zip.Reader, size int64) (*archive, error) {
	a := &archive{files: make(map[string]*zip.File, len(zr.File)), size: size}
	var tops []string
	for _, f := range zr.File {
		name := f.Name
		dir := strings.HasSuffix(name, "/")
		clean := strings.TrimSuffix(name, "/")
		if !fs.ValidPath(clean) || clean == "." || strings.Contains(name, `\`) {
			return nil, fmt.Errorf("entry %q is outside the archive", name)
		}
		if _, dup := a.files[name]; dup {
			return nil, fmt.Errorf("entry %q appears twice", name)
		}
		a.files[name] = f
		top, rest, ok := strings.Cut(clean, "/")
		if !ok && !dir {
			return nil, fmt.Errorf("entry %q is not in a top folder", name)
		}
		if rest == "data.pkl" {
			tops = append(tops, top)
		}
	}
	if len(tops) > 1 {
		return nil, fmt.Errorf("a data.pkl in more than one top folder (%s)", strings.Join(tops, ", "))
	}
	if len(tops) == 1 {
		a.top = tops[0]
	} else if len(zr.File) > 0 {
		a.top, _, _ = strings.Cut(zr.File[0].Name, "/")
	}
	for _, f := range zr.File {
		if top, _, _ := strings.Cut(f.Name, "/"); top != a.top {
			return nil, fmt.Errorf("entry %q is outside the top folder %q", f.Name, a.top)
		}
	}
	switch {
	case a.files[a.top+"/constants.pkl"] != nil || a.files[a.top+"/code/"] != nil || hasPrefix(a.files, a.top+"/code/"):
		return nil, errors.New("this is a TorchScript archive (torch.jit.save), not a state_dict: save model.state_dict() with torch.save")
	case len(tops) == 0:
		return nil, errors.New("no data.pkl in the archive")
	}
	if f := a.files[a.top+"/byteorder"]; f != nil {
		b, err := a.read(f.Name)
		if err != nil {
			return nil, err
		}
		switch string(bytes.TrimSpace(b)) {
		case "little":
		case "big":
			a.bigEndian = true
		default:
			return nil, fmt.Errorf("%s is %q, not little or big", f.Name, b)
		}
	}
	return a, nil
}

func hasPrefix(files map[string]*zip.File, prefix string) bool {
	for name := range files {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// read returns the bytes of the entry name, checked against its CRC-32.
// The entry must be stored (torch.save never compresses), and all entries
// read from one archive may not claim more bytes than the file holds (so
// that entries whose data overlap cannot multiply it).
func (a *archive) read(name string) ([]byte, error) {
	f := a.files[name]
	if f == nil {
		return nil, fmt.Errorf("%s is missing", name)
	}
	if f.Method != zip.Store {
		return nil, fmt.Errorf("%s is compressed (method %d): torch.save stores its entries uncompressed", name, f.Method)
	}
	n := f.UncompressedSize64
	if f.CompressedSize64 != n {
		return nil, fmt.Errorf("%s is stored with %d bytes but claims %d", name, f.CompressedSize64, n)
	}
	if n > uint64(a.size-a.claimed) {
		return nil, fmt.Errorf("%s claims %d bytes: more than the file holds", name, n)
	}
	a.claimed += int64(n)
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer rc.Close()
	b := make([]byte, n)
	if _, err := io.ReadFull(rc, b); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// At its end, archive/zip checks the CRC-32.
	for {
		var one [1]byte
		m, err := rc.Read(one[:])
		if m > 0 {
			return nil, fmt.Errorf("%s is longer than it claims", name)
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
}

// tensors turns the unpickled state_dict into Tensors, reading each storage
// once.
func (a *archive) tensors(v any) ([]Tensor, error) {
	d, ok := v.(*dict)
	if !ok {
		return nil, fmt.Errorf("data.pkl holds a %s, not a state_dict (a dict of tensors)", kind(v))
	}
	type storage struct {
		ref   *storageRef
		uses  int
		bytes []byte
	}
	storages := map[string]*storage{}
	numels := make([]int, len(d.keys))
	for i, name := range d.keys {
		t, ok := d.vals[i].(*tensorRef)
		if !ok {
			return nil, fmt.Errorf("state_dict[%q] is a %s, not a tensor", name, kind(d.vals[i]))
		}
		s := storages[t.storage.key]
		if s == nil {
			s = &storage{ref: t.storage}
			storages[t.storage.key] = s
		} else if *s.ref != *t.storage {
			return nil, fmt.Errorf("state_dict[%q]: storage %s is a %s of %d elements, and elsewhere a %s of %d",
				name, t.storage.key, dtypes[t.storage.dtype].storage, t.storage.numel, dtypes[s.ref.dtype].storage, s.ref.numel)
		}
		s.uses++
		n, err := t.span()
		if err != nil {
			return nil, fmt.Errorf("state_dict[%q]: %w", name, err)
		}
		numels[i] = n
	}
	// The storages, checked against the sizes the pickle gives them, in
	// the order of their keys (the order torch writes them).
	keys := make([]string, 0, len(storages))
	for k := range storages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := storages[k]
		name := a.top + "/data/" + k
		f := a.files[name]
		if f == nil {
			return nil, fmt.Errorf("storage %s (%s) is missing", k, name)
		}
		size := dtypes[s.ref.dtype].size
		if f.UncompressedSize64%uint64(size) != 0 || f.UncompressedSize64/uint64(size) != uint64(s.ref.numel) {
			return nil, fmt.Errorf("%s holds %d bytes, but the pickle makes it a %s of %d elements (%d bytes each)",
				name, f.UncompressedSize64, dtypes[s.ref.dtype].storage, s.ref.numel, size)
		}
		b, err := a.read(name)
		if err != nil {
			return nil, err
		}
		if a.bigEndian {
			swap(b, size)
		}
		s.bytes = b
	}
	out := make([]Tensor, len(d.keys))
	var total uint64
	for i, name := range d.keys {
		t := d.vals[i].(*tensorRef)
		s := storages[t.storage.key]
		size := dtypes[t.storage.dtype].size
		n := numels[i] * size
		total += uint64(n)
		if total > maxOutput*uint64(a.size) {
			return nil, fmt.Errorf("the tensors take more than %d times the file's %d bytes", maxOutput, a.size)
		}
		shape := make([]int, len(t.shape))
		for j, x := range t.shape {
			shape[j] = int(x) // x ≤ numel, which fits in an int (span)
		}
		out[i] = Tensor{Name: name, DType: dtypes[t.storage.dtype].name, Shape: shape}
		if s.uses == 1 && t.offset == 0 && n == len(s.bytes) && t.contiguous() {
			out[i].Data = s.bytes // the whole storage, which nothing else uses
			continue
		}
		out[i].Data = make([]byte, n)
		t.gather(out[i].Data, s.bytes)
	}
	return out, nil
}

// swap reverses the bytes of each element of b.
func swap(b []byte, size int) {
	for i := 0; i+size <= len(b); i += size {
		for j, k := i, i+size-1; j < k; j, k = j+1, k-1 {
			b[j], b[k] = b[k], b[j]
		}
	}
}

// module tells, for the error only, whether a pickle that failed on a
// forbidden global is a whole nn.Module, and names the global: a class of
// torch.nn, or any class with a module's attributes (the first global such
// a pickle names is the module's class).
func module(pkl []byte, err error) (string, bool) {
	var fg *forbiddenGlobal
	if !errors.As(err, &fg) {
		return "", false
	}
	return fg.name, strings.HasPrefix(fg.name, "torch.nn.modules.") ||
		bytes.Contains(pkl, []byte("_parameters")) && bytes.Contains(pkl, []byte("_modules"))
}
