package torchfile

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
)

type expectedTensor struct {
	Name   string
	DType  string
	Shape  []int
	Hex    string
	Values []json.RawMessage
}

type expectedFile struct {
	File    string
	Tensors []expectedTensor
}

func readFile(t testing.TB, name string) ([]Tensor, error) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return Read(bytes.NewReader(b), int64(len(b)))
}

// TestMatchesPyTorch reads every file torch.save wrote and compares each
// tensor with what torch.load gives, bit for bit, and value by value.
func TestMatchesPyTorch(t *testing.T) {
	var cases []expectedFile
	fixture.Load(t, "expected.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		t.Run(c.File, func(t *testing.T) {
			got, err := readFile(t, c.File)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.Tensors) {
				t.Fatalf("%d tensors, want %d", len(got), len(c.Tensors))
			}
			for i, want := range c.Tensors {
				g := got[i]
				if g.Name != want.Name || g.DType != want.DType || !equalInts(g.Shape, want.Shape) {
					t.Errorf("tensor %d is %s %s %v, want %s %s %v", i, g.Name, g.DType, g.Shape, want.Name, want.DType, want.Shape)
					continue
				}
				if h := hex.EncodeToString(g.Data); h != want.Hex {
					t.Errorf("%s: bytes %s, want %s", g.Name, h, want.Hex)
				}
				checkValues(t, g, want.Values)
			}
		})
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

// checkValues decodes g's bytes and compares them with the values torch's
// tolist gave.
func checkValues(t *testing.T, g Tensor, values []json.RawMessage) {
	t.Helper()
	size := map[string]int{"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}[g.DType]
	if len(g.Data) != size*len(values) {
		t.Errorf("%s: %d bytes for %d values", g.Name, len(g.Data), len(values))
		return
	}
	le := binary.LittleEndian
	for i, raw := range values {
		b := g.Data[i*size : (i+1)*size]
		s := string(raw)
		switch g.DType {
		case "F64", "F32", "F16", "BF16":
			var got float64
			switch g.DType {
			case "F64":
				got = math.Float64frombits(le.Uint64(b))
			case "F32":
				got = float64(math.Float32frombits(le.Uint32(b)))
			case "F16":
				got = half(le.Uint16(b))
			case "BF16":
				got = float64(math.Float32frombits(uint32(le.Uint16(b)) << 16))
			}
			var want float64
			switch s {
			case `"NaN"`:
				want = math.NaN()
			case `"Inf"`:
				want = math.Inf(1)
			case `"-Inf"`:
				want = math.Inf(-1)
			default:
				var err error
				if want, err = strconv.ParseFloat(s, 64); err != nil {
					t.Fatal(err)
				}
			}
			if !(got == want && math.Signbit(got) == math.Signbit(want) || math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("%s[%d] = %v, want %v", g.Name, i, got, want)
			}
		case "BOOL":
			if got := strconv.FormatBool(b[0] != 0); got != s || b[0] > 1 {
				t.Errorf("%s[%d] = %d, want %s", g.Name, i, b[0], s)
			}
		default:
			var got int64
			switch g.DType {
			case "I64":
				got = int64(le.Uint64(b))
			case "I32":
				got = int64(int32(le.Uint32(b)))
			case "I16":
				got = int64(int16(le.Uint16(b)))
			case "I8":
				got = int64(int8(b[0]))
			case "U8":
				got = int64(b[0])
			}
			if strconv.FormatInt(got, 10) != s {
				t.Errorf("%s[%d] = %d, want %s", g.Name, i, got, s)
			}
		}
	}
}

// half converts IEEE binary16 to float64, exactly.
func half(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10&0x1f), float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return sign * math.Inf(1)
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

// TestRejectsRealFiles reads the files torch wrote that are not
// state_dicts saved in the zip format.
func TestRejectsRealFiles(t *testing.T) {
	for file, want := range map[string]string{
		"module.pt": "torchfile: this is a pickled nn.Module (torch.nn.modules.container.Sequential), not a state_dict: save model.state_dict()",
		"net.pt":    "torchfile: this is a pickled nn.Module (__main__.Net), not a state_dict: save model.state_dict()",
		"legacy.pt": "torchfile: this file is in torch's legacy format",
		"script.pt": "torchfile: this is a TorchScript archive (torch.jit.save)",
	} {
		_, err := readFile(t, file)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", file, err, want)
		}
	}
}

func TestIsZip(t *testing.T) {
	b, err := os.ReadFile("testdata/mlp.pt")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		head []byte
		want bool
	}{{b, true}, {b[:4], true}, {b[:3], false}, {nil, false}, {[]byte("\x80\x02\x8a\x0a"), false}, {[]byte("{\"a\""), false}} {
		if got := IsZip(c.head); got != c.want {
			t.Errorf("IsZip(%q) = %v", c.head, got)
		}
	}
}
