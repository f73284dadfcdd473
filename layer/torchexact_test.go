package layer_test

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/layer"
)

type activationCase struct {
	Kind string
	Args struct {
		NegativeSlope float32 `json:"negative_slope"`
		Approximate   string
	}
	X, Y, Dy, Dx fixture.Matrix
}

func (c activationCase) layer() layer.Layer {
	switch c.Kind {
	case "leaky_relu":
		return layer.NewLeakyReLU(c.Args.NegativeSlope)
	case "gelu":
		return layer.NewGELU(c.Args.Approximate)
	case "silu":
		return layer.NewSiLU()
	case "softmax":
		return layer.NewSoftmax()
	case "log_softmax":
		return layer.NewLogSoftmax()
	}
	panic("unknown activation " + c.Kind)
}

// ulps returns how many float32 values lie between a and b (0 if they are
// the same bits, or both NaN).
func ulps(a, b float32) int64 {
	if a != a && b != b {
		return 0
	}
	key := func(v float32) int64 {
		u := int64(math.Float32bits(v))
		if u&(1<<31) != 0 {
			return -(u & (1<<31 - 1))
		}
		return u
	}
	d := key(a) - key(b)
	if d < 0 {
		d = -d
	}
	return d
}

// ulpStats returns the number of elements of got that are not want's
// bits, the largest distance in ulps, and the largest |got − want|.
func ulpStats(got, want []float32) (differ int, maxULP int64, maxAbs float64) {
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			differ++
		}
		maxULP = max(maxULP, ulps(got[i], want[i]))
		if !math.IsNaN(float64(want[i])) && !math.IsInf(float64(want[i]), 0) {
			maxAbs = max(maxAbs, math.Abs(float64(got[i])-float64(want[i])))
		}
	}
	return
}

// TestActivationsTorch compares the new activations with PyTorch 1.13,
// forward and backward, and logs how many values differ from PyTorch's in
// their bits.
func TestActivationsTorch(t *testing.T) {
	var cases []activationCase
	fixture.Load(t, "activation2.json", &cases)
	for _, c := range cases {
		name := fmt.Sprintf("%s%+v/%dx%d", c.Kind, c.Args, c.X.Rows, c.X.Cols)
		t.Run(name, func(t *testing.T) {
			l := c.layer()
			y := l.Forward(c.X.Dense())
			dx := l.Backward(c.Dy.Dense())
			n1, u1, a1 := ulpStats(y.Data, c.Y.Data)
			n2, u2, a2 := ulpStats(dx.Data, c.Dx.Data)
			t.Logf("y: %d of %d differ, ≤ %d ulp, |Δ| ≤ %.3g; dx: %d differ, ≤ %d ulp, |Δ| ≤ %.3g",
				n1, len(y.Data), u1, a1, n2, u2, a2)
			if c.Kind == "leaky_relu" {
				sameBits(t, "y", y.Data, c.Y.Data)
				sameBits(t, "dx", dx.Data, c.Dx.Data)
				return
			}
			// The others within 1e-6·max(|PyTorch's|, 1) of each element.
			for i := range c.Y.Data {
				if !fixture.Close(y.Data[i], c.Y.Data[i], 1e-6, 1) {
					t.Errorf("y[%d] = %v, PyTorch %v (x %v)", i, y.Data[i], c.Y.Data[i], c.X.Data[i])
				}
				if !fixture.Close(dx.Data[i], c.Dx.Data[i], 1e-6, 1) {
					t.Errorf("dx[%d] = %v, PyTorch %v (x %v)", i, dx.Data[i], c.Dx.Data[i], c.X.Data[i])
				}
			}
		})
	}
}

type dropoutCase struct {
	P            float32
	Seed         uint64
	X, Y, Dy, Dx fixture.Matrix
	Y2           fixture.Matrix
	After        fixture.Floats
}

// TestDropoutTorch checks Dropout's masks, outputs and gradients bit for
// bit against PyTorch's from the same seed, two Forwards in a row, and
// that the generator is left where PyTorch's is.
func TestDropoutTorch(t *testing.T) {
	var cases []dropoutCase
	fixture.Load(t, "dropout.json", &cases)
	for _, c := range cases {
		t.Run(fmt.Sprintf("p=%v/seed=%d/%dx%d", c.P, c.Seed, c.X.Rows, c.X.Cols), func(t *testing.T) {
			g := layer.ManualSeed(c.Seed)
			d := layer.NewDropout(c.P, g)
			x := c.X.Dense()
			sameBits(t, "y", d.Forward(x).Data, c.Y.Data)
			sameBits(t, "dx", d.Backward(c.Dy.Dense()).Data, c.Dx.Data)
			sameBits(t, "second y", d.Forward(x).Data, c.Y2.Data)
			sameBits(t, "torch.rand(3) afterwards", g.Rand(1, 3).Data, c.After)
		})
	}
}

type randpermCase struct {
	N, Before  int
	Seed       uint64
	Perm       []int
	Sha256     string
	Head, Tail []int
	After      fixture.Floats
}

// TestRandpermTorch checks Randperm against torch.randperm for every n of
// the fixtures, from fresh and from continued generators.
func TestRandpermTorch(t *testing.T) {
	var cases []randpermCase
	fixture.Load(t, "randperm.json", &cases)
	var g *layer.Generator
	for _, c := range cases {
		switch {
		case c.Before >= 0:
			g = layer.ManualSeed(c.Seed)
			g.Rand(1, c.Before)
		default: // continues after the previous case's torch.rand(3)
		}
		p := g.Randperm(c.N)
		what := fmt.Sprintf("seed %d, n %d", c.Seed, c.N)
		if c.Sha256 == "" {
			if fmt.Sprint(p) != fmt.Sprint(c.Perm) && len(c.Perm)+len(p) > 0 {
				t.Errorf("%s: %v, torch %v", what, p, c.Perm)
			}
		} else {
			b := make([]byte, 8*len(p))
			for i, v := range p {
				binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
			}
			if sum := fmt.Sprintf("%x", sha256.Sum256(b)); sum != c.Sha256 {
				t.Errorf("%s: SHA-256 %s, torch's %s (head %v, torch %v)", what, sum, c.Sha256, p[:10], c.Head)
			}
			if fmt.Sprint(p[len(p)-10:]) != fmt.Sprint(c.Tail) {
				t.Errorf("%s: tail %v, torch %v", what, p[len(p)-10:], c.Tail)
			}
		}
		sameBits(t, what+": torch.rand(3) afterwards", g.Rand(1, 3).Data, c.After)
	}
}
