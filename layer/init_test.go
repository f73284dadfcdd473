package layer_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/layer"
)

type linearInit struct {
	In, Out                  int
	WeightSha256, BiasSha256 string
	Weight                   *fixture.Matrix
	Bias                     fixture.Floats
}

func digest(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// sameBits fails t at the first element of got that is not bit for bit the
// element of want.
func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d] = %v (%#08x), PyTorch has %v (%#08x)", what, i,
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

// TestInitMatchesPyTorch checks that ManualSeed and NewLinear reproduce
// torch.manual_seed and nn.Linear bit for bit, from several seeds, for
// every fan-in from 1 to 300 and for a 784×256 layer, and that the
// generator is left where PyTorch leaves it.
func TestInitMatchesPyTorch(t *testing.T) {
	var cases []struct {
		Seed   uint64
		Layers []linearInit
		After  fixture.Floats
	}
	fixture.Load(t, "init.json", &cases)
	values := 0
	for _, c := range cases {
		g := layer.ManualSeed(c.Seed)
		t.Run(fmt.Sprint("seed=", c.Seed), func(t *testing.T) {
			for i, want := range c.Layers {
				l := layer.NewLinear(want.In, want.Out, g)
				what := fmt.Sprintf("layer %d (%d→%d)", i, want.In, want.Out)
				if want.Weight != nil {
					sameBits(t, what+" weight", l.Weight.Value.Data, want.Weight.Data)
					sameBits(t, what+" bias", l.Bias.Value.Data, want.Bias)
				}
				if want.WeightSha256 != "" {
					if got := digest(l.Weight.Value.Data); got != want.WeightSha256 {
						t.Fatalf("%s weight: SHA-256 %s, PyTorch's is %s", what, got, want.WeightSha256)
					}
					if got := digest(l.Bias.Value.Data); got != want.BiasSha256 {
						t.Fatalf("%s bias: SHA-256 %s, PyTorch's is %s", what, got, want.BiasSha256)
					}
				}
				values += want.In*want.Out + want.Out
			}
			sameBits(t, "torch.rand(3) afterwards", g.Rand(1, 3).Data, c.After)
		})
	}
	t.Logf("%d initial values identical to PyTorch's", values)
}

// TestGeneratorMT19937 checks the engine against the reference output of
// MT19937 seeded with 5489 (the 10000th output is 4123659995, as the C++
// standard requires of std::mt19937).
func TestGeneratorMT19937(t *testing.T) {
	g := layer.ManualSeed(5489)
	if got := g.Uint32(); got != 3499211612 {
		t.Fatalf("first output %d, want 3499211612", got)
	}
	for i := 2; i < 10000; i++ {
		g.Uint32()
	}
	if got := g.Uint32(); got != 4123659995 {
		t.Fatalf("10000th output %d, want 4123659995", got)
	}
	if g.InitialSeed() != 5489 {
		t.Fatalf("InitialSeed() = %d", g.InitialSeed())
	}
}

// TestUniformRange checks that Uniform stays inside [lo, hi) and covers it.
func TestUniformRange(t *testing.T) {
	g := layer.ManualSeed(3)
	v := make([]float32, 1<<16)
	g.Uniform(v, -0.25, 0.75)
	lo, hi := float32(1), float32(-1)
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	if lo < -0.25 || hi >= 0.75 || lo > -0.24 || hi < 0.74 {
		t.Fatalf("values span [%v, %v], want nearly all of [-0.25, 0.75)", lo, hi)
	}
}
