package loss_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
)

var reductions = map[string]loss.Reduction{"mean": loss.Mean, "sum": loss.Sum, "none": loss.None}

// ceCase is a case of testdata/crossentropy.json, written by
// internal/gen/loss.py from torch.nn.functional.cross_entropy.
type ceCase struct {
	Name           string
	Logits         fixture.Matrix
	Target         []int           // class indices, or
	Probs          *fixture.Matrix // class probabilities
	Weight         fixture.Floats
	IgnoreIndex    int `json:"ignore_index"`
	Reduction      string
	LabelSmoothing float32        `json:"label_smoothing"`
	Loss           fixture.Floats // the output: one value (for "none", its sum)
	Losses         fixture.Floats // the output of reduction="none"
	Grad           fixture.Matrix // logits.grad after backward of the sum of the output
}

func (c *ceCase) criterion(t *testing.T) *loss.CrossEntropy {
	ce := loss.NewCrossEntropy()
	if len(c.Weight) > 0 {
		ce.Weight = c.Weight
	}
	ce.IgnoreIndex = c.IgnoreIndex
	r, ok := reductions[c.Reduction]
	if !ok {
		t.Fatalf("unknown reduction %q", c.Reduction)
	}
	ce.Reduction = r
	ce.LabelSmoothing = c.LabelSmoothing
	return ce
}

// maxAbs returns the largest finite |v|.
func maxAbs(v []float32) float64 {
	var m float64
	for _, x := range v {
		if a := math.Abs(float64(x)); !math.IsInf(a, 0) && !math.IsNaN(a) {
			m = max(m, a)
		}
	}
	return m
}

// TestCrossEntropyPyTorch checks the loss, the per-sample losses and the
// gradient against PyTorch 1.13, with the logits (and probability targets)
// dense and as strided views, and with one criterion reused across both
// calls.
//
// Tolerance: fixture.RTol (1e-5) relative to the magnitude of the terms
// each value is computed from. A loss is lse − z_y: PyTorch rounds both in
// float32, so its error scales with the largest |logit| (1e4 in some
// cases) even where the loss is near 0; the scale is that |logit|, or
// |want| if larger. Gradients mix p_j near 0 and 1: their floor is 1, so
// the scale is the largest |gradient| of the case.
func TestCrossEntropyPyTorch(t *testing.T) {
	var cases []ceCase
	fixture.Load(t, "crossentropy.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			ce := c.criterion(t)
			terms := maxAbs(c.Logits.Data)
			for _, view := range []bool{false, true} {
				logits := c.Logits.Dense()
				if view {
					logits = strided(logits)
				}
				var got float32
				if c.Probs != nil {
					probs := c.Probs.Dense()
					if view {
						probs = strided(probs)
					}
					got = ce.ForwardProbs(logits, probs)
				} else {
					got = ce.Forward(logits, c.Target)
				}
				if !fixture.Close(got, c.Loss[0], fixture.RTol, terms) {
					t.Errorf("view=%v: loss = %v, want %v (PyTorch; rtol %g of %g)", view, got, c.Loss[0], fixture.RTol, terms)
				}
				fixture.Compare(t, "losses", ce.Losses(), c.Losses, fixture.RTol, terms/max(maxAbs(c.Losses), 1e-30))
				grad := ce.Backward()
				if grad.Rows != c.Grad.Rows || grad.Cols != c.Grad.Cols {
					t.Fatalf("gradient is %d×%d, want %d×%d", grad.Rows, grad.Cols, c.Grad.Rows, c.Grad.Cols)
				}
				fixture.Compare(t, "grad", fixture.Values(grad), c.Grad.Data, fixture.RTol, 1)
			}
		})
	}
}

// ceProblem is a small random problem for gradient checks: 5 samples of 4
// classes, every option in use, one row ignored.
func ceProblem(seed uint64) (logits *mat.Dense, target []int, probs *mat.Dense, weight []float32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	logits = mat.NewDense(5, 4, nil)
	probs = mat.NewDense(5, 4, nil)
	for i := range logits.Data {
		logits.Data[i] = float32(rng.NormFloat64() * 2)
		probs.Data[i] = rng.Float32()
	}
	target = []int{3, -100, 0, 1, 3}
	weight = []float32{0.5, 2, 1, 1.5}
	return logits, target, probs, weight
}

// TestCrossEntropyGradient checks Backward against central differences of
// Forward, for class and probability targets, with weights, an ignored row
// and label smoothing, under every reduction (for None the objective is the
// sum Forward returns).
func TestCrossEntropyGradient(t *testing.T) {
	for _, r := range []loss.Reduction{loss.Mean, loss.Sum, loss.None} {
		for _, eps := range []float32{0, 0.1, 1} {
			logits, target, probs, weight := ceProblem(uint64(r) + 7)
			ce := loss.NewCrossEntropy()
			ce.Weight, ce.Reduction, ce.LabelSmoothing = weight, r, eps
			ce2 := *ce // a criterion for the objective, so that ce's gradient stays

			ce.Forward(logits, target)
			checkGradient(t, "classes "+r.String(), logits, ce.Backward(), func() float64 {
				return float64(ce2.Forward(logits, target))
			})
			ce.ForwardProbs(logits, probs)
			checkGradient(t, "probabilities "+r.String(), logits, ce.Backward(), func() float64 {
				return float64(ce2.ForwardProbs(logits, probs))
			})
		}
	}
}

// TestCrossEntropyHuge checks that logits of ±1e4 give exact losses: with
// the row maximum subtracted, exp(−1e4) and exp(−2e4) vanish, so
// log Σ exp(z) is exactly the maximum.
func TestCrossEntropyHuge(t *testing.T) {
	logits := mat.NewDense(4, 3, []float32{
		1e4, -1e4, 0,
		1e4, -1e4, 0,
		1e4, -1e4, 0,
		-1e4, -1e4, -1e4,
	})
	ce := loss.NewCrossEntropy()
	ce.Reduction = loss.None
	got := ce.Forward(logits, []int{0, 1, 2, 0})
	// −log p_y = max z − z_y, and log 3 for equal logits.
	want := []float32{0, 2e4, 1e4, float32(math.Log(3))}
	for i, w := range want {
		if l := ce.Losses()[i]; l != w {
			t.Errorf("loss of sample %d = %v, want %v", i, l, w)
		}
	}
	if s := float32(3e4 + math.Log(3)); got != s {
		t.Errorf("sum = %v, want %v", got, s)
	}
	// The gradient is p − onehot(y): p is (1, 0, 0) in the first three
	// rows and uniform in the last.
	third := float32(1.0 / 3)
	wantGrad := []float32{0, 0, 0, 1, -1, 0, 1, 0, -1, third - 1, third, third}
	for i, g := range fixture.Values(ce.Backward()) {
		if math.Abs(float64(g-wantGrad[i])) > 1e-7 {
			t.Errorf("gradient[%d] = %v, want %v", i, g, wantGrad[i])
		}
	}
}

// TestCrossEntropyEmpty checks a batch of no samples: PyTorch's mean is
// 0/0 = NaN, its sum 0.
func TestCrossEntropyEmpty(t *testing.T) {
	ce := loss.NewCrossEntropy()
	if got := ce.Forward(mat.NewDense(0, 3, nil), nil); !math.IsNaN(float64(got)) {
		t.Errorf("Mean of no samples = %v, want NaN", got)
	}
	if g := ce.Backward(); g.Rows != 0 || g.Cols != 3 {
		t.Errorf("gradient is %d×%d, want 0×3", g.Rows, g.Cols)
	}
	ce.Reduction = loss.Sum
	if got := ce.ForwardProbs(mat.NewDense(0, 3, nil), mat.NewDense(0, 3, nil)); got != 0 {
		t.Errorf("Sum of no samples = %v, want 0", got)
	}
}

// TestCrossEntropyPanics checks that bad inputs panic with a message naming
// the loss and the shapes, and before anything is computed: the results of
// the last good Forward survive.
func TestCrossEntropyPanics(t *testing.T) {
	logits := mat.NewDense(4, 10, nil)
	varied := mat.NewDense(4, 10, nil)
	for i := range varied.Data {
		varied.Data[i] = float32(i%7) - 3
	}
	good := []int{1, 2, 3, 4}
	with := func(set func(*loss.CrossEntropy)) *loss.CrossEntropy {
		ce := loss.NewCrossEntropy()
		set(ce)
		return ce
	}
	ignore2 := with(func(c *loss.CrossEntropy) { c.IgnoreIndex = 2 })
	weights3 := with(func(c *loss.CrossEntropy) { c.Weight = make([]float32, 3) })
	weights0 := with(func(c *loss.CrossEntropy) { c.Weight = []float32{} })
	eps15 := with(func(c *loss.CrossEntropy) { c.LabelSmoothing = 1.5 })
	epsNeg := with(func(c *loss.CrossEntropy) { c.LabelSmoothing = -0.1 })
	epsNaN := with(func(c *loss.CrossEntropy) { c.LabelSmoothing = float32(math.NaN()) })
	reduction7 := with(func(c *loss.CrossEntropy) { c.Reduction = 7 })
	ce := loss.NewCrossEntropy()
	for name, c := range map[string]struct {
		f    func()
		want string
	}{
		"Backward first":   {func() { loss.NewCrossEntropy().Backward() }, "loss.CrossEntropy: Backward before Forward"},
		"targets":          {func() { ce.Forward(logits, good[:3]) }, "loss.CrossEntropy: 3 targets for 4 rows of logits"},
		"class too big":    {func() { ce.Forward(logits, []int{1, 2, 3, 12}) }, "loss.CrossEntropy: target 12 of sample 3 is out of range for 10 classes"},
		"class = C":        {func() { ce.Forward(logits, []int{10, 2, 3, 4}) }, "loss.CrossEntropy: target 10 of sample 0 is out of range for 10 classes"},
		"negative class":   {func() { ce.Forward(logits, []int{1, -1, 3, 4}) }, "loss.CrossEntropy: target -1 of sample 1 is out of range for 10 classes"},
		"-100 not ignored": {func() { ignore2.Forward(logits, []int{1, -100, 3, 4}) }, "loss.CrossEntropy: target -100 of sample 1 is out of range"},
		"weights":          {func() { weights3.Forward(logits, good) }, "loss.CrossEntropy: 3 class weights for 10 classes"},
		"empty weights":    {func() { weights0.Forward(logits, good) }, "loss.CrossEntropy: 0 class weights for 10 classes"},
		"smoothing > 1":    {func() { eps15.Forward(logits, good) }, "loss.CrossEntropy: LabelSmoothing 1.5 is outside [0, 1]"},
		"smoothing < 0":    {func() { epsNeg.Forward(logits, good) }, "loss.CrossEntropy: LabelSmoothing -0.1 is outside [0, 1]"},
		"smoothing NaN":    {func() { epsNaN.ForwardProbs(logits, logits) }, "loss.CrossEntropy: LabelSmoothing NaN is outside [0, 1]"},
		"reduction":        {func() { reduction7.Forward(logits, good) }, "loss.CrossEntropy: unknown Reduction(7)"},
		"no classes":       {func() { ce.Forward(mat.NewDense(4, 0, nil), good) }, "loss.CrossEntropy: logits are 4×0: no classes"},
		"nil logits":       {func() { ce.Forward(nil, good) }, "loss.CrossEntropy: logits is nil"},
		"stride":           {func() { ce.Forward(&mat.Dense{Rows: 4, Cols: 10, Stride: 9, Data: make([]float32, 40)}, good) }, "loss.CrossEntropy: logits is 4×10 with stride 9 < 10 columns"},
		"short data":       {func() { ce.Forward(&mat.Dense{Rows: 4, Cols: 10, Stride: 10, Data: make([]float32, 39)}, good) }, "loss.CrossEntropy: logits is 4×10 with stride 10: needs 40 elements, Data has 39"},
		"probs shape":      {func() { ce.ForwardProbs(logits, mat.NewDense(4, 3, nil)) }, "loss.CrossEntropy: target is 4×3 but logits are 4×10"},
		"probs rows":       {func() { ce.ForwardProbs(logits, mat.NewDense(5, 10, nil)) }, "loss.CrossEntropy: target is 5×10 but logits are 4×10"},
		"probs nil":        {func() { ce.ForwardProbs(logits, nil) }, "loss.CrossEntropy: target is nil"},
		"probs short":      {func() { ce.ForwardProbs(logits, &mat.Dense{Rows: 4, Cols: 10, Stride: 10, Data: make([]float32, 39)}) }, "loss.CrossEntropy: target is 4×10 with stride 10: needs 40 elements, Data has 39"},
		"stride 0":         {func() { ce.Forward(&mat.Dense{Rows: 4, Cols: 10, Stride: 0, Data: make([]float32, 10)}, good) }, "loss.CrossEntropy: logits is 4×10 with stride 0 < 10 columns"},
		"probs no classes": {func() { ce.ForwardProbs(mat.NewDense(4, 0, nil), mat.NewDense(4, 0, nil)) }, "loss.CrossEntropy: logits are 4×0: no classes"},
	} {
		// Each bad call follows a good one, on other logits, whose results
		// must survive it.
		ce.Forward(varied, good)
		before := fixture.Values(ce.Backward())
		if got := testkit.PanicMessage(c.f); !strings.Contains(got, c.want) {
			t.Errorf("%s: panic %q, want %q", name, got, c.want)
		}
		if after := fixture.Values(ce.Backward()); !slices.Equal(after, before) {
			t.Errorf("%s: the panicking call changed the gradient", name)
		}
	}
}

func TestReductionString(t *testing.T) {
	for r, want := range map[loss.Reduction]string{loss.Mean: "Mean", loss.Sum: "Sum", loss.None: "None", 3: "Reduction(3)", -1: "Reduction(-1)"} {
		if got := r.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(r), got, want)
		}
	}
}
