package sgd

import (
	"math"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// schedCase is a case of testdata/sched.json, written by
// internal/gen/sched.py from torch.optim.lr_scheduler.
type schedCase struct {
	Name string
	Kind string
	Args struct {
		StepSize    int     `json:"step_size"`
		Gamma       float64 `json:"gamma"`
		Milestones  []int   `json:"milestones"`
		TMax        int     `json:"T_max"`
		EtaMin      float64 `json:"eta_min"`
		StartFactor float64 `json:"start_factor"`
		EndFactor   float64 `json:"end_factor"`
		TotalIters  int     `json:"total_iters"`
	}
	LR     float64   // the initial lr
	LRs    []float64 // get_last_lr()[0] after the constructor and each step
	Alphas []float32 // the float32 alpha of the optimizer step before each scheduler step

	// CosExact says whether glibc's cos, which torch called, was correctly
	// rounded at every argument of the schedule; pente's cos is.
	CosExact bool `json:"cos_exact"`
}

// scheduler is what every scheduler has.
type scheduler interface {
	Step()
	LR() float64
	Epoch() int
}

func (c *schedCase) scheduler(opt Optimizer) scheduler {
	a := c.Args
	switch c.Kind {
	case "StepLR":
		return NewStepLR(opt, a.StepSize, a.Gamma)
	case "MultiStepLR":
		return NewMultiStepLR(opt, a.Milestones, a.Gamma)
	case "ExponentialLR":
		return NewExponentialLR(opt, a.Gamma)
	case "CosineAnnealingLR":
		return NewCosineAnnealingLR(opt, a.TMax, a.EtaMin)
	case "LinearLR":
		return NewLinearLR(opt, a.StartFactor, a.EndFactor, a.TotalIters)
	}
	panic("unknown scheduler " + c.Kind)
}

// float64Opt is an Optimizer whose lr is a float64, as Adam's is; Step
// records the float32 alpha a torch kernel would get from it.
type float64Opt struct {
	lr     float64
	alphas []float32
}

func (o *float64Opt) Step()            { o.alphas = append(o.alphas, float32(o.lr)) }
func (o *float64Opt) ZeroGrad()        {}
func (o *float64Opt) LR() float64      { return o.lr }
func (o *float64Opt) SetLR(lr float64) { o.lr = lr }

// TestSchedulersPyTorch runs every scheduler of the fixtures, 70 steps
// each, on an optimizer whose lr is a float64 (as Adam's is) and on
// pente's SGD with Config{LR: float32(lr)}, and compares the whole lr
// sequence with torch's bit for bit, as float64, and the float32 alpha of
// every optimizer step bit for bit.
//
// The exception: two CosineAnnealingLR cases whose schedule meets an
// argument where glibc's cos, which torch calls, is not correctly rounded
// (and pente's is); there the lr follows torch's within 1e-15 relative
// from that step on, and the alphas must still be the same bits.
func TestSchedulersPyTorch(t *testing.T) {
	var cases []schedCase
	fixture.Load(t, "sched.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases in sched.json")
	}
	for _, c := range cases {
		for _, sgd := range []bool{false, true} {
			name := c.Name + " float64"
			if sgd {
				name = c.Name + " SGD"
			}
			t.Run(name, func(t *testing.T) {
				var opt Optimizer
				var alpha func() float32
				if sgd {
					p := &layer.Param{Value: mat.NewDense(1, 1, nil), Grad: mat.NewDense(1, 1, []float32{1})}
					s, err := New([]*layer.Param{p}, Config{LR: float32(c.LR)})
					if err != nil {
						t.Fatal(err)
					}
					opt = s
					alpha = func() float32 { // θ = 0 − α·1
						a := 0 - p.Value.Data[0]
						p.Value.Data[0] = 0
						return a
					}
				} else {
					o := &float64Opt{lr: c.LR}
					opt = o
					alpha = func() float32 { return o.alphas[len(o.alphas)-1] }
				}
				s := c.scheduler(opt)
				bad := 0
				check := func(k int, got, want float64) {
					if !c.CosExact && math.Abs(got-want) <= 1e-15*math.Abs(want) {
						return
					}
					if math.Float64bits(got) != math.Float64bits(want) {
						if bad++; bad <= 5 {
							t.Errorf("lr after %d steps = %v, want %v", k, got, want)
						}
					}
				}
				check(0, s.LR(), c.LRs[0])
				for k := range c.Alphas {
					opt.Step()
					if got := alpha(); math.Float32bits(got) != math.Float32bits(c.Alphas[k]) {
						if bad++; bad <= 5 {
							t.Errorf("alpha of optimizer step %d = %v, want %v", k, got, c.Alphas[k])
						}
					}
					s.Step()
					check(k+1, s.LR(), c.LRs[k+1])
					if s.Epoch() != k+1 {
						t.Fatalf("Epoch() = %d after %d steps", s.Epoch(), k+1)
					}
				}
			})
		}
	}
}

// TestDecimalLR checks that SGD reads its float32 lr as the shortest
// decimal that rounds to it.
func TestDecimalLR(t *testing.T) {
	p := &layer.Param{Value: mat.NewDense(1, 1, nil), Grad: mat.NewDense(1, 1, nil)}
	s, err := New([]*layer.Param{p}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lr   float32
		want float64
	}{
		{0.1, 0.1}, {0.5, 0.5}, {1e-3, 1e-3}, {3e-4, 3e-4}, {0.123456, 0.123456},
		{0.123456789, 0.12345679}, {0, 0}, {float32(math.Inf(1)), math.Inf(1)},
	} {
		s.Config.LR = c.lr
		if got := s.decimalLR(); got != c.want {
			t.Errorf("Config.LR %v: decimalLR() = %v, want %v", c.lr, got, c.want)
		}
	}
	if !raceEnabled {
		if n := testkit.AllocsPerRun(10, func() { s.decimalLR() }); n != 0 {
			t.Errorf("decimalLR: %v allocations", n)
		}
	}
}

// TestSchedulerOutsideChange checks that a change to the optimizer's lr
// between two steps is where the next step starts from, as torch's
// chainable forms read group['lr'].
func TestSchedulerOutsideChange(t *testing.T) {
	o := &float64Opt{lr: 1}
	s := NewExponentialLR(o, 0.5)
	s.Step()
	if s.LR() != 0.5 || o.lr != 0.5 {
		t.Fatalf("after one step lr = %v (optimizer %v), want 0.5", s.LR(), o.lr)
	}
	o.SetLR(0.1)
	s.Step()
	if s.LR() != 0.05 || o.lr != 0.05 {
		t.Errorf("after SetLR(0.1) and a step lr = %v (optimizer %v), want 0.05", s.LR(), o.lr)
	}

	// With SGD, the scheduler keeps the float64 lr while Config.LR holds
	// its float32 rounding, and follows Config.LR, read as a decimal, once
	// it is changed.
	p := &layer.Param{Value: mat.NewDense(1, 1, nil), Grad: mat.NewDense(1, 1, nil)}
	opt, err := New([]*layer.Param{p}, Config{LR: 1})
	if err != nil {
		t.Fatal(err)
	}
	gamma := 0.1
	e := NewExponentialLR(opt, gamma)
	e.Step()
	e.Step()
	if want := gamma * gamma; e.LR() != want || opt.Config.LR != float32(want) {
		t.Errorf("lr = %v, Config.LR = %v, want %v and %v", e.LR(), opt.Config.LR, want, float32(want))
	}
	opt.Config.LR = 0.5
	e.Step()
	if e.LR() != 0.05 {
		t.Errorf("after Config.LR = 0.5 and a step lr = %v, want 0.05", e.LR())
	}
}

// TestSchedulerPanics checks the arguments torch rejects, and the others
// pente rejects.
func TestSchedulerPanics(t *testing.T) {
	o := &float64Opt{lr: 0.1}
	for name, c := range map[string]struct {
		f    func()
		want string
	}{
		"nil":             {func() { NewStepLR(nil, 1, 0.1) }, "sgd: StepLR: nil optimizer"},
		"step_size 0":     {func() { NewStepLR(o, 0, 0.1) }, "sgd: StepLR: step_size 0 is not positive"},
		"step_size -1":    {func() { NewStepLR(o, -1, 0.1) }, "sgd: StepLR: step_size -1 is not positive"},
		"gamma NaN":       {func() { NewStepLR(o, 1, math.NaN()) }, "sgd: StepLR: gamma is NaN"},
		"multistep gamma": {func() { NewMultiStepLR(o, []int{1}, math.Inf(1)) }, "sgd: MultiStepLR: gamma is +Inf"},
		"exp gamma":       {func() { NewExponentialLR(o, math.NaN()) }, "sgd: ExponentialLR: gamma is NaN"},
		"T_max 0":         {func() { NewCosineAnnealingLR(o, 0, 0) }, "sgd: CosineAnnealingLR: T_max 0 is not positive"},
		"eta_min":         {func() { NewCosineAnnealingLR(o, 3, math.NaN()) }, "sgd: CosineAnnealingLR: eta_min is NaN"},
		"start 0":         {func() { NewLinearLR(o, 0, 1, 5) }, "sgd: LinearLR: start_factor 0 is outside (0, 1]"},
		"start 2":         {func() { NewLinearLR(o, 2, 1, 5) }, "sgd: LinearLR: start_factor 2 is outside (0, 1]"},
		"end":             {func() { NewLinearLR(o, 0.5, -0.5, 5) }, "sgd: LinearLR: end_factor -0.5 is outside [0, 1]"},
		"end NaN":         {func() { NewLinearLR(o, 0.5, math.NaN(), 5) }, "sgd: LinearLR: end_factor NaN is outside [0, 1]"},
		"total":           {func() { NewLinearLR(o, 0.5, 1, -1) }, "sgd: LinearLR: total_iters -1 is negative"},
	} {
		if got := testkit.PanicMessage(c.f); !strings.Contains(got, c.want) {
			t.Errorf("%s: panic %q, want %q", name, got, c.want)
		}
		if o.lr != 0.1 {
			t.Fatalf("%s: the panicking constructor set the lr to %v", name, o.lr)
		}
	}
}

// TestCos checks cos against the correctly rounded cosine, bit for bit,
// on the arguments CosineAnnealingLR gives it (π/T for T up to 199, π·t/T
// for T of 7 to 1000) and on random ones in [−1000, 1000] and near 0, and
// logs how often glibc's cos (Python's math.cos, which torch calls) and
// math.Cos are not.
func TestCos(t *testing.T) {
	var cases []struct {
		X, Cos, Exact float64 // x, glibc's cos x and the correctly rounded one
	}
	fixture.Load(t, "cos.json", &cases)
	if len(cases) < 1000 {
		t.Fatalf("%d cases in cos.json", len(cases))
	}
	bad, glibc, goCos := 0, 0, 0
	for _, c := range cases {
		got := cos(c.X)
		if math.Float64bits(got) != math.Float64bits(c.Exact) {
			if bad++; bad <= 5 {
				t.Errorf("cos(%v) = %v, want %v (correctly rounded)", c.X, got, c.Exact)
			}
		}
		if c.Cos != c.Exact {
			glibc++
		}
		if math.Cos(c.X) != c.Cos {
			goCos++
		}
	}
	t.Logf("of %d arguments, glibc's cos differs from the correctly rounded one in %d, math.Cos from glibc's in %d", len(cases), glibc, goCos)
	for _, x := range []float64{math.NaN(), math.Inf(1), 1e300} {
		if got, want := cos(x), math.Cos(x); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("cos(%v) = %v, want math.Cos's %v", x, got, want)
		}
	}
}
