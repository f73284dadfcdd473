package sgd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/mat/asm"
)

// adamFixtureConfig is AdamConfig as internal/gen/adam.py writes it.
type adamFixtureConfig struct {
	LR          float64    `json:"lr"`
	Betas       [2]float64 `json:"betas"`
	Eps         float64    `json:"eps"`
	WeightDecay float64    `json:"weight_decay"`
	AMSGrad     bool       `json:"amsgrad"`
	Maximize    bool       `json:"maximize"`
}

func (c adamFixtureConfig) config() AdamConfig {
	return AdamConfig{LR: c.LR, Beta1: c.Betas[0], Beta2: c.Betas[1], Eps: c.Eps, WeightDecay: c.WeightDecay,
		AMSGrad: c.AMSGrad, Maximize: c.Maximize}
}

type adamCase struct {
	Name   string
	AdamW  bool
	Params []struct {
		Name  string
		Value fixture.Matrix
	}
	Steps []struct {
		Config      adamFixtureConfig
		Grads       []fixture.Matrix
		Params      []fixture.Matrix
		ExpAvg      []fixture.Matrix `json:"exp_avg"`
		ExpAvgSq    []fixture.Matrix `json:"exp_avg_sq"`
		MaxExpAvgSq []fixture.Matrix `json:"max_exp_avg_sq"`
		Step        []float64
	}
}

// TestAdamPyTorch compares Step with torch.optim.Adam's and AdamW's after
// every step, parameters and state, bit for bit: the update rounds as
// Debian's torch 1.13 does on AVX2 (see asm.Kernels.Adam), on every kernel
// set (run the package with PENTE_KERNELS=generic, -tags purego and on
// arm64 for the others), with the parameters apart (one kernel call each)
// and in a model's block (one call for all).
func TestAdamPyTorch(t *testing.T) {
	var cases []adamCase
	fixture.Load(t, "adam.json", &cases)
	if len(cases) < 20 {
		t.Fatalf("%d cases in adam.json", len(cases))
	}
	for _, c := range cases {
		for _, layout := range []string{"apart", "flat"} {
			t.Run(c.Name+"/"+layout, func(t *testing.T) {
				var params []*layer.Param
				if layout == "apart" {
					for _, p := range c.Params {
						v := p.Value.Dense()
						params = append(params, &layer.Param{Name: p.Name, Value: v, Grad: mat.NewDense(v.Rows, v.Cols, nil)})
					}
				} else {
					var shapes [][2]int
					for _, p := range c.Params {
						shapes = append(shapes, [2]int{p.Value.Rows, p.Value.Cols})
					}
					params, _ = flatParams(rand.New(rand.NewPCG(1, 1)), shapes)
					for i, p := range c.Params {
						copy(params[i].Value.Data, p.Value.Data)
					}
				}
				newOpt := NewAdam
				if c.AdamW {
					newOpt = NewAdamW
				}
				opt, err := newOpt(params, c.Steps[0].Config.config())
				if err != nil {
					t.Fatal(err)
				}
				if (opt.block != nil) != (layout == "flat") {
					t.Fatalf("%s parameters: block %v", layout, opt.block)
				}
				for k, step := range c.Steps {
					opt.Config = step.Config.config()
					for i, p := range params {
						copy(p.Grad.Data, step.Grads[i].Data)
					}
					opt.Step()
					tensors, counters := opt.State()
					for i, p := range params {
						what := fmt.Sprintf("step %d: %s", k, c.Params[i].Name)
						if !testkit.SameBits(p.Grad.Data, step.Grads[i].Data) {
							t.Errorf("%s: Step modified Grad", what)
						}
						pre := fmt.Sprint(i, ".")
						for _, x := range []struct {
							name      string
							got, want []float32
						}{
							{"Value", p.Value.Data, step.Params[i].Data},
							{"exp_avg", tensors[pre+"exp_avg"], step.ExpAvg[i].Data},
							{"exp_avg_sq", tensors[pre+"exp_avg_sq"], step.ExpAvgSq[i].Data},
						} {
							sameBitsAsTorch(t, what+" "+x.name, x.got, x.want)
						}
						if step.Config.AMSGrad {
							sameBitsAsTorch(t, what+" max_exp_avg_sq", tensors[pre+"max_exp_avg_sq"], step.MaxExpAvgSq[i].Data)
						}
						if got := counters[pre+"step"]; float64(got) != step.Step[i] {
							t.Errorf("%s: step %d, torch %v", what, got, step.Step[i])
						}
					}
				}
			})
		}
	}
}

// sameBitsAsTorch fails t unless got is want bit for bit, and says by how
// much the first difference misses.
func sameBitsAsTorch(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, torch %d", what, len(got), len(want))
	}
	for j := range got {
		if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
			t.Fatalf("%s[%d] = %v, torch %v (%d ulp; kernels %s)", what, j, got[j], want[j],
				int64(math.Float32bits(got[j]))-int64(math.Float32bits(want[j])), asm.Active())
		}
	}
}

// adamConfigs are every combination of the options of Adam and AdamW.
func adamConfigs() []AdamConfig {
	var cs []AdamConfig
	for f := 0; f < 8; f++ {
		c := AdamDefaults()
		c.LR = 0.01
		c.Maximize, c.AMSGrad = f&1 != 0, f&2 != 0
		if f&4 != 0 {
			c.WeightDecay = 0.1
		}
		cs = append(cs, c)
	}
	return cs
}

// TestAdamFlatMatchesPerParameter checks that Step over a model's block
// (one kernel call) gives the bits of Step over the same parameters apart,
// through a schedule that changes the configuration, AMSGrad turned on
// midway included, for Adam and AdamW.
func TestAdamFlatMatchesPerParameter(t *testing.T) {
	big := append(append([][2]int(nil), shapes...), [2]int{150, 131}, [2]int{1, 3})
	for _, w := range []bool{false, true} {
		for _, cfg := range adamConfigs() {
			t.Run(fmt.Sprintf("adamw=%v/%+v", w, cfg), func(t *testing.T) {
				r := rand.New(rand.NewPCG(13, 14))
				flat, apart := flatParams(r, big)
				newOpt := NewAdam
				if w {
					newOpt = NewAdamW
				}
				a, err := newOpt(flat, cfg)
				if err != nil {
					t.Fatal(err)
				}
				b, err := newOpt(apart, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if a.block == nil || b.block != nil {
					t.Fatal("New did not tell flat parameters from apart")
				}
				schedule := []func(c *AdamConfig){
					func(*AdamConfig) {},
					func(c *AdamConfig) { c.LR = 0.1 },
					func(c *AdamConfig) { c.AMSGrad = true; c.Beta1 = 0.5 },
					func(c *AdamConfig) { c.WeightDecay = 0 },
				}
				for k, change := range schedule {
					change(&a.Config)
					change(&b.Config)
					if k > 0 {
						a.ZeroGrad()
						b.ZeroGrad()
						for i := range flat {
							fill(r, flat[i].Grad.Data)
							copy(apart[i].Grad.Data, flat[i].Grad.Data)
						}
					}
					a.Step()
					b.Step()
					ta, _ := a.State()
					tb, _ := b.State()
					for i, p := range flat {
						if !testkit.SameBits(p.Value.Data, apart[i].Value.Data) {
							t.Fatalf("step %d: %s differs", k, p.Name)
						}
					}
					for name, x := range ta {
						if !testkit.SameBits(x, tb[name]) {
							t.Fatalf("step %d: %s differs", k, name)
						}
					}
				}
			})
		}
	}
}

// TestAdamNoAllocations checks that Step and ZeroGrad allocate nothing
// after the first Step, flat and apart, under every option.
func TestAdamNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	layouts := map[string]func() []*layer.Param{
		"apart": func() []*layer.Param { a, _ := randomParams(rand.New(rand.NewPCG(5, 6))); return a },
		"flat":  func() []*layer.Param { f, _ := modelParams(rand.New(rand.NewPCG(19, 20))); return f },
	}
	for name, params := range layouts {
		for _, cfg := range adamConfigs() {
			for _, newOpt := range []func([]*layer.Param, AdamConfig) (*Adam, error){NewAdam, NewAdamW} {
				opt, err := newOpt(params(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				opt.Step()
				if n := testkit.AllocsPerRun(10, opt.Step); n != 0 {
					t.Errorf("%s %+v: Step makes %v allocations", name, cfg, n)
				}
				if n := testkit.AllocsPerRun(10, opt.ZeroGrad); n != 0 {
					t.Errorf("%s %+v: ZeroGrad makes %v allocations", name, cfg, n)
				}
				if n := testkit.AllocsPerRun(10, func() { opt.SetLR(opt.LR() * 0.9); opt.Step() }); n != 0 {
					t.Errorf("%s %+v: SetLR and Step make %v allocations", name, cfg, n)
				}
			}
		}
	}
}

func TestAdamDefaults(t *testing.T) {
	if c := AdamDefaults(); c != (AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}) {
		t.Errorf("AdamDefaults() = %+v", c)
	}
	if c := AdamWDefaults(); c != (AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 1e-2}) {
		t.Errorf("AdamWDefaults() = %+v", c)
	}
	for _, c := range []AdamConfig{AdamDefaults(), AdamWDefaults(), {}, {Beta1: 0.999999, Beta2: 0}} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

// TestNewAdamErrors checks the configurations torch refuses (and NaN and
// infinities, which it takes), and that the parameter checks are New's.
func TestNewAdamErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	d := AdamDefaults
	with := func(f func(c *AdamConfig)) AdamConfig { c := d(); f(&c); return c }
	a, _ := randomParams(rand.New(rand.NewPCG(3, 4)))
	for _, tc := range []struct {
		cfg  AdamConfig
		want string
	}{
		{with(func(c *AdamConfig) { c.LR = -1e-3 }), "invalid learning rate: -0.001"},
		{with(func(c *AdamConfig) { c.LR = nan }), "invalid learning rate: NaN"},
		{with(func(c *AdamConfig) { c.LR = inf }), "invalid learning rate: +Inf"},
		{with(func(c *AdamConfig) { c.Eps = -1e-8 }), "invalid epsilon value"},
		{with(func(c *AdamConfig) { c.Eps = nan }), "invalid epsilon value"},
		{with(func(c *AdamConfig) { c.Beta1 = 1 }), "invalid beta parameter at index 0: 1"},
		{with(func(c *AdamConfig) { c.Beta1 = -0.1 }), "invalid beta parameter at index 0"},
		{with(func(c *AdamConfig) { c.Beta1 = nan }), "invalid beta parameter at index 0"},
		{with(func(c *AdamConfig) { c.Beta2 = 1 }), "invalid beta parameter at index 1"},
		{with(func(c *AdamConfig) { c.Beta2 = 1.5 }), "invalid beta parameter at index 1"},
		{with(func(c *AdamConfig) { c.Beta2 = nan }), "invalid beta parameter at index 1"},
		{with(func(c *AdamConfig) { c.WeightDecay = -0.1 }), "invalid weight_decay value"},
		{with(func(c *AdamConfig) { c.WeightDecay = inf }), "invalid weight_decay value"},
	} {
		for _, newOpt := range []func([]*layer.Param, AdamConfig) (*Adam, error){NewAdam, NewAdamW} {
			_, err := newOpt(a, tc.cfg)
			if err == nil || err.Error() != "sgd: "+tc.want && !strings.HasPrefix(err.Error(), "sgd: "+tc.want) {
				t.Errorf("%+v: error %v, want %q", tc.cfg, err, tc.want)
			}
		}
	}
	shared := &layer.Param{Value: a[0].Value, Grad: mat.NewDense(a[0].Value.Rows, a[0].Value.Cols, nil)}
	for _, tc := range []struct {
		params []*layer.Param
		want   string
	}{
		{nil, "sgd: optimizer got an empty parameter list"},
		{[]*layer.Param{a[0], nil}, "sgd: parameter 1 is nil"},
		{[]*layer.Param{a[0], a[1], a[0]}, "sgd: some parameters appear more than once"},
		{[]*layer.Param{a[0], shared}, "sgd: some parameters share memory"},
		{[]*layer.Param{{Value: mat.NewDense(2, 2, nil), Grad: mat.NewDense(2, 3, nil)}}, "Value is 2×2 but Grad is 2×3"},
	} {
		_, err := NewAdam(tc.params, AdamDefaults())
		_, errSGD := New(tc.params, Config{LR: 0.1})
		if err == nil || !strings.Contains(err.Error(), tc.want) || errSGD == nil || err.Error() != errSGD.Error() {
			t.Errorf("error %v (New: %v), want %q", err, errSGD, tc.want)
		}
	}
}

// TestAdamStepPanics checks that Step refuses a configuration made invalid
// and a parameter that changed size.
func TestAdamStepPanics(t *testing.T) {
	a, _ := randomParams(rand.New(rand.NewPCG(3, 4)))
	opt, err := NewAdam(a, AdamDefaults())
	if err != nil {
		t.Fatal(err)
	}
	opt.Config.Beta2 = 1
	if msg := testkit.PanicMessage(opt.Step); !strings.Contains(msg, "invalid beta parameter at index 1") {
		t.Errorf("panic %q", msg)
	}
	opt.Config = AdamDefaults()
	a[2].Value = mat.NewDense(7, 7, nil)
	a[2].Grad = mat.NewDense(7, 7, nil)
	if msg := testkit.PanicMessage(opt.Step); !strings.Contains(msg, "sgd: Step: parameter 2") {
		t.Errorf("panic %q", msg)
	}
}

func TestAdamLR(t *testing.T) {
	a, _ := randomParams(rand.New(rand.NewPCG(3, 4)))
	opt, err := NewAdamW(a, AdamWDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if opt.LR() != 1e-3 {
		t.Errorf("LR() = %v", opt.LR())
	}
	opt.SetLR(0.25)
	if opt.LR() != 0.25 || opt.Config.LR != 0.25 {
		t.Errorf("after SetLR(0.25): LR() = %v, Config.LR = %v", opt.LR(), opt.Config.LR)
	}
}

// TestAdamState checks State's names, lengths and views, and that an
// optimizer given another's state by SetState continues exactly as the
// other does; and that SetState refuses bad state without changing any.
func TestAdamState(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	a, b := randomParams(r)
	cfg := AdamDefaults()
	cfg.AMSGrad = true
	x, err := NewAdam(a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ts, cs := x.State(); len(ts) != 0 || len(cs) != 0 {
		t.Fatalf("state before the first step: %v %v", ts, cs)
	}
	for range 3 {
		for _, p := range a {
			fill(r, p.Grad.Data)
		}
		x.Step()
	}
	ts, cs := x.State()
	if len(ts) != 3*len(a) || len(cs) != len(a) {
		t.Fatalf("%d tensors, %d counters for %d parameters", len(ts), len(cs), len(a))
	}
	for i, p := range a {
		for _, n := range []string{"exp_avg", "exp_avg_sq", "max_exp_avg_sq"} {
			if got := len(ts[fmt.Sprint(i, ".", n)]); got != len(p.Value.Data) {
				t.Errorf("%d.%s has %d elements, want %d", i, n, got, len(p.Value.Data))
			}
		}
		if cs[fmt.Sprint(i, ".step")] != 3 {
			t.Errorf("%d.step = %d", i, cs[fmt.Sprint(i, ".step")])
		}
	}
	ts["0.exp_avg"][0] = 0.5 // a view: the next step sees it
	if x.m[0] != 0.5 {
		t.Error("State's tensors are not views")
	}

	for i := range a {
		copy(b[i].Value.Data, a[i].Value.Data)
	}
	y, err := NewAdam(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		ts   map[string][]float32
		cs   map[string]int64
		want string
	}{
		{"missing tensor", without(ts, "3.exp_avg_sq"), cs, `no tensor "3.exp_avg_sq"`},
		{"unknown tensor", with(ts, "3.momentum_buffer", []float32{1}), cs, `unknown tensor "3.momentum_buffer"`},
		{"short", with(ts, "2.exp_avg", []float32{1}), cs, `"2.exp_avg" has 1 elements`},
		{"some max", without(ts, "4.max_exp_avg_sq"), cs, `no tensor "4.max_exp_avg_sq"`},
		{"steps differ", ts, map[string]int64{"0.step": 3, "1.step": 4}, "counters for"},
		{"negative", ts, map[string]int64{"step": -1}, "negative step"},
		{"no step", ts, map[string]int64{}, "counters for"},
	}
	steps := map[string]int64{}
	for i := range a {
		steps[fmt.Sprint(i, ".step")] = 3
	}
	steps["5.step"] = 2
	bad = append(bad, struct {
		name string
		ts   map[string][]float32
		cs   map[string]int64
		want string
	}{"one step differs", ts, steps, `"5.step" is 2`})
	for _, tc := range bad {
		err := y.SetState(tc.ts, tc.cs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: SetState error %v, want %q", tc.name, err, tc.want)
		}
		if y.m != nil || y.step != 0 {
			t.Fatalf("%s: SetState changed the state before failing", tc.name)
		}
	}
	if err := y.SetState(ts, map[string]int64{"step": 3}); err != nil {
		t.Fatal(err)
	}
	for k := range 3 {
		for i := range a {
			fill(r, a[i].Grad.Data)
			copy(b[i].Grad.Data, a[i].Grad.Data)
		}
		x.Step()
		y.Step()
		for i := range a {
			if !testkit.SameBits(a[i].Value.Data, b[i].Value.Data) {
				t.Fatalf("step %d after SetState: %s differs", k, a[i].Name)
			}
		}
	}
	if err := y.SetState(nil, nil); err != nil || y.m != nil || y.step != 0 {
		t.Errorf("SetState(nil, nil): %v, step %d", err, y.step)
	}
}

func without(m map[string][]float32, name string) map[string][]float32 {
	c := map[string][]float32{}
	for k, v := range m {
		if k != name {
			c[k] = v
		}
	}
	return c
}

func with(m map[string][]float32, name string, v []float32) map[string][]float32 {
	c := without(m, name)
	c[name] = v
	return c
}
