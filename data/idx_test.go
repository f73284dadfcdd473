package data_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/pente-go/pente/data"
)

// idxFile writes an IDX header for type t and dims, then the values.
func idxFile(t byte, dims []uint32, values []byte) []byte {
	b := []byte{0, 0, t, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, values...)
}

func gzipped(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	if _, err := z.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadIDXTypes(t *testing.T) {
	// Each type's values written out by hand, big-endian.
	cases := []struct {
		name   string
		t      byte
		values []byte
		want   []float64
	}{
		{"uint8", data.IDXUint8, []byte{0, 1, 127, 128, 200, 255}, []float64{0, 1, 127, 128, 200, 255}},
		{"int8", data.IDXInt8, []byte{0, 1, 127, 128, 200, 255}, []float64{0, 1, 127, -128, -56, -1}},
		{"int16", data.IDXInt16, []byte{0, 1, 0xff, 0xfe, 0x80, 0, 0x7f, 0xff, 1, 0, 0, 0}, []float64{1, -2, -32768, 32767, 256, 0}},
		{"int32", data.IDXInt32, []byte{
			0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x80, 0, 0, 0,
			0x7f, 0xff, 0xff, 0xff, 0, 1, 0, 0, 0, 0, 0, 0,
		}, []float64{1, -1, -2147483648, 2147483647, 65536, 0}},
		{"float32", data.IDXFloat32, []byte{
			0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0, 0x3e, 0x80, 0, 0,
			0, 0, 0, 0, 0x42, 0xc8, 0, 0, 0xbf, 0, 0, 0,
		}, []float64{1, -2, 0.25, 0, 100, -0.5}},
		{"float64", data.IDXFloat64, []byte{
			0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0x3f, 0xd0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x59, 0, 0, 0, 0, 0, 0, 0xbf, 0xe0, 0, 0, 0, 0, 0, 0,
		}, []float64{1, -2, 0.25, 0, 100, -0.5}},
	}
	for _, c := range cases {
		file := idxFile(c.t, []uint32{2, 3}, c.values)
		for _, z := range []bool{false, true} {
			in := file
			if z {
				in = gzipped(t, file)
			}
			a, err := data.ReadIDX(bytes.NewReader(in))
			if err != nil {
				t.Fatalf("%s gzip=%v: %v", c.name, z, err)
			}
			if a.Type != c.t || len(a.Dims) != 2 || a.Dims[0] != 2 || a.Dims[1] != 3 || a.Len() != 6 || len(a.Data) != 6*a.Size() {
				t.Fatalf("%s gzip=%v: type %#x dims %v, %d bytes", c.name, z, a.Type, a.Dims, len(a.Data))
			}
			for i, w := range c.want {
				if got := a.At(i); got != w {
					t.Errorf("%s gzip=%v: value %d is %v, want %v", c.name, z, i, got, w)
				}
			}
			m, err := a.Dense(2)
			if err != nil {
				t.Fatal(err)
			}
			if m.Rows != 2 || m.Cols != 3 || m.At(1, 0) != float32(c.want[3]/2) {
				t.Errorf("%s: Dense(2) is %d×%d with [1,0] = %v, want 2×3 with %v", c.name, m.Rows, m.Cols, m.At(1, 0), c.want[3]/2)
			}
		}
	}
}

func TestReadIDXLabels(t *testing.T) {
	a, err := data.ReadIDX(bytes.NewReader(idxFile(data.IDXUint8, []uint32{4}, []byte{7, 0, 9, 3})))
	if err != nil {
		t.Fatal(err)
	}
	l, err := a.Labels()
	if err != nil {
		t.Fatal(err)
	}
	if len(l) != 4 || l[0] != 7 || l[1] != 0 || l[2] != 9 || l[3] != 3 {
		t.Errorf("labels %v, want [7 0 9 3]", l)
	}
	if _, err := a.Dense(1); err == nil {
		t.Error("Dense of a one-dimensional array: no error")
	}
	b, err := data.ReadIDX(bytes.NewReader(idxFile(data.IDXFloat32, []uint32{1}, []byte{0, 0, 0, 0})))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Labels(); err == nil {
		t.Error("Labels of floats: no error")
	}
	c, err := data.ReadIDX(bytes.NewReader(idxFile(data.IDXUint8, []uint32{2, 1}, []byte{1, 2})))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Labels(); err == nil {
		t.Error("Labels of a matrix: no error")
	}
	// An empty array is a valid file.
	e, err := data.ReadIDX(bytes.NewReader(idxFile(data.IDXUint8, []uint32{0, 28, 28}, nil)))
	if err != nil || e.Len() != 0 {
		t.Errorf("an empty array: %v, %v", e, err)
	}
	if _, err := e.Dense(1); err == nil {
		t.Error("Dense of no items: no error")
	}
}

func TestReadIDXErrors(t *testing.T) {
	valid := idxFile(data.IDXUint8, []uint32{2, 2}, []byte{1, 2, 3, 4})
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "header: unexpected EOF"},
		{"two bytes", []byte{0, 0}, "header: unexpected EOF"},
		{"bad magic", append([]byte{1}, valid[1:]...), "not an IDX file"},
		{"unknown type", idxFile(0x0A, []uint32{1}, []byte{0}), "unknown type code 0x0a"},
		{"no dimensions", idxFile(data.IDXUint8, nil, nil), "no dimensions"},
		{"truncated header", valid[:9], "header of 2 dimensions: unexpected EOF"},
		{"truncated values", valid[:len(valid)-1], "need 4 bytes after the header, the file has 3"},
		{"extra values", append(append([]byte(nil), valid...), 5, 6), "need 4 bytes after the header, the file has 6"},
		{"negative dimension", idxFile(data.IDXUint8, []uint32{0x80000000}, nil), "above 2³¹−1"},
		{"too large", idxFile(data.IDXFloat64, []uint32{1 << 16, 1 << 16}, []byte{1}), "exceed"},
		{"overflow", idxFile(data.IDXUint8, []uint32{0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0}, nil), "exceed"},
		{"gigabytes announced", idxFile(data.IDXUint8, []uint32{1 << 30}, []byte{1, 2, 3}), "need 1073741824 bytes after the header, the file has 3"},
		{"corrupt gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0}, "gzip"},
		{"truncated gzip", gzipped(t, valid)[:20], "unexpected EOF"},
	}
	for _, c := range cases {
		a, err := data.ReadIDX(bytes.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, %v; want an error containing %q", c.name, a, err, c.want)
		} else if a != nil {
			t.Errorf("%s: an array with the error %v", c.name, err)
		}
	}
	if _, err := data.ReadIDXFile("testdata/no-such-file"); err == nil {
		t.Error("ReadIDXFile of a missing file: no error")
	}
}

// TestReadIDXMNIST reads the bundled MNIST subset; the figures were
// computed from the files with Python's gzip module.
func TestReadIDXMNIST(t *testing.T) {
	images, err := data.ReadIDXFile("../examples/mnist/mnist10k/mnist10k-images-idx3-ubyte.gz")
	if err != nil {
		t.Fatal(err)
	}
	labels, err := data.ReadIDXFile("../examples/mnist/mnist10k/mnist10k-labels-idx1-ubyte.gz")
	if err != nil {
		t.Fatal(err)
	}
	if images.Type != data.IDXUint8 || len(images.Dims) != 3 || images.Dims[0] != 10000 || images.Dims[1] != 28 || images.Dims[2] != 28 {
		t.Fatalf("images: type %#x dims %v", images.Type, images.Dims)
	}
	sum := 0
	for _, v := range images.Data {
		sum += int(v)
	}
	if sum != 262146600 {
		t.Errorf("the pixels sum to %d, want 262146600", sum)
	}
	x, err := images.Dense(255)
	if err != nil {
		t.Fatal(err)
	}
	if x.Rows != 10000 || x.Cols != 784 || x.At(0, 14*28+12) != 254.0/255 || x.At(0, 14*28+9) != 17.0/255 {
		t.Errorf("images as a matrix: %d×%d, image 0 row 14 columns 9 and 12: %v %v", x.Rows, x.Cols, x.At(0, 14*28+9), x.At(0, 14*28+12))
	}
	l, err := labels.Labels()
	if err != nil {
		t.Fatal(err)
	}
	want := []int{8, 4, 4, 7, 6, 9, 7, 3, 9, 3, 4, 8}
	counts := make([]int, 10)
	for i, y := range l {
		if i < len(want) && y != want[i] {
			t.Errorf("label %d is %d, want %d", i, y, want[i])
		}
		counts[y]++
	}
	if wantCounts := []int{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}; !equalInts(counts, wantCounts) {
		t.Errorf("label counts %v, want %v", counts, wantCounts)
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

// FuzzIDX gives ReadIDX arbitrary bytes: it must return an error or an
// array whose header and values are exactly the input, never panic.
func FuzzIDX(f *testing.F) {
	f.Add(idxFile(data.IDXUint8, []uint32{2, 2}, []byte{1, 2, 3, 4}))
	f.Add(idxFile(data.IDXInt16, []uint32{3}, []byte{1, 2, 3, 4, 5, 6}))
	f.Add(idxFile(data.IDXFloat64, []uint32{1, 1, 1}, []byte{0x3f, 0xf0, 0, 0, 0, 0, 0, 0}))
	f.Add(idxFile(data.IDXUint8, []uint32{0, 28, 28}, nil))
	f.Add(idxFile(data.IDXUint8, []uint32{1 << 30}, []byte{1}))
	f.Add(gzipped(f, idxFile(data.IDXInt32, []uint32{1, 2}, []byte{0, 0, 0, 1, 0, 0, 0, 2})))
	f.Add([]byte{0, 0, 8})
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := data.ReadIDX(bytes.NewReader(in))
		if err != nil {
			if a != nil {
				t.Fatalf("an array with the error %v", err)
			}
			return
		}
		if len(a.Data) != a.Len()*a.Size() {
			t.Fatalf("dims %v of %d-byte values, %d bytes", a.Dims, a.Size(), len(a.Data))
		}
		for i := 0; i < a.Len(); i++ {
			a.At(i)
		}
		dims := make([]uint32, len(a.Dims))
		for i, d := range a.Dims {
			dims[i] = uint32(d)
		}
		raw := in
		if len(in) >= 2 && in[0] == 0x1f && in[1] == 0x8b {
			z, err := gzip.NewReader(bytes.NewReader(in))
			if err != nil {
				t.Fatalf("ReadIDX read a gzip stream that gzip.NewReader rejects: %v", err)
			}
			if raw, err = io.ReadAll(z); err != nil {
				t.Fatalf("ReadIDX read a gzip stream that gzip rejects: %v", err)
			}
		}
		if !bytes.Equal(idxFile(a.Type, dims, a.Data), raw) {
			t.Fatalf("the array written back differs from the input")
		}
	})
}
