package safetensors

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteRefuses(t *testing.T) {
	f32 := func(n int) []byte { return make([]byte, 4*n) }
	for _, c := range []struct {
		name, want string
		ts         []Tensor
	}{
		{"no name", "tensor 0 has no name", []Tensor{{DType: F32, Shape: []int{1}, Data: f32(1)}}},
		{"metadata's name", "the metadata's key", []Tensor{{Name: "__metadata__", DType: F32, Shape: []int{1}, Data: f32(1)}}},
		{"twice", `two tensors are named "a"`, []Tensor{{Name: "a", DType: F32, Shape: []int{1}, Data: f32(1)}, {Name: "a", DType: F32, Shape: []int{1}, Data: f32(1)}}},
		{"unknown dtype", `unknown dtype "F12"`, []Tensor{{Name: "a", DType: "F12", Shape: []int{1}, Data: f32(1)}}},
		{"negative", "negative dimension or overflows", []Tensor{{Name: "a", DType: F32, Shape: []int{-1}}}},
		{"overflow", "negative dimension or overflows", []Tensor{{Name: "a", DType: F32, Shape: []int{math.MaxInt, math.MaxInt, math.MaxInt}}}},
		{"wrong length", `tensor "a": Data holds 8 bytes but F32 [2 3] needs 24`, []Tensor{{Name: "a", DType: F32, Shape: []int{2, 3}, Data: f32(2)}}},
	} {
		var b bytes.Buffer
		err := Write(&b, c.ts, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", c.name, b.Len())
		}
	}
}

// failing is a temporary file that fails: its writes after the first n
// bytes return err, or its Sync or Close return err.
type failing struct {
	*os.File
	n                   int
	err                 error
	failSync, failClose bool
	closeFirst          bool // close the real file before anything is written
	written             int
}

func (f *failing) Write(p []byte) (int, error) {
	if f.closeFirst {
		f.File.Close()
		f.closeFirst = false
	}
	if f.written+len(p) > f.n {
		k, _ := f.File.Write(p[:f.n-f.written])
		f.written += k
		return k, f.err
	}
	k, err := f.File.Write(p)
	f.written += k
	return k, err
}

func (f *failing) Sync() error {
	if f.failSync {
		return f.err
	}
	return f.File.Sync()
}

func (f *failing) Close() error {
	err := f.File.Close()
	if f.failClose {
		return f.err
	}
	return err
}

// TestWriteFileFails makes writes fail part-way (a full disk after n bytes,
// an I/O error, a closed file, a failing sync or close) and checks that the
// old file is left as it was, with no temporary file beside it.
func TestWriteFileFails(t *testing.T) {
	tensors := []Tensor{{Name: "w", DType: F32, Shape: []int{64}, Data: EncodeFloat32(make([]float32, 64))}}
	enospc := syscall.ENOSPC
	eio := syscall.EIO
	for _, c := range []struct {
		name string
		f    failing
	}{
		{"full disk after 0 bytes", failing{n: 0, err: enospc}},
		{"full disk after 5 bytes", failing{n: 5, err: enospc}},
		{"full disk in the header", failing{n: 40, err: enospc}},
		{"full disk in the data", failing{n: 150, err: enospc}},
		{"I/O error", failing{n: 100, err: eio}},
		{"closed file", failing{n: 1 << 20, closeFirst: true}},
		{"sync fails", failing{n: 1 << 20, err: eio, failSync: true}},
		{"close fails", failing{n: 1 << 20, err: eio, failClose: true}},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "model.safetensors")
		old := []byte("the old model")
		if err := os.WriteFile(path, old, 0o600); err != nil {
			t.Fatal(err)
		}
		err := writeFile(path, tensors, nil, func(dir, pattern string) (tempFile, error) {
			f, err := os.CreateTemp(dir, pattern)
			if err != nil {
				return nil, err
			}
			ff := c.f
			ff.File = f
			return &ff, nil
		})
		if err == nil {
			t.Errorf("%s: no error", c.name)
		} else if c.f.err != nil && !errors.Is(err, c.f.err) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.f.err)
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, old) {
			t.Errorf("%s: the old file now holds %q (%v)", c.name, b, err)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%s: the directory holds %d files", c.name, len(ents))
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	ts := []Tensor{{Name: "w", DType: F32, Shape: []int{2}, Data: EncodeFloat32([]float32{1, 2})}}
	if err := WriteFile(path, ts, map[string]string{"a": "b"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	Write(&want, ts, map[string]string{"a": "b"})
	if !bytes.Equal(b, want.Bytes()) {
		t.Errorf("WriteFile wrote another file than Write")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the old file's 0640", st.Mode())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the directory holds %d files", len(ents))
	}
	// Invalid tensors: no file is made.
	if err := WriteFile(filepath.Join(dir, "bad"), []Tensor{{Name: "a", DType: F32, Shape: []int{2}}}, nil); err == nil {
		t.Error("no error for a bad tensor")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the directory holds %d files", len(ents))
	}
	// A directory in the way.
	if err := WriteFile(dir, ts, nil); err == nil {
		t.Error("no error for a directory")
	}
}

// TestFloat32ToF16 checks the rounding against float64 arithmetic: every
// binary16 converts back to itself, and for random and boundary float32
// the result is the nearest binary16, ties to the even one.
func TestFloat32ToF16(t *testing.T) {
	for h := range 1 << 16 {
		x := F16ToFloat32(uint16(h))
		got := Float32ToF16(x)
		if x != x {
			if got&0x7fff != 0x7e00 || got>>15 != uint16(h>>15) {
				t.Errorf("NaN %#04x → %#04x, want a quiet NaN of the same sign", h, got)
			}
			continue
		}
		if got != uint16(h) {
			t.Errorf("%#04x (%g) → %#04x", h, x, got)
		}
	}
	// The float64 reference: the nearest of all finite binary16 of x's
	// sign, or Inf from 65520 on.
	var vals []float64 // non-negative finite binary16 values, increasing
	for h := 0; h < 0x7c00; h++ {
		vals = append(vals, float64(F16ToFloat32(uint16(h))))
	}
	ref := func(x float32) uint16 {
		a := math.Abs(float64(x))
		var sign uint16
		if math.Signbit(float64(x)) {
			sign = 0x8000
		}
		if a >= 65520 {
			return sign | 0x7c00
		}
		lo, hi := 0, len(vals)-1
		for lo+1 < hi { // vals[lo] ≤ a < vals[hi]
			m := (lo + hi) / 2
			if vals[m] <= a {
				lo = m
			} else {
				hi = m
			}
		}
		if a >= vals[hi] {
			lo = hi
		}
		best := lo
		if lo+1 < len(vals) {
			d0, d1 := a-vals[lo], vals[lo+1]-a
			if d1 < d0 || d1 == d0 && lo%2 == 1 {
				best = lo + 1
			}
		}
		return sign | uint16(best)
	}
	r := rand.New(rand.NewPCG(1, 2))
	check := func(x float32) {
		if got, want := Float32ToF16(x), ref(x); got != want {
			t.Errorf("Float32ToF16(%g = %#08x) = %#04x, want %#04x", x, math.Float32bits(x), got, want)
		}
	}
	for h := 0; h < 0x7c00; h++ { // each midpoint and its neighbours
		a, b := float32(vals[h]), float32(65520)
		if h+1 < len(vals) {
			b = float32(vals[h+1])
		}
		mid := float32((float64(a) + float64(b)) / 2)
		for _, x := range []float32{mid, math.Nextafter32(mid, 0), math.Nextafter32(mid, 1e9)} {
			check(x)
			check(-x)
		}
	}
	for range 200000 {
		x := math.Float32frombits(r.Uint32())
		if x == x && math.Abs(float64(x)) < 1e6 || r.IntN(8) == 0 && x == x {
			check(x)
		}
		check(float32(r.NormFloat64()))
	}
	check(float32(math.Inf(1)))
	check(float32(math.Inf(-1)))
	check(1e-45)
}
