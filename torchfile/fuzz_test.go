package torchfile

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// seeds are the files torch wrote, and the data.pkl of each zip.
func seeds(f *testing.F) (files, pickles [][]byte) {
	names, err := filepath.Glob("testdata/*.pt")
	if err != nil || len(names) == 0 {
		f.Fatal("no seed files", err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, b)
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			continue // legacy.pt
		}
		for _, e := range zr.File {
			if filepath.Base(e.Name) == "data.pkl" {
				rc, err := e.Open()
				if err != nil {
					f.Fatal(err)
				}
				var buf bytes.Buffer
				buf.ReadFrom(rc)
				pickles = append(pickles, buf.Bytes())
			}
		}
	}
	return files, pickles
}

// FuzzUnpickle runs the unpickler on any bytes: an error or a value, never
// a panic, and never more charged than the budget.
func FuzzUnpickle(f *testing.F) {
	_, pickles := seeds(f)
	for _, p := range pickles {
		f.Add(p)
	}
	f.Add(goodPickle)
	f.Fuzz(func(t *testing.T, data []byte) {
		u := &unpickler{data: data, limit: budget(len(data))}
		v, err := u.run()
		if u.spent > u.limit+1<<16 {
			t.Fatalf("charged %d, budget %d", u.spent, u.limit)
		}
		if err == nil {
			// The state_dict checks must not panic either.
			if d, ok := v.(*dict); ok {
				for _, x := range d.vals {
					if tr, ok := x.(*tensorRef); ok {
						tr.span()
					}
				}
			}
		}
	})
}

// FuzzRead runs Read on any bytes: an error, or tensors whose bytes match
// their dtype and shape.
func FuzzRead(f *testing.F) {
	files, _ := seeds(f)
	for _, b := range files {
		f.Add(b)
	}
	f.Add(stateDict(f, goodPickle))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := readBytes(data)
		if err != nil {
			if ts != nil {
				t.Fatal("tensors with an error")
			}
			return
		}
		var total int
		for _, x := range ts {
			n := map[string]int{"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}[x.DType]
			if n == 0 {
				t.Fatalf("%s: dtype %q", x.Name, x.DType)
			}
			for _, d := range x.Shape {
				n *= d
			}
			if n != len(x.Data) {
				t.Fatalf("%s: %d bytes for %s %v", x.Name, len(x.Data), x.DType, x.Shape)
			}
			total += n
		}
		if total > maxOutput*len(data) {
			t.Fatalf("%d bytes of tensors from %d", total, len(data))
		}
	})
}
