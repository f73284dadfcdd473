package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
)

// Write writes tensors and metadata to w as a safetensors file: the
// header's length, the header (the metadata first, under __metadata__,
// its keys sorted; then the tensors in the order given, their data one
// after another from offset 0), padded with spaces to a multiple of 8
// bytes, then the data. A nil or empty metadata writes no __metadata__.
// The bytes are the same on every machine, big-endian ones included:
// Data is taken as it is, little-endian by contract.
//
// Write returns an error, and writes nothing, if a name is empty, is
// __metadata__ or appears twice, if a dtype is unknown, a dimension
// negative, or len(Data) is not prod(Shape)·DType.Size(); otherwise it
// returns w's first error.
func Write(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	header, err := encodeHeader(tensors, metadata)
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	for _, t := range tensors {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

// encodeHeader checks the tensors and returns the padded JSON header.
func encodeHeader(tensors []Tensor, metadata map[string]string) ([]byte, error) {
	var b bytes.Buffer
	str := func(s string) { // a JSON string; <, > and & as they are
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		e.Encode(s)             // a string always encodes
		b.Truncate(b.Len() - 1) // Encode's newline
	}
	b.WriteByte('{')
	if len(metadata) > 0 {
		str(metadataKey)
		b.WriteString(":{")
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			str(k)
			b.WriteByte(':')
			str(metadata[k])
		}
		b.WriteByte('}')
	}
	seen := make(map[string]bool, len(tensors))
	var off uint64
	for i, t := range tensors {
		switch {
		case t.Name == "":
			return nil, fmt.Errorf("safetensors: tensor %d has no name", i)
		case t.Name == metadataKey:
			return nil, fmt.Errorf("safetensors: tensor %d is named %s, the metadata's key", i, metadataKey)
		case seen[t.Name]:
			return nil, fmt.Errorf("safetensors: two tensors are named %q", t.Name)
		case t.DType.Size() == 0:
			return nil, fmt.Errorf("safetensors: tensor %q: unknown dtype %q", t.Name, t.DType)
		}
		seen[t.Name] = true
		need, ok := nbytes(t.DType, t.Shape)
		if !ok {
			return nil, fmt.Errorf("safetensors: tensor %q: %s %v has a negative dimension or overflows", t.Name, t.DType, shapeString(t.Shape))
		}
		if uint64(len(t.Data)) != need {
			return nil, fmt.Errorf("safetensors: tensor %q: Data holds %d bytes but %s %v needs %d", t.Name, len(t.Data), t.DType, shapeString(t.Shape), need)
		}
		if len(metadata) > 0 || i > 0 {
			b.WriteByte(',')
		}
		str(t.Name)
		b.WriteString(`:{"dtype":`)
		str(string(t.DType))
		b.WriteString(`,"shape":[`)
		for j, s := range t.Shape {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(s))
		}
		end := off + need // cannot overflow: the lengths of slices in memory
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, off, end)
		off = end
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	if b.Len() > MaxHeaderSize {
		return nil, fmt.Errorf("safetensors: header of %d bytes is more than the limit of %d", b.Len(), MaxHeaderSize)
	}
	return b.Bytes(), nil
}

// WriteFile writes tensors and metadata (see [Write]) to the file path,
// atomically: into a new temporary file in the same directory, which is
// synced to disk, closed and renamed to path, and then the directory is
// synced, so that path holds either its old content or the whole new
// file, even after a crash. On any error the temporary file is removed
// and path is left as it was. The file gets the permissions of the file
// it replaces, or 0644 if there is none.
func WriteFile(path string, tensors []Tensor, metadata map[string]string) error {
	return writeFile(path, tensors, metadata, func(dir, pattern string) (tempFile, error) {
		return os.CreateTemp(dir, pattern)
	})
}

// tempFile is what writeFile needs of the temporary file; tests give it
// files that fail.
type tempFile interface {
	io.Writer
	Sync() error
	Close() error
	Chmod(mode os.FileMode) error
	Name() string
}

// writeFile is WriteFile with the temporary file made by create.
func writeFile(path string, tensors []Tensor, metadata map[string]string, create func(dir, pattern string) (tempFile, error)) (err error) {
	if _, err := encodeHeader(tensors, metadata); err != nil {
		return err // before any file is made
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("safetensors: %s is not a regular file", path)
		}
		mode = st.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := create(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close() // a second Close only returns an error
			os.Remove(tmp)
		}
	}()
	if err := Write(f, tensors, metadata); err != nil {
		return fmt.Errorf("safetensors: writing %s: %w", tmp, err)
	}
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Windows cannot sync a directory,
// and its renames need no such step.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("safetensors: syncing directory %s: %w", dir, err)
	}
	return nil
}
