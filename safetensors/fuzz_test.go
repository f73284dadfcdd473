package safetensors

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead gives Read arbitrary files, seeded with real ones (written by
// internal/gen from torch tensors) and the hostile cases. Read must never
// panic; what it accepts must be consistent (every tensor's Data as long
// as its dtype and shape say) and survive a Write and a second Read
// unchanged.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.safetensors")
	more, _ := filepath.Glob("../layer/testdata/*.safetensors")
	for _, name := range append(seeds, more...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, c := range hostile {
		f.Add(c.file)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if file != nil {
				t.Fatal("a File with an error")
			}
			return
		}
		total := 0
		for _, ts := range file.Tensors {
			n, ok := nbytes(ts.DType, ts.Shape)
			if !ok || uint64(len(ts.Data)) != n {
				t.Fatalf("tensor %q: %s %v with %d bytes", ts.Name, ts.DType, ts.Shape, len(ts.Data))
			}
			total += len(ts.Data)
		}
		if total > len(b) {
			t.Fatalf("%d bytes of tensors in a file of %d", total, len(b))
		}
		var w bytes.Buffer
		if err := Write(&w, file.Tensors, file.Metadata); err != nil {
			t.Fatalf("Write of what Read accepted: %v", err)
		}
		again, err := Read(bytes.NewReader(w.Bytes()), int64(w.Len()))
		if err != nil {
			t.Fatalf("Read of what Write wrote: %v", err)
		}
		if !sameFile(file, again) {
			t.Fatal("Write and Read changed the file")
		}
	})
}
