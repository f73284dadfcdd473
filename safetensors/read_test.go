package safetensors

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
)

// torchDoc is safetensors/testdata/dtypes.json, written by
// internal/gen/models.py with dtypes.safetensors.
type torchDoc struct {
	Metadata map[string]string
	Tensors  []struct {
		Name    string
		DType   string
		Shape   []int
		Float32 fixture.Floats
		Ints    []json.Number
	}
	AllBitsSHA256 map[string]string `json:"all_bits_sha256"`
}

func loadTorchDoc(t *testing.T) (*torchDoc, []byte) {
	t.Helper()
	raw, err := os.ReadFile("testdata/dtypes.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc torchDoc
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("testdata/dtypes.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	return &doc, file
}

// TestReadTorchFile reads a file that internal/gen wrote from torch
// tensors of every dtype, and compares each tensor with the values torch
// gave (t.float() for the floating-point ones: F64 rounded, F16 with
// subnormals, Inf and NaN).
func TestReadTorchFile(t *testing.T) {
	doc, file := loadTorchDoc(t)
	f, err := Read(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	if !mapsEqual(f.Metadata, doc.Metadata) {
		t.Errorf("metadata %v, want %v", f.Metadata, doc.Metadata)
	}
	if len(f.Tensors) != len(doc.Tensors) {
		t.Fatalf("%d tensors, want %d", len(f.Tensors), len(doc.Tensors))
	}
	for i, want := range doc.Tensors {
		got := f.Tensors[i] // in the order of the data, which the writer kept
		if got.Name != want.Name || string(got.DType) != want.DType || !slices.Equal(got.Shape, want.Shape) {
			t.Errorf("tensor %d is %q %s %v, want %q %s %v", i, got.Name, got.DType, got.Shape, want.Name, want.DType, want.Shape)
			continue
		}
		if p, ok := f.Tensor(want.Name); !ok || p != &f.Tensors[i] {
			t.Errorf("Tensor(%q) = %v, %v", want.Name, p, ok)
		}
		if cap(got.Data) != len(got.Data) {
			t.Errorf("%q: Data has capacity %d beyond its length %d", got.Name, cap(got.Data), len(got.Data))
		}
		vals, err := got.Float32s()
		if want.Float32 == nil {
			if err == nil {
				t.Errorf("%q (%s): Float32s gave no error", got.Name, got.DType)
			}
			checkInts(t, &got, want.Ints)
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", got.Name, err)
			continue
		}
		if len(vals) != len(want.Float32) {
			t.Errorf("%q: %d values, want %d", got.Name, len(vals), len(want.Float32))
			continue
		}
		for j := range vals {
			a, b := vals[j], want.Float32[j]
			nan := a != a && b != b // JSON's "NaN" has no sign
			if !nan && (a != b || math.Signbit(float64(a)) != math.Signbit(float64(b))) {
				t.Errorf("%q[%d] = %g, torch says %g", got.Name, j, a, b)
			}
		}
	}
}

// checkInts compares an integer or bool tensor with torch's values.
func checkInts(t *testing.T, got *Tensor, want []json.Number) {
	t.Helper()
	size := got.DType.Size()
	if len(got.Data) != size*len(want) {
		t.Errorf("%q: %d bytes for %d values", got.Name, len(got.Data), len(want))
		return
	}
	le := binary.LittleEndian
	for j, w := range want {
		var v int64
		b := got.Data[j*size:]
		switch got.DType {
		case I64:
			v = int64(le.Uint64(b))
		case I32:
			v = int64(int32(le.Uint32(b)))
		case I16:
			v = int64(int16(le.Uint16(b)))
		case I8:
			v = int64(int8(b[0]))
		case U8, BOOL:
			v = int64(b[0])
		}
		if w.String() != itoa(v) {
			t.Errorf("%q[%d] = %d, torch says %s", got.Name, j, v, w)
		}
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestAllHalfBits converts every F16 and BF16 bit pattern and compares the
// float32 bytes with the digest of what torch's .float() gives.
func TestAllHalfBits(t *testing.T) {
	doc, _ := loadTorchDoc(t)
	for _, dt := range []DType{F16, BF16} {
		src := make([]byte, 2*65536)
		for i := range 65536 {
			binary.LittleEndian.PutUint16(src[2*i:], uint16(i))
		}
		dst := make([]float32, 65536)
		DecodeFloat32(dst, dt, src)
		sum := sha256.Sum256(EncodeFloat32(dst))
		if got, want := hex.EncodeToString(sum[:]), doc.AllBitsSHA256[strings.ToLower(string(dt))]; got != want {
			t.Errorf("%s: the 65536 values converted have SHA-256 %s, torch's %s", dt, got, want)
		}
	}
}

// TestWriteBytes writes a small file and compares it with bytes written
// out by hand from the format's definition. It runs on big-endian
// machines too (GOARCH=s390x go test -exec qemu-s390x), and must give the
// same bytes.
func TestWriteBytes(t *testing.T) {
	var b bytes.Buffer
	err := Write(&b, []Tensor{
		{Name: "w", DType: F32, Shape: []int{2}, Data: EncodeFloat32([]float32{1, -2})},
		{Name: "s", DType: I16, Shape: []int{}, Data: []byte{0x34, 0x12}},
	}, map[string]string{"k": "<v>"})
	if err != nil {
		t.Fatal(err)
	}
	header := `{"__metadata__":{"k":"<v>"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"s":{"dtype":"I16","shape":[],"data_offsets":[8,10]}}`
	header += strings.Repeat(" ", (8-len(header)%8)%8)
	want := append([]byte{byte(len(header)), 0, 0, 0, 0, 0, 0, 0}, header...)
	want = append(want, 0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0x34, 0x12) // 1.0f, -2.0f, 0x1234
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("Write gave\n%q\nwant\n%q", b.Bytes(), want)
	}
	f, err := Read(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	x, err := f.Tensors[0].Float32s()
	if err != nil || !slices.Equal(x, []float32{1, -2}) || f.Metadata["k"] != "<v>" {
		t.Errorf("read back %v %v %v", x, err, f.Metadata)
	}
}

// TestRoundTrip writes what it read from torch's file and reads it again.
func TestRoundTrip(t *testing.T) {
	_, file := loadTorchDoc(t)
	f, err := Read(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, f.Tensors, f.Metadata); err != nil {
		t.Fatal(err)
	}
	if binary.LittleEndian.Uint64(b.Bytes())%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", binary.LittleEndian.Uint64(b.Bytes()))
	}
	g, err := Read(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !sameFile(f, g) {
		t.Errorf("read back another file")
	}
}

func sameFile(f, g *File) bool {
	if len(f.Tensors) != len(g.Tensors) || !mapsEqual(f.Metadata, g.Metadata) {
		return false
	}
	for i, a := range f.Tensors {
		b := g.Tensors[i]
		if a.Name != b.Name || a.DType != b.DType || !slices.Equal(a.Shape, b.Shape) || !bytes.Equal(a.Data, b.Data) {
			return false
		}
	}
	return true
}

// TestModelFiles reads the model files of layer/testdata, which torch's
// tensors filled.
func TestModelFiles(t *testing.T) {
	files, _ := filepath.Glob("../layer/testdata/*.safetensors")
	if len(files) < 8 {
		t.Fatalf("found %d model files", len(files))
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Read(bytes.NewReader(b), int64(len(b))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// file assembles a safetensors file from a header and data.
func file(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

// withLength is a file whose header length field says n.
func withLength(n uint64, rest string) []byte {
	return append(binary.LittleEndian.AppendUint64(nil, n), rest...)
}

// hostile lists files that Read must refuse, with a piece of each error.
var hostile = []struct {
	name, want string
	file       []byte
}{
	{"empty file", "shorter than the 8-byte header length", nil},
	{"7 bytes", "shorter than the 8-byte header length", []byte("1234567")},
	{"header length 2⁶³", "header length 9223372036854775808 is more than the limit", withLength(1<<63, "{}")},
	{"header length 2⁶⁴−1", "is more than the limit", withLength(math.MaxUint64, "{}")},
	{"header length above 100 MB", "header length 100000001 is more than the limit", withLength(100_000_001, "{}")},
	{"header past the end", "header length 100 runs past the end of the file", withLength(100, "{}")},
	{"header of length 0", "does not start with '{'", withLength(0, "")},
	{"invalid UTF-8", "not valid UTF-8", file("{\"a\xff\":1}   ", nil)},
	{"leading space", "does not start with '{'", file(` {}`, nil)},
	{"not JSON", "not valid JSON", file(`{"a":}`, nil)},
	{"truncated JSON", "unexpected end", file(`{"a":{`, nil)},
	{"two objects", "not valid JSON", file(`{}{}`, nil)},
	{"nested 10001 deep", "not valid JSON", file(`{"a":`+strings.Repeat("[", 10001)+strings.Repeat("]", 10001)+`}`, nil)},
	{"trailing garbage", "not valid JSON", file(`{} x`, nil)},
	{"duplicate tensor", `the key "a" twice`, file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}`, []byte{1, 2})},
	{"duplicate field", `the key "shape" twice`, file(`{"a":{"dtype":"U8","shape":[1],"shape":[2],"data_offsets":[0,1]}}`, []byte{1})},
	{"duplicate metadata key", `the key "k" twice`, file(`{"__metadata__":{"k":"1","k":"2"}}`, nil)},
	{"duplicate deep inside", `the key "x" twice`, file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"extra":[{"x":1,"x":2}]}}`, []byte{1})},
	{"metadata not strings", `"k" is 1, not a string`, file(`{"__metadata__":{"k":1}}`, nil)},
	{"metadata a list", "not an object of strings", file(`{"__metadata__":["k"]}`, nil)},
	{"entry not an object", `tensor "a": header entry is 5, not an object`, file(`{"a":5}`, nil)},
	{"no dtype", `tensor "a": header entry has no dtype`, file(`{"a":{"shape":[1],"data_offsets":[0,1]}}`, []byte{1})},
	{"dtype case", `tensor "a": header entry has no dtype`, file(`{"a":{"DType":"U8","shape":[1],"data_offsets":[0,1]}}`, []byte{1})},
	{"no shape", "has no shape", file(`{"a":{"dtype":"U8","data_offsets":[0,1]}}`, []byte{1})},
	{"no offsets", "has no data_offsets", file(`{"a":{"dtype":"U8","shape":[1]}}`, []byte{1})},
	{"unknown dtype", `unknown dtype "F128"`, file(`{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}`, make([]byte, 16))},
	{"dtype not a string", "dtype is 4, not a string", file(`{"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}`, make([]byte, 4))},
	{"negative dimension", "-1 is not an integer", file(`{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}}`, nil)},
	{"fractional dimension", "1.5 is not an integer", file(`{"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}`, []byte{1})},
	{"dimension of 2⁶⁴", "18446744073709551616 is not an integer", file(`{"a":{"dtype":"U8","shape":[18446744073709551616],"data_offsets":[0,1]}}`, []byte{1})},
	{"shape not a list", "not a list of integers", file(`{"a":{"dtype":"U8","shape":3,"data_offsets":[0,3]}}`, []byte{1, 2, 3})},
	{"three offsets", "want two non-negative integers", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}}`, []byte{1})},
	{"negative offset", "want two non-negative integers", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}}`, []byte{1})},
	{"not starting at 0", `tensor "a": data_offsets [1, 2] leave a gap: the data before ends at 0`, file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}`, []byte{1, 2})},
	{"gap", `tensor "b": data_offsets [2, 3] leave a gap: the data before ends at 1`, file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}`, []byte{1, 2, 3})},
	{"overlap", `data_offsets [0, 2] overlap the data before, which ends at 1`, file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}`, []byte{1, 2})},
	{"same offsets twice", `overlap the data before, which ends at 1`, file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, []byte{1})},
	{"end before begin", `tensor "b": data_offsets [1, 0] end before they begin`, file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}}`, []byte{1})},
	{"wrong size", `tensor "0.weight": data_offsets [0, 12] hold 12 bytes but F32 [2 3] needs 24`, file(`{"0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,12]}}`, make([]byte, 12))},
	{"short last tensor", "data ends at 4 but the file holds 3 bytes", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 3))},
	{"bytes after the last tensor", "data ends at 4 but the file holds 5 bytes", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 5))},
	{"data but no tensors", "data ends at 0 but the file holds 4 bytes", file(`{}`, make([]byte, 4))},
	{"elements overflow", "the number of bytes overflows", file(`{"a":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}}`, nil)},
	{"bytes overflow", "the number of bytes overflows", file(`{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}}`, nil)},
	{"huge claim", "data_offsets [0, 1099511627776] hold 1099511627776 bytes but U8 [2] needs 2", file(`{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,1099511627776]}}`, []byte{1, 2})},
	{"huge consistent claim", "data ends at 1099511627776 but the file holds 2 bytes", file(`{"a":{"dtype":"U8","shape":[1099511627776],"data_offsets":[0,1099511627776]}}`, []byte{1, 2})},
}

func TestHostile(t *testing.T) {
	for _, c := range hostile {
		f, err := Read(bytes.NewReader(c.file), int64(len(c.file)))
		if err == nil {
			t.Errorf("%s: Read accepted it: %+v", c.name, f)
			continue
		}
		want := c.want
		if math.MaxInt < 1<<40 && (strings.Contains(c.name, "overflow") || strings.Contains(c.name, "consistent")) {
			want = "does not fit in an int" // a dimension of 2³² or more, on a 32-bit int
		}
		if !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "safetensors: ") {
			t.Errorf("%s: error %q, want it to contain %q", c.name, err, want)
		}
		if f != nil {
			t.Errorf("%s: a File with the error", c.name)
		}
	}
}

// TestAccepted lists edge cases the reference accepts.
func TestAccepted(t *testing.T) {
	for _, c := range []struct {
		name string
		file []byte
		n    int
	}{
		{"no tensors", file(`{}`, nil), 0},
		{"null metadata", file(`{"__metadata__":null}`, nil), 0},
		{"padding", file(`{}      `, nil), 0},
		{"scalar", file(`{"s":{"dtype":"I32","shape":[],"data_offsets":[0,4]}}`, make([]byte, 4)), 1},
		{"empty tensors first and last", file(`{"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"c":{"dtype":"F32","shape":[5,0],"data_offsets":[1,1]}}`, []byte{7}), 3},
		{"[2⁶², 0] elements: 0 bytes", file(`{"a":{"dtype":"F32","shape":[4611686018427387904,0],"data_offsets":[0,0]}}`, nil), 1},
		{"unknown fields", file(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"extra":{"y":[1,2]}}}`, []byte{1}), 1},
		{"out of order in the header", file(`{"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, []byte{1, 2}), 2},
	} {
		if strings.Contains(c.name, "2⁶²") && math.MaxInt < 1<<62 {
			continue // a dimension that does not fit in a 32-bit int
		}
		f, err := Read(bytes.NewReader(c.file), int64(len(c.file)))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(f.Tensors) != c.n {
			t.Errorf("%s: %d tensors, want %d", c.name, len(f.Tensors), c.n)
		}
	}
	// Tensors come in the order of their data: "a" first.
	b := file(`{"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`, []byte{1, 2})
	f, err := Read(bytes.NewReader(b), int64(len(b)))
	if err != nil || f.Tensors[0].Name != "a" || f.Tensors[0].Data[0] != 1 || f.Tensors[1].Data[0] != 2 {
		t.Errorf("out of order: %+v, %v", f, err)
	}
}

// TestBoundedAllocation reads files whose headers claim terabytes and
// checks that Read allocates no more than a small multiple of the file.
func TestBoundedAllocation(t *testing.T) {
	dims := strings.Repeat("1,", 100_000) + "1"
	for _, c := range hostile[len(hostile)-4:] {
		measure(t, c.name, c.file)
	}
	long := file(`{"a":{"dtype":"U8","shape":[`+dims+`],"data_offsets":[0,2]}}`, []byte{1, 2})
	measure(t, "a shape of 100001 dimensions", long)
}

func measure(t *testing.T, name string, b []byte) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Read(bytes.NewReader(b), int64(len(b)))
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Errorf("%s: accepted", name)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(32*len(b)+64<<10) {
		t.Errorf("%s: Read allocated %d bytes for a file of %d", name, n, len(b))
	}
}
