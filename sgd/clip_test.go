package sgd

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// clipped is a gradient after clipping as internal/gen/clip.py writes it:
// a matrix, or every Sample-th element of a big one.
type clipped struct {
	Sample int
	Data   fixture.Floats
}

func (c *clipped) UnmarshalJSON(b []byte) error {
	var v struct {
		Sample int
		Data   fixture.Floats
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	c.Sample, c.Data = max(v.Sample, 1), v.Data
	return nil
}

// clipCase is a case of testdata/clip.json.
type clipCase struct {
	Name     string
	Op       string         // "norm" or "value"
	MaxNorm  float32        `json:"max_norm"`
	NormType fixture.Floats `json:"-"`
	Type     any            `json:"norm_type"` // a number or "Inf"
	Clip     float32
	Grads    []fixture.Matrix
	Total    fixture.Floats
	Clipped  []clipped
}

func (c *clipCase) normType() float32 {
	switch v := c.Type.(type) {
	case float64:
		return float32(v)
	case string:
		if v == "Inf" {
			return float32(math.Inf(1))
		}
	}
	panic("bad norm_type")
}

// TestClipPyTorch checks ClipGradNorm's total norm and the clipped
// gradients, and ClipGradValue's, against torch.nn.utils 1.13, with every
// norm type, gradients clipped and not, infinite and NaN gradients.
//
// Tolerance: the total norm within fixture.RTol (1e-5): torch sums in
// float32 in its order, pente through mat.Dot (p = 2, float32, its
// kernels' order) or in float64. The clipped gradients are coef·g with
// coef computed from the total as torch does, so within the same rtol of
// the largest |gradient|; the +Inf norm (a maximum, exact) and
// ClipGradValue must give the same bits.
func TestClipPyTorch(t *testing.T) {
	var cases []clipCase
	fixture.Load(t, "clip.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases in clip.json")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			params := make([]*layer.Param, len(c.Grads))
			for i, g := range c.Grads {
				params[i] = &layer.Param{Value: mat.NewDense(g.Rows, g.Cols, nil), Grad: g.Dense()}
			}
			exact := c.Op == "value"
			if c.Op == "norm" {
				p := c.normType()
				exact = math.IsInf(float64(p), 1)
				got := ClipGradNorm(params, c.MaxNorm, p)
				if exact && math.Float32bits(got) != math.Float32bits(c.Total[0]) {
					t.Errorf("total norm %v, want %v", got, c.Total[0])
				}
				fixture.Compare(t, "total norm", []float32{got}, c.Total, fixture.RTol, 0)
			} else {
				ClipGradValue(params, c.Clip)
			}
			for i, want := range c.Clipped {
				var got []float32
				for j, v := range params[i].Grad.Data {
					if j%want.Sample == 0 {
						got = append(got, v)
					}
				}
				if exact {
					if !sameBitsOrNaN(got, want.Data) {
						t.Errorf("gradient %d: %v, want %v", i, got, want.Data)
					}
					continue
				}
				fixture.Compare(t, "gradient", got, want.Data, fixture.RTol, 1)
			}
		})
	}
}

// TestClipGradNormByHand checks cases small enough to work out, strided
// gradients, nil gradients and no allocation.
func TestClipGradNormByHand(t *testing.T) {
	// (3, 4) has norm 5; max_norm 1 scales it by 1/(5 + 1e-6) in float32.
	big := mat.NewDense(2, 4, []float32{3, 0, 99, 99, 4, 0, 99, 99})
	g := big.Slice(0, 2, 0, 2) // a view: 3, 0; 4, 0
	p := &layer.Param{Value: mat.NewDense(2, 2, nil), Grad: g}
	none := &layer.Param{Value: mat.NewDense(1, 1, nil)}
	if got := ClipGradNorm([]*layer.Param{p, none}, 1, 2); got != 5 {
		t.Errorf("total %v, want 5", got)
	}
	coef := float32(1) * (1 / (float32(5) + 1e-6))
	if got := []float32{g.At(0, 0), g.At(1, 0), big.At(0, 2)}; got[0] != 3*coef || got[1] != 4*coef || got[2] != 99 {
		t.Errorf("clipped to %v, want [%v %v 99] (the view's padding untouched)", got, 3*coef, 4*coef)
	}
	if got := ClipGradNorm([]*layer.Param{none}, 1, 2); got != 0 {
		t.Errorf("no gradients: %v, want 0", got)
	}
	q := &layer.Param{Value: mat.NewDense(1, 3, nil), Grad: mat.NewDense(1, 3, []float32{1, -2, 2})}
	for _, c := range []struct{ p, want float32 }{{1, 5}, {2, 3}, {float32(math.Inf(1)), 2}} {
		copy(q.Grad.Data, []float32{1, -2, 2})
		if got := ClipGradNorm([]*layer.Param{q}, 100, c.p); got != c.want {
			t.Errorf("p=%v: total %v, want %v", c.p, got, c.want)
		}
		if !testkit.SameBits(q.Grad.Data, []float32{1, -2, 2}) {
			t.Errorf("p=%v: a norm under max_norm changed the gradient to %v", c.p, q.Grad.Data)
		}
	}
	if !raceEnabled {
		ps := []*layer.Param{p, q, none}
		if n := testkit.AllocsPerRun(10, func() { ClipGradNorm(ps, 1, 2); ClipGradNorm(ps, 1, 3); ClipGradValue(ps, 0.1) }); n != 0 {
			t.Errorf("%v allocations per run", n)
		}
	}
	for name, c := range map[string]struct {
		f    func()
		want string
	}{
		"p 0":       {func() { ClipGradNorm([]*layer.Param{q}, 1, 0) }, "sgd: ClipGradNorm: norm type 0 is not positive"},
		"p NaN":     {func() { ClipGradNorm([]*layer.Param{q}, 1, float32(math.NaN())) }, "sgd: ClipGradNorm: norm type NaN is not positive"},
		"p -Inf":    {func() { ClipGradNorm([]*layer.Param{q}, 1, float32(math.Inf(-1))) }, "sgd: ClipGradNorm: norm type -Inf is not positive"},
		"nil":       {func() { ClipGradNorm([]*layer.Param{q, nil}, 1, 2) }, "sgd: ClipGradNorm: parameter 1 is nil"},
		"value nil": {func() { ClipGradValue([]*layer.Param{nil}, 1) }, "sgd: ClipGradValue: parameter 0 is nil"},
		"value NaN": {func() { ClipGradValue([]*layer.Param{q}, float32(math.NaN())) }, "sgd: ClipGradValue: clip value is NaN"},
		"bad Grad":  {func() { ClipGradNorm([]*layer.Param{{Name: "w", Grad: &mat.Dense{Rows: 2, Cols: 2, Stride: 2}}}, 1, 2) }, `sgd: ClipGradNorm: parameter 0 ("w"): Grad`},
	} {
		if got := testkit.PanicMessage(c.f); !strings.Contains(got, c.want) {
			t.Errorf("%s: panic %q, want %q", name, got, c.want)
		}
	}
}

// sameBitsOrNaN reports whether a and b are the same bits, but for NaNs,
// which match any NaN (their sign and payload depend on the CPU).
func sameBitsOrNaN(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != a[i] && b[i] != b[i] {
			continue
		}
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}
