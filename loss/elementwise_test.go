package loss_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
)

// pairLoss is what the losses of an input and a target of its shape have
// in common.
type pairLoss interface {
	Forward(x, y *mat.Dense) float32
	Backward() *mat.Dense
	Losses() *mat.Dense
}

// pairCase is a case of testdata/{bce,bcewithlogits,l1,smoothl1,huber}.json,
// written by internal/gen/loss2.py from torch.nn.functional.
type pairCase struct {
	Name      string
	Input     fixture.Matrix
	Target    fixture.Matrix
	Reduction string
	Weight    fixture.Floats
	PosWeight fixture.Floats `json:"pos_weight"`
	Beta      float32
	Delta     float32
	Loss      fixture.Floats // the output: one value (for "none", its sum)
	Losses    fixture.Matrix // the output of reduction="none"
	Grad      fixture.Matrix // input.grad after backward of the sum of the output
}

// pairLosses makes each loss of a fixture from a case's options.
var pairLosses = []struct {
	name, file string
	make       func(c *pairCase) pairLoss
}{
	{"BCE", "bce.json", func(c *pairCase) pairLoss {
		l := loss.NewBCE()
		l.Reduction, l.Weight = reductions[c.Reduction], nilIfEmpty(c.Weight)
		return l
	}},
	{"BCEWithLogits", "bcewithlogits.json", func(c *pairCase) pairLoss {
		l := loss.NewBCEWithLogits()
		l.Reduction, l.Weight, l.PosWeight = reductions[c.Reduction], nilIfEmpty(c.Weight), nilIfEmpty(c.PosWeight)
		return l
	}},
	{"L1", "l1.json", func(c *pairCase) pairLoss {
		l := loss.NewL1()
		l.Reduction = reductions[c.Reduction]
		return l
	}},
	{"SmoothL1", "smoothl1.json", func(c *pairCase) pairLoss {
		l := loss.NewSmoothL1(c.Beta)
		l.Reduction = reductions[c.Reduction]
		return l
	}},
	{"Huber", "huber.json", func(c *pairCase) pairLoss {
		l := loss.NewHuber(c.Delta)
		l.Reduction = reductions[c.Reduction]
		return l
	}},
}

func nilIfEmpty(f fixture.Floats) []float32 {
	if len(f) == 0 {
		return nil
	}
	return f
}

// TestElementwisePyTorch checks the loss, the element losses and the
// gradient of BCE, BCEWithLogits, L1, SmoothL1 and Huber against PyTorch
// 1.13, with dense and strided inputs, reusing one criterion for both.
//
// Tolerance: the element losses and gradients of L1, SmoothL1 and Huber,
// which pente computes in float32 with torch's operations in torch's
// order, must be the same bits; but for SmoothL1's gradient under Mean,
// within one unit in the last place: torch's AVX2 kernel computes
// norm·((x − y)/β) on each run of 16 elements and its scalar tail, the
// last N mod 16 elements, ((x − y)·norm)/β, and pente does the former
// everywhere (the fixtures have tails: 1, 91, 12 and 10 elements; the
// tails differ by an ulp in two cases). Everything else within fixture.RTol
// (1e-5): the reduced losses, whose float32 sums torch orders otherwise
// (relative to the sum of the |element losses|, as a sum that cancels is
// only as exact as its terms), and BCE's and BCEWithLogits' element
// losses and gradients, which torch rounds to float32 after each of its
// operations and pente computes in float64 (relative to the largest value
// of the case, floor 1, as gradients mix σ(x) near 0 and 1).
func TestElementwisePyTorch(t *testing.T) {
	for _, pl := range pairLosses {
		t.Run(pl.name, func(t *testing.T) {
			var cases []pairCase
			fixture.Load(t, pl.file, &cases)
			if len(cases) == 0 {
				t.Fatal("no cases")
			}
			exact := pl.name == "L1" || pl.name == "SmoothL1" || pl.name == "Huber"
			for _, c := range cases {
				t.Run(c.Name, func(t *testing.T) {
					l := pl.make(&c)
					for _, view := range []bool{false, true} {
						x, y := c.Input.Dense(), c.Target.Dense()
						if view {
							x, y = strided(x), strided(y)
						}
						got := l.Forward(x, y)
						terms := 0.0
						for _, v := range c.Losses.Data {
							terms += math.Abs(float64(v))
						}
						if c.Reduction == "mean" {
							terms /= float64(len(c.Losses.Data))
						}
						fixture.Compare(t, "loss", []float32{got}, c.Loss, fixture.RTol, terms/max(maxAbs(c.Loss), 1e-30))
						g := l.Backward()
						if g.Rows != c.Grad.Rows || g.Cols != c.Grad.Cols {
							t.Fatalf("gradient is %d×%d, want %d×%d", g.Rows, g.Cols, c.Grad.Rows, c.Grad.Cols)
						}
						if exact {
							sameBits(t, "losses", fixture.Values(l.Losses()), c.Losses.Data, 0)
							ulps := 0
							if pl.name == "SmoothL1" && c.Reduction == "mean" {
								ulps = 1
							}
							sameBits(t, "grad", fixture.Values(g), c.Grad.Data, ulps)
						} else {
							fixture.Compare(t, "losses", fixture.Values(l.Losses()), c.Losses.Data, fixture.RTol, 1)
							fixture.Compare(t, "grad", fixture.Values(g), c.Grad.Data, fixture.RTol, 1)
						}
					}
				})
			}
		})
	}
}

// sameBits fails t unless got and want are the same float32 values, bit
// for bit (any NaN matches any NaN: the sign and payload of a NaN that an
// operation makes depend on the CPU), or within ulps units in the last
// place, reporting at most a few differences.
func sameBits(t *testing.T, what string, got, want []float32, ulps int) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	bad := 0
	for i := range got {
		if math.IsNaN(float64(got[i])) && math.IsNaN(float64(want[i])) {
			continue
		}
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !withinULPs(got[i], want[i], ulps) {
			if bad++; bad <= 5 {
				t.Errorf("%s[%d] = %v, want %v (PyTorch, within %d ulps)", what, i, got[i], want[i], ulps)
			}
		}
	}
}

// withinULPs reports whether a and b are finite floats of the same sign at
// most n representable values apart.
func withinULPs(a, b float32, n int) bool {
	if math.IsNaN(float64(a)) || math.IsInf(float64(a), 0) || (a < 0) != (b < 0) {
		return false
	}
	d := int64(math.Float32bits(a)&0x7fffffff) - int64(math.Float32bits(b)&0x7fffffff)
	return -int64(n) <= d && d <= int64(n)
}

// TestElementwiseGradient checks Backward against central differences of
// Forward for every elementwise loss, option and reduction (for None the
// objective is the sum Forward returns). The inputs keep away from the
// kinks of L1, SmoothL1 and Huber (|x − y| at least 0.05 from 0, β and δ)
// and BCE's probabilities inside [0.1, 0.9], where differences of h = 1e-2
// stay on one side.
func TestElementwiseGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 1))
	const n, c = 3, 4
	weight := []float32{0.5, 1, 1.5, 2}
	posWeight := []float32{3, 0.25, 1, 2}
	kinks := []float64{0, 0.5, 1, 2}
	pred, target, probs, bits := mat.NewDense(n, c, nil), mat.NewDense(n, c, nil), mat.NewDense(n, c, nil), mat.NewDense(n, c, nil)
	for i := range pred.Data {
		target.Data[i] = float32(rng.NormFloat64())
		var d float64
		for near := true; near; {
			d = rng.NormFloat64() * 2
			near = false
			for _, k := range kinks {
				near = near || math.Abs(math.Abs(d)-k) < 0.05
			}
		}
		pred.Data[i] = target.Data[i] + float32(d)
		probs.Data[i] = 0.1 + 0.8*rng.Float32()
		bits.Data[i] = float32(rng.IntN(2))
	}
	soft := mat.NewDense(n, c, nil)
	for i := range soft.Data {
		soft.Data[i] = rng.Float32()
	}
	for _, r := range []loss.Reduction{loss.Mean, loss.Sum, loss.None} {
		for _, tc := range []struct {
			name string
			l    func() pairLoss
			x, y *mat.Dense
		}{
			{"L1", func() pairLoss { l := loss.NewL1(); l.Reduction = r; return l }, pred, target},
			{"SmoothL1 β=1", func() pairLoss { l := loss.NewSmoothL1(1); l.Reduction = r; return l }, pred, target},
			{"SmoothL1 β=0.5", func() pairLoss { l := loss.NewSmoothL1(0.5); l.Reduction = r; return l }, pred, target},
			{"SmoothL1 β=0", func() pairLoss { l := loss.NewSmoothL1(0); l.Reduction = r; return l }, pred, target},
			{"Huber δ=1", func() pairLoss { l := loss.NewHuber(1); l.Reduction = r; return l }, pred, target},
			{"Huber δ=2", func() pairLoss { l := loss.NewHuber(2); l.Reduction = r; return l }, pred, target},
			{"BCE", func() pairLoss { l := loss.NewBCE(); l.Reduction = r; return l }, probs, bits},
			{"BCE weight soft", func() pairLoss { l := loss.NewBCE(); l.Reduction, l.Weight = r, weight; return l }, probs, soft},
			{"BCEWithLogits", func() pairLoss { l := loss.NewBCEWithLogits(); l.Reduction = r; return l }, pred, bits},
			{"BCEWithLogits weights soft", func() pairLoss {
				l := loss.NewBCEWithLogits()
				l.Reduction, l.Weight, l.PosWeight = r, weight, posWeight
				return l
			}, pred, soft},
		} {
			l, l2 := tc.l(), tc.l()
			l.Forward(tc.x, tc.y)
			checkGradient(t, tc.name+" "+r.String(), tc.x, l.Backward(), func() float64 {
				return float64(l2.Forward(tc.x, tc.y))
			})
		}
	}
}

// TestElementwiseByHand checks cases small enough to work out.
func TestElementwiseByHand(t *testing.T) {
	pred := mat.NewDense(1, 4, []float32{1, 0, 2, 3})
	target := mat.NewDense(1, 4, []float32{0, 2, 1.75, 3})
	for _, c := range []struct {
		name   string
		l      pairLoss
		want   float32
		losses []float32
		grad   []float32
	}{
		// Errors 1, −2, 0.25 and 0.
		{"L1", loss.NewL1(), 3.25 / 4, []float32{1, 2, 0.25, 0}, []float32{0.25, -0.25, 0.25, 0}},
		{"SmoothL1", loss.NewSmoothL1(1), (0.5 + 1.5 + 0.03125) / 4, []float32{0.5, 1.5, 0.03125, 0}, []float32{0.25, -0.25, 0.0625, 0}},
		{"Huber δ=0.5", loss.NewHuber(0.5), (0.375 + 0.875 + 0.03125) / 4, []float32{0.375, 0.875, 0.03125, 0}, []float32{0.125, -0.125, 0.0625, 0}},
	} {
		if got := c.l.Forward(pred, target); got != c.want {
			t.Errorf("%s: loss %v, want %v", c.name, got, c.want)
		}
		if got := fixture.Values(c.l.Losses()); !testkit.SameBits(got, c.losses) {
			t.Errorf("%s: losses %v, want %v", c.name, got, c.losses)
		}
		if got := fixture.Values(c.l.Backward()); !testkit.SameBits(got, c.grad) {
			t.Errorf("%s: gradient %v, want %v", c.name, got, c.grad)
		}
	}
	// BCE of p = 0 and 1 against the wrong targets: the logs clamp at −100.
	b := loss.NewBCE()
	b.Reduction = loss.Sum
	if got := b.Forward(mat.NewDense(1, 2, []float32{0, 1}), mat.NewDense(1, 2, []float32{1, 0})); got != 200 {
		t.Errorf("BCE of certain mistakes = %v, want 200", got)
	}
	// BCEWithLogits of ±1e4: softplus(1e4) = 1e4 exactly, softplus(−1e4) = 0.
	bl := loss.NewBCEWithLogits()
	bl.Reduction = loss.None
	bl.Forward(mat.NewDense(1, 3, []float32{1e4, -1e4, 1e4}), mat.NewDense(1, 3, []float32{0, 0, 1}))
	if got := fixture.Values(bl.Losses()); !testkit.SameBits(got, []float32{1e4, 0, 0}) {
		t.Errorf("BCEWithLogits of ±1e4: losses %v, want [10000 0 0]", got)
	}
	// An empty mean is 0/0, as in PyTorch.
	e := mat.NewDense(0, 3, nil)
	for _, pl := range pairLosses {
		if got := pl.make(&pairCase{Reduction: "mean", Beta: 1, Delta: 1}).Forward(e, e); !math.IsNaN(float64(got)) {
			t.Errorf("%s: Mean of nothing = %v, want NaN", pl.name, got)
		}
	}
}

// TestElementwisePanics checks that bad inputs panic with a message naming
// the loss and the shapes, before anything is computed.
func TestElementwisePanics(t *testing.T) {
	a, b := mat.NewDense(2, 3, nil), mat.NewDense(3, 2, nil)
	half := mat.NewDense(2, 3, []float32{0.5, 0.5, 0.5, 0.5, 0.5, 0.5})
	bce, bcel, l1, sl1, hub := loss.NewBCE(), loss.NewBCEWithLogits(), loss.NewL1(), loss.NewSmoothL1(1), loss.NewHuber(1)
	for name, c := range map[string]struct {
		f    func()
		want string
	}{
		"Backward first":     {func() { loss.NewBCE().Backward() }, "loss.BCE: Backward before Forward"},
		"Backward first L1":  {func() { loss.NewL1().Backward() }, "loss.L1: Backward before Forward"},
		"BCE shapes":         {func() { bce.Forward(half, b) }, "loss.BCE: probs is 2×3 but target is 3×2"},
		"BCE above 1":        {func() { bce.Forward(mat.NewDense(2, 3, []float32{0, 0, 0, 0, 1.5, 0}), a) }, "loss.BCE: probability 1.5 at [1, 1] of the 2×3 probs is outside [0, 1]"},
		"BCE negative":       {func() { bce.Forward(mat.NewDense(2, 3, []float32{-0.25, 0, 0, 0, 0, 0}), a) }, "loss.BCE: probability -0.25 at [0, 0] of the 2×3 probs is outside [0, 1]"},
		"BCE NaN":            {func() { bce.Forward(mat.NewDense(2, 3, []float32{0, 0, float32(math.NaN()), 0, 0, 0}), a) }, "loss.BCE: probability NaN at [0, 2]"},
		"BCE weight":         {func() { l := loss.NewBCE(); l.Weight = []float32{1, 2}; l.Forward(half, a) }, "loss.BCE: 2 weights for 3 columns"},
		"BCE nil":            {func() { bce.Forward(nil, a) }, "loss.BCE: probs is nil"},
		"logits shapes":      {func() { bcel.Forward(a, b) }, "loss.BCEWithLogits: logits is 2×3 but target is 3×2"},
		"logits weight":      {func() { l := loss.NewBCEWithLogits(); l.Weight = []float32{1}; l.Forward(a, a) }, "loss.BCEWithLogits: 1 weights for 3 columns"},
		"logits pos_weight":  {func() { l := loss.NewBCEWithLogits(); l.PosWeight = []float32{1, 2, 3, 4}; l.Forward(a, a) }, "loss.BCEWithLogits: 4 pos weights for 3 columns"},
		"logits reduction":   {func() { l := loss.NewBCEWithLogits(); l.Reduction = 3; l.Forward(a, a) }, "loss.BCEWithLogits: unknown Reduction(3)"},
		"L1 shapes":          {func() { l1.Forward(a, b) }, "loss.L1: pred is 2×3 but target is 3×2"},
		"L1 stride":          {func() { l1.Forward(a, &mat.Dense{Rows: 2, Cols: 3, Stride: 1, Data: make([]float32, 6)}) }, "loss.L1: target is 2×3 with stride 1 < 3 columns"},
		"SmoothL1 beta":      {func() { l := loss.NewSmoothL1(-1); l.Forward(a, a) }, "loss.SmoothL1: Beta -1 is negative or NaN"},
		"SmoothL1 beta NaN":  {func() { l := loss.NewSmoothL1(float32(math.NaN())); l.Forward(a, a) }, "loss.SmoothL1: Beta NaN is negative or NaN"},
		"SmoothL1 shapes":    {func() { sl1.Forward(a, b) }, "loss.SmoothL1: pred is 2×3 but target is 3×2"},
		"Huber delta":        {func() { l := loss.NewHuber(0); l.Forward(a, a) }, "loss.Huber: Delta 0 is not positive"},
		"Huber shapes":       {func() { hub.Forward(a, b) }, "loss.Huber: pred is 2×3 but target is 3×2"},
		"Huber negative dim": {func() { hub.Forward(&mat.Dense{Rows: -1, Cols: 3, Stride: 3}, a) }, "loss.Huber: pred has negative dimensions -1×3"},
	} {
		ls := []pairLoss{bce, bcel, l1, sl1, hub}
		for _, l := range ls {
			l.Forward(half, a)
		}
		if got := testkit.PanicMessage(c.f); !strings.Contains(got, c.want) {
			t.Errorf("%s: panic %q, want %q", name, got, c.want)
		}
		for _, l := range ls {
			if g := l.Backward(); g.Rows != 2 || g.Cols != 3 {
				t.Errorf("%s: the panicking call changed a gradient to %d×%d", name, g.Rows, g.Cols)
			}
		}
	}
}
