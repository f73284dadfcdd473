package sgd

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/mat/asm"
)

// fixtureConfig is Config as internal/gen/sgd.py writes it, with torch's
// names.
type fixtureConfig struct {
	LR          float32 `json:"lr"`
	Momentum    float32 `json:"momentum"`
	Dampening   float32 `json:"dampening"`
	WeightDecay float32 `json:"weight_decay"`
	Nesterov    bool    `json:"nesterov"`
	Maximize    bool    `json:"maximize"`
}

type sgdCase struct {
	Name   string
	Params []struct {
		Name  string
		Value fixture.Matrix
	}
	Steps []struct {
		Config  fixtureConfig
		Grads   []fixture.Matrix
		Params  []fixture.Matrix
		Buffers []*fixture.Matrix // nil where torch has no momentum buffer
	}
}

// Parameters and momentum buffers are compared with torch.optim.SGD's
// after every step within fixture.RTol (1e-5) of the largest value of the
// tensor (floor 1). Each element is a short chain of float32 operations
// on θ, ∇ and the buffer, all of that magnitude, and whether a
// multiply-add is fused changes the last bit of a term: torch's AVX2
// kernels fuse, as do pente's avx2fma and neon kernels and its generic
// ones on arm64 (Go fuses x*y+z there), but not its generic ones on
// amd64. Observed: bit-identical to torch with fused kernels, within
// 1.3e-7 of the largest value with amd64's generic ones. Any mistake in
// the formula (dampening at the first step, a lost μ, the sign, the
// Nesterov term) moves values by about γ·|∇| ≈ 1e-2 or more.
func TestPyTorch(t *testing.T) {
	var cases []sgdCase
	fixture.Load(t, "sgd.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no cases in sgd.json")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			params := make([]*layer.Param, len(c.Params))
			for i, p := range c.Params {
				v := p.Value.Dense()
				params[i] = &layer.Param{Name: p.Name, Value: v, Grad: mat.NewDense(v.Rows, v.Cols, nil)}
			}
			opt, err := New(params, Config(c.Steps[0].Config))
			if err != nil {
				t.Fatal(err)
			}
			for k, step := range c.Steps {
				opt.Config = Config(step.Config)
				for i, p := range params {
					copy(p.Grad.Data, step.Grads[i].Data)
				}
				opt.Step()
				for i, p := range params {
					what := fmt.Sprintf("step %d: %s", k, p.Name)
					if !testkit.SameBits(p.Grad.Data, step.Grads[i].Data) {
						t.Errorf("%s: Step modified Grad", what)
					}
					fixture.Compare(t, what+" Value", p.Value.Data, step.Params[i].Data, fixture.RTol, 1)
					got, want := opt.MomentumBuffer(p), step.Buffers[i]
					switch {
					case want == nil && got != nil:
						t.Errorf("%s: momentum buffer %v, want none", what, got)
					case want != nil && got == nil:
						t.Errorf("%s: no momentum buffer, want one", what)
					case want != nil:
						if got.Rows != want.Rows || got.Cols != want.Cols || got.Stride != got.Cols {
							t.Errorf("%s: momentum buffer is %d×%d with stride %d, want %d×%d",
								what, got.Rows, got.Cols, got.Stride, want.Rows, want.Cols)
						}
						fixture.Compare(t, what+" momentum buffer", got.Data, want.Data, fixture.RTol, 1)
					}
				}
			}
		})
	}
}

// shapes are parameter shapes whose lengths leave every SIMD tail.
var shapes = [][2]int{{1, 1}, {1, 2}, {1, 3}, {2, 2}, {1, 5}, {2, 3}, {1, 7}, {2, 4},
	{3, 3}, {1, 11}, {3, 5}, {4, 4}, {1, 17}, {5, 5}, {4, 8}, {3, 11}, {13, 4}, {1, 67}, {10, 10}}

// randomParams returns two identical lists of parameters with random
// values, a few of them ±0.
func randomParams(r *rand.Rand) (a, b []*layer.Param) {
	for i, s := range shapes {
		v := mat.NewDense(s[0], s[1], nil)
		fill(r, v.Data)
		name := fmt.Sprintf("p%d", i)
		a = append(a, &layer.Param{Name: name, Value: v, Grad: mat.NewDense(s[0], s[1], nil)})
		w := mat.NewDense(s[0], s[1], append([]float32(nil), v.Data...))
		b = append(b, &layer.Param{Name: name, Value: w, Grad: mat.NewDense(s[0], s[1], nil)})
	}
	return a, b
}

// fill sets x to normal values of mixed magnitudes and a few signed zeros.
func fill(r *rand.Rand, x []float32) {
	for i := range x {
		switch r.IntN(10) {
		case 0:
			x[i] = float32(math.Copysign(0, r.NormFloat64()))
		case 1:
			x[i] = float32(r.NormFloat64() * 1e3)
		case 2:
			x[i] = float32(r.NormFloat64() * 1e-3)
		default:
			x[i] = float32(r.NormFloat64())
		}
	}
}

// TestManualUpdate checks that Step with only LR set is bit for bit the
// manual update of the lesson, mat.Axpy(-lr, p.Grad.Data, p.Value.Data) on
// every parameter, through a schedule of learning rates. It runs on the
// default kernels; TestManualUpdateEveryKernelSet runs it again in a child
// process for each of the others.
func TestManualUpdate(t *testing.T) {
	if want := os.Getenv(asm.EnvVar); want != "" && asm.Active() != want {
		t.Fatalf("%s=%s but the active kernels are %q", asm.EnvVar, want, asm.Active())
	}
	r := rand.New(rand.NewPCG(1, 2))
	a, b := randomParams(r)
	opt, err := New(a, Config{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	for step, lr := range []float32{0.1, 0.01, 0.3, 1e-3, 0, 2.5, 0.1} {
		opt.Config.LR = lr
		for i := range a {
			fill(r, a[i].Grad.Data)
			copy(b[i].Grad.Data, a[i].Grad.Data)
		}
		opt.Step()
		for _, p := range b {
			mat.Axpy(-lr, p.Grad.Data, p.Value.Data)
		}
		for i := range a {
			for j, got := range a[i].Value.Data {
				if want := b[i].Value.Data[j]; math.Float32bits(got) != math.Float32bits(want) {
					t.Fatalf("%s kernels, step %d (lr %v): %s[%d] = %v after Step, %v after mat.Axpy (%#x, %#x)",
						asm.Active(), step, lr, a[i].Name, j, got, want, math.Float32bits(got), math.Float32bits(want))
				}
			}
		}
	}
}

// TestManualUpdateEveryKernelSet runs TestManualUpdate in a child process
// for every available kernel set other than the default, chosen with
// PENTE_KERNELS: mat.Axpy always uses the set chosen at start-up.
func TestManualUpdateEveryKernelSet(t *testing.T) {
	for _, name := range asm.Available() {
		if name == asm.Active() {
			continue // TestManualUpdate runs on it in this process
		}
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestManualUpdate$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), asm.EnvVar+"="+name)
			out, err := cmd.CombinedOutput()
			if errors.Is(err, syscall.ENOEXEC) {
				// For example under qemu-user without binfmt_misc: the test
				// binary cannot start itself. Run the package's tests with
				// PENTE_KERNELS=name instead.
				t.Skipf("cannot run the test binary again: %v; run with %s=%s", err, asm.EnvVar, name)
			}
			if err != nil || !bytes.Contains(out, []byte("--- PASS: TestManualUpdate ")) {
				t.Fatalf("%s=%s %s: %v\n%s", asm.EnvVar, name, strings.Join(cmd.Args, " "), err, out)
			}
		})
	}
}

// TestStepKeepsGrad checks that no configuration modifies Grad, and that
// Step allocates its buffers once.
func TestStepKeepsGrad(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	a, _ := randomParams(r)
	opt, err := New(a, Config{LR: 0.1, Momentum: 0.9, WeightDecay: 0.1, Nesterov: true, Maximize: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range a {
		fill(r, p.Grad.Data)
	}
	want := make([][]float32, len(a))
	for i, p := range a {
		want[i] = append([]float32(nil), p.Grad.Data...)
	}
	for range 3 {
		opt.Step()
	}
	for i, p := range a {
		if !testkit.SameBits(p.Grad.Data, want[i]) {
			t.Errorf("%s: Step modified Grad", p.Name)
		}
	}
}

// TestNoAllocations checks that Step and ZeroGrad allocate nothing after
// the first Step, on parameters apart and on parameters in one block (as
// layer.NewSequential lays them out), for every option set.
func TestNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	layouts := map[string]func() []*layer.Param{
		"apart": func() []*layer.Param { a, _ := randomParams(rand.New(rand.NewPCG(5, 6))); return a },
		"flat":  func() []*layer.Param { f, _ := modelParams(rand.New(rand.NewPCG(19, 20))); return f },
	}
	for name, params := range layouts {
		for _, cfg := range configs() {
			opt, err := New(params(), cfg)
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
			// A schedule that switches every option on after the first
			// step allocates once more, then no longer.
			opt.Config = Config{LR: 0.01, Momentum: 0.5, WeightDecay: 0.1, Nesterov: true, Maximize: true}
			opt.Step()
			if n := testkit.AllocsPerRun(10, opt.Step); n != 0 {
				t.Errorf("%s %+v then %+v: Step makes %v allocations", name, cfg, opt.Config, n)
			}
		}
	}
}

func TestZeroGrad(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	a, b := randomParams(r)
	for _, p := range a {
		fill(r, p.Grad.Data)
		p.Grad.Data[0] = 1 // never all zero
	}
	opt, err := New(a, Config{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	opt.ZeroGrad()
	for i, p := range a {
		for j, v := range p.Grad.Data {
			if math.Float32bits(v) != 0 {
				t.Fatalf("%s: Grad[%d] = %v after ZeroGrad", p.Name, j, v)
			}
		}
		if !testkit.SameBits(p.Value.Data, b[i].Value.Data) {
			t.Errorf("%s: ZeroGrad changed Value", p.Name)
		}
	}
}

func TestParams(t *testing.T) {
	a, _ := randomParams(rand.New(rand.NewPCG(9, 10)))
	in := append([]*layer.Param(nil), a...)
	opt, err := New(in, Config{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	in[0] = nil // New copied the list
	got := opt.Params()
	if len(got) != len(a) {
		t.Fatalf("Params returns %d parameters, want %d", len(got), len(a))
	}
	for i := range a {
		if got[i] != a[i] {
			t.Errorf("Params()[%d] is %s, want %s", i, got[i].Name, a[i].Name)
		}
	}
	got[0] = nil // Params returns a copy
	if opt.Params()[0] != a[0] {
		t.Error("changing the slice Params returned changed the optimizer")
	}
}

func TestMomentumBuffer(t *testing.T) {
	a, _ := randomParams(rand.New(rand.NewPCG(11, 12)))
	for _, p := range a {
		p.Grad.Data[0] = 1
	}
	opt, err := New(a, Config{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	other := &layer.Param{Value: mat.NewDense(1, 1, nil), Grad: mat.NewDense(1, 1, nil)}
	if b := opt.MomentumBuffer(a[0]); b != nil {
		t.Errorf("momentum buffer %v before the first step", b)
	}
	opt.Step()
	if b := opt.MomentumBuffer(a[0]); b != nil {
		t.Errorf("momentum buffer %v after a step without momentum", b)
	}
	opt.Config.Momentum = 0.5
	opt.Step()
	for _, p := range a {
		b := opt.MomentumBuffer(p)
		if b == nil {
			t.Fatalf("%s: no momentum buffer after a step with momentum", p.Name)
		}
		// The first step copies g = ∇.
		if b.Rows != p.Value.Rows || b.Cols != p.Value.Cols || !testkit.SameBits(b.Data, p.Grad.Data) {
			t.Errorf("%s: momentum buffer %v after the first step, want the gradient %v", p.Name, b, p.Grad)
		}
	}
	if b := opt.MomentumBuffer(other); b != nil {
		t.Errorf("momentum buffer %v of a parameter the optimizer does not have", b)
	}
	if b := opt.MomentumBuffer(nil); b != nil {
		t.Errorf("momentum buffer %v of nil", b)
	}
	// The buffer is the optimizer's own, as in torch.
	b := opt.MomentumBuffer(a[0])
	b.Data[0] = 100
	before := a[0].Value.Data[0]
	opt.Step() // b = 0.5·100 + 1 = 51, θ −= 0.1·51
	if want := before - 0.1*51; math.Abs(float64(a[0].Value.Data[0]-want)) > 1e-5*max(1, math.Abs(float64(want))) {
		t.Errorf("after changing the momentum buffer, θ = %v, want %v", a[0].Value.Data[0], want)
	}
}

func param(name string, rows, cols int) *layer.Param {
	return &layer.Param{Name: name, Value: mat.NewDense(rows, cols, nil), Grad: mat.NewDense(rows, cols, nil)}
}

func TestNewErrors(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	ok := func() []*layer.Param { return []*layer.Param{param("w", 3, 5), param("b", 1, 5)} }
	for _, tc := range []struct {
		name   string
		cfg    Config
		params func() []*layer.Param
		want   string
	}{
		{"negative lr", Config{LR: -0.1}, ok, "sgd: invalid learning rate: -0.1"},
		{"NaN lr", Config{LR: nan}, ok, "sgd: invalid learning rate: NaN"},
		{"infinite lr", Config{LR: inf}, ok, "sgd: invalid learning rate: +Inf"},
		{"negative momentum", Config{LR: 0.1, Momentum: -0.5}, ok, "sgd: invalid momentum value: -0.5"},
		{"NaN momentum", Config{LR: 0.1, Momentum: nan}, ok, "sgd: invalid momentum value: NaN"},
		{"infinite momentum", Config{LR: 0.1, Momentum: inf}, ok, "sgd: invalid momentum value: +Inf"},
		{"NaN dampening", Config{LR: 0.1, Momentum: 0.9, Dampening: nan}, ok, "sgd: invalid dampening value: NaN"},
		{"infinite dampening", Config{LR: 0.1, Dampening: -inf}, ok, "sgd: invalid dampening value: -Inf"},
		{"negative weight decay", Config{LR: 0.1, WeightDecay: -1e-4}, ok, "sgd: invalid weight_decay value: -0.0001"},
		{"NaN weight decay", Config{LR: 0.1, WeightDecay: nan}, ok, "sgd: invalid weight_decay value: NaN"},
		{"infinite weight decay", Config{LR: 0.1, WeightDecay: inf}, ok, "sgd: invalid weight_decay value: +Inf"},
		{"nesterov without momentum", Config{LR: 0.1, Nesterov: true}, ok,
			"sgd: Nesterov momentum requires a momentum and zero dampening"},
		{"nesterov with dampening", Config{LR: 0.1, Momentum: 0.9, Dampening: 0.1, Nesterov: true}, ok,
			"sgd: Nesterov momentum requires a momentum and zero dampening"},
		{"nil params", Config{LR: 0.1}, func() []*layer.Param { return nil }, "sgd: optimizer got an empty parameter list"},
		{"empty params", Config{LR: 0.1}, func() []*layer.Param { return []*layer.Param{} }, "sgd: optimizer got an empty parameter list"},
		{"nil param", Config{LR: 0.1}, func() []*layer.Param { return []*layer.Param{param("w", 2, 2), nil} },
			"sgd: parameter 1 is nil"},
		{"nil Value", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[1].Value = nil
			return p
		}, `sgd: parameter 1 ("b"): Value is nil`},
		{"nil Grad", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[0].Grad = nil
			return p
		}, `sgd: parameter 0 ("w"): Grad is nil`},
		{"shapes differ", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[0].Grad = mat.NewDense(5, 3, nil)
			return p
		}, `sgd: parameter 0 ("w"): Value is 3×5 but Grad is 5×3`},
		{"Value a view", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[0].Value = mat.NewDense(3, 6, nil).Slice(0, 3, 0, 5)
			return p
		}, `sgd: parameter 0 ("w"): Value is 3×5 with stride 6: not contiguous`},
		{"Grad a view", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[1].Grad = mat.NewDense(2, 8, nil).Slice(0, 1, 0, 5)
			return p
		}, `sgd: parameter 1 ("b"): Grad is 1×5 with stride 8: not contiguous`},
		{"Data too long", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[1].Value.Data = make([]float32, 6)
			return p
		}, `sgd: parameter 1 ("b"): Value is 1×5 but Data has 6 elements`},
		{"negative dimensions", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[1].Value = &mat.Dense{Rows: -1, Cols: 0}
			return p
		}, `sgd: parameter 1 ("b"): Value has negative dimensions -1×0`},
		{"listed twice", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			return append(p, p[0])
		}, `sgd: some parameters appear more than once: parameter 2 ("w") is parameter 0 ("w")`},
		{"same Value", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			return append(p, &layer.Param{Name: "tied", Value: p[0].Value, Grad: mat.NewDense(3, 5, nil)})
		}, `sgd: some parameters share memory: Value of parameter 2 ("tied") is Value of parameter 0 ("w")`},
		{"same Value data", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			return append(p, &layer.Param{Value: mat.NewDense(1, 5, p[1].Value.Data), Grad: mat.NewDense(1, 5, nil)})
		}, `sgd: some parameters share memory: Value of parameter 2 is Value of parameter 1 ("b")`},
		{"Grad is Value", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[1].Grad = p[1].Value
			return p
		}, `sgd: some parameters share memory: Grad of parameter 1 ("b") is Value of parameter 1 ("b")`},
		{"same Grad", Config{LR: 0.1}, func() []*layer.Param {
			p := ok()
			p[1].Grad = mat.NewDense(3, 5, p[0].Grad.Data)
			p[1].Value = mat.NewDense(3, 5, nil)
			return p
		}, `sgd: some parameters share memory: Grad of parameter 1 ("b") is Grad of parameter 0 ("w")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt, err := New(tc.params(), tc.cfg)
			if err == nil {
				t.Fatalf("New succeeded, want error %q", tc.want)
			}
			if opt != nil {
				t.Errorf("New returned an optimizer with error %v", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error %q, want %q", err, tc.want)
			}
		})
	}
}

// TestNewAccepts checks the edge cases New lets through, as torch does.
func TestNewAccepts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    Config
		params []*layer.Param
	}{
		{"zero config", Config{}, []*layer.Param{param("w", 2, 3)}},
		{"negative dampening", Config{LR: 0.1, Momentum: 0.9, Dampening: -0.5}, []*layer.Param{param("w", 2, 3)}},
		{"dampening without momentum", Config{LR: 0.1, Dampening: 0.5}, []*layer.Param{param("w", 2, 3)}},
		{"empty parameter", Config{LR: 0.1, Momentum: 0.9}, []*layer.Param{param("w", 0, 3), param("v", 3, 0), param("b", 1, 1)}},
		{"zero Dense", Config{LR: 0.1}, []*layer.Param{{Value: &mat.Dense{}, Grad: &mat.Dense{}}, {Value: &mat.Dense{}, Grad: &mat.Dense{}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt, err := New(tc.params, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			opt.Step()
			opt.ZeroGrad()
		})
	}
}

func TestStepPanics(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(opt *SGD, p []*layer.Param)
		want   string
	}{
		{"negative lr", func(opt *SGD, _ []*layer.Param) { opt.Config.LR = -1 }, "sgd: invalid learning rate: -1"},
		{"NaN momentum", func(opt *SGD, _ []*layer.Param) { opt.Config.Momentum = float32(math.NaN()) },
			"sgd: invalid momentum value: NaN"},
		{"nesterov", func(opt *SGD, _ []*layer.Param) { opt.Config.Nesterov = true },
			"sgd: Nesterov momentum requires a momentum and zero dampening"},
		{"Value resized", func(_ *SGD, p []*layer.Param) { p[1].Value = mat.NewDense(2, 5, nil) },
			`sgd: Step: parameter 1 ("b") had 5 elements, now Value has 10 and Grad 5`},
		{"Grad resized", func(_ *SGD, p []*layer.Param) { p[0].Grad = mat.NewDense(1, 1, nil) },
			`sgd: Step: parameter 0 ("w") had 15 elements, now Value has 15 and Grad 1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := []*layer.Param{param("w", 3, 5), param("b", 1, 5)}
			opt, err := New(p, Config{LR: 0.1})
			if err != nil {
				t.Fatal(err)
			}
			if msg := testkit.PanicMessage(opt.Step); msg != "" {
				t.Fatalf("Step panics before the change: %s", msg)
			}
			tc.change(opt, p)
			if msg := testkit.PanicMessage(opt.Step); msg != tc.want {
				t.Errorf("Step panics with %q, want %q", msg, tc.want)
			}
		})
	}
}

// holder is a layer that only holds the parameters it is given, so that
// layer.NewSequential lays them out in one block.
type holder struct{ params []*layer.Param }

func (h *holder) Forward(x *mat.Dense) *mat.Dense   { return x }
func (h *holder) Backward(dy *mat.Dense) *mat.Dense { return dy }
func (h *holder) Params() []*layer.Param            { return h.params }

// flatParams returns parameters of the given shapes in a model's
// layer.ParamBlock, made by layer.NewSequential, and the same parameters
// in memory of their own. Values and gradients are random, a few of them
// ±0.
func flatParams(r *rand.Rand, shapes [][2]int) (flat, apart []*layer.Param) {
	var ps []*layer.Param
	for i, s := range shapes {
		p := param(fmt.Sprintf("p%d", i), s[0], s[1])
		fill(r, p.Value.Data)
		fill(r, p.Grad.Data)
		ps = append(ps, p)
		apart = append(apart, &layer.Param{Name: "0." + p.Name,
			Value: mat.NewDense(s[0], s[1], append([]float32(nil), p.Value.Data...)),
			Grad:  mat.NewDense(s[0], s[1], append([]float32(nil), p.Grad.Data...))})
	}
	model := layer.NewSequential(&holder{ps})
	if _, ok := model.ParamBlock(); !ok {
		panic("flatParams: NewSequential made no block")
	}
	return model.Params(), apart
}

// modelParams returns the parameters of a Sequential, laid out flat by
// NewSequential, and copies of them in memory of their own.
func modelParams(r *rand.Rand) (flat, apart []*layer.Param) {
	g := layer.ManualSeed(r.Uint64())
	model := layer.NewSequential(layer.NewLinear(16, 8, g), layer.NewReLU(), layer.NewLinear(8, 4, g),
		layer.NewReLU(), layer.NewLinear(4, 2, g))
	flat = model.Params()
	for _, p := range flat {
		fill(r, p.Grad.Data)
		apart = append(apart, &layer.Param{Name: p.Name,
			Value: mat.NewDense(p.Value.Rows, p.Value.Cols, append([]float32(nil), p.Value.Data...)),
			Grad:  mat.NewDense(p.Grad.Rows, p.Grad.Cols, append([]float32(nil), p.Grad.Data...))})
	}
	return flat, apart
}

// configs are every combination of SGD's options.
func configs() []Config {
	var cs []Config
	for _, maximize := range []bool{false, true} {
		for _, wd := range []float32{0, 0.01} {
			for _, m := range []Config{
				{},
				{Momentum: 0.9},
				{Momentum: 0.9, Dampening: 0.1},
				{Momentum: 0.9, Dampening: -0.5},
				{Momentum: 0.5, Nesterov: true},
			} {
				m.LR, m.WeightDecay, m.Maximize = 0.1, wd, maximize
				cs = append(cs, m)
			}
		}
	}
	return cs
}

// TestFlatMatchesPerParameter checks that Step on parameters laid out flat
// (one pass over them all) gives the same bits, parameters and momentum
// buffers, as Step on the same parameters apart (one pass each), under
// every combination of options, through a schedule that changes LR and
// turns momentum off and on, with ZeroGrad between steps.
func TestFlatMatchesPerParameter(t *testing.T) {
	// More than 1<<14 elements, the length of the pieces Step once went
	// through flat parameters in, and 1<<16, from which mat.Axpy (a Step
	// with only LR set) splits its work over threads.
	big := append(append([][2]int(nil), shapes...), [2]int{150, 131}, [2]int{1, 3})
	layouts := []struct {
		name string
		make func(r *rand.Rand) (flat, apart []*layer.Param)
	}{
		{"shapes", func(r *rand.Rand) ([]*layer.Param, []*layer.Param) { return flatParams(r, shapes) }},
		{"big", func(r *rand.Rand) ([]*layer.Param, []*layer.Param) { return flatParams(r, big) }},
		{"Sequential", modelParams},
	}
	for _, layout := range layouts {
		for _, cfg := range configs() {
			t.Run(fmt.Sprintf("%s/%+v", layout.name, cfg), func(t *testing.T) {
				r := rand.New(rand.NewPCG(13, 14))
				flat, apart := layout.make(r)
				a, err := New(flat, cfg)
				if err != nil {
					t.Fatal(err)
				}
				b, err := New(apart, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if a.block == nil || !a.flat(false) {
					t.Fatal("New did not take the parameters of a block as flat")
				}
				if b.block != nil {
					t.Fatal("New took parameters apart as flat")
				}
				schedule := []func(c *Config){
					func(*Config) {},
					func(c *Config) { c.LR = 0.01 },
					func(c *Config) { c.Momentum, c.Nesterov = 0, false }, // the buffers stay
					func(c *Config) { *c = cfg; c.LR = 0.3 },
					func(*Config) {},
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
					for i, p := range flat {
						q := apart[i]
						if !testkit.SameBits(p.Value.Data, q.Value.Data) {
							t.Fatalf("step %d: %s differs", k, p.Name)
						}
						if !testkit.SameBits(p.Grad.Data, q.Grad.Data) {
							t.Fatalf("step %d: %s: Step modified Grad", k, p.Name)
						}
						ba, bb := a.MomentumBuffer(p), b.MomentumBuffer(q)
						if (ba == nil) != (bb == nil) {
							t.Fatalf("step %d: %s: momentum buffer %v, apart %v", k, p.Name, ba, bb)
						}
						if ba != nil && (ba.Rows != p.Value.Rows || ba.Cols != p.Value.Cols || ba.Stride != ba.Cols ||
							!testkit.SameBits(ba.Data, bb.Data)) {
							t.Fatalf("step %d: %s: momentum buffer differs", k, p.Name)
						}
					}
				}
				if !a.flat(a.bufs != nil) {
					t.Error("the flat parameters are no longer flat")
				}
			})
		}
	}
}

// TestFlatDetection checks which parameter lists New updates as one
// block: the whole Params list of a model made by layer.NewSequential, in
// its order, whatever the parameters' sizes; not a part of it, nor
// another order, nor parameters laid out one after another by hand, which
// New no longer looks at, nor a model's parameters once one has other
// memory.
func TestFlatDetection(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	flat, _ := flatParams(r, [][2]int{{2, 3}, {0, 4}, {1, 3}, {4, 1}, {3, 0}})
	one, _ := flatParams(r, [][2]int{{2, 2}})
	empty, _ := flatParams(r, [][2]int{{0, 4}, {3, 0}})
	// Laid out one after another, the way NewSequential once did and sgd
	// once searched for: slices of one array, each one's capacity running
	// on into the next.
	values, grads := make([]float32, 9), make([]float32, 9)
	byHand := []*layer.Param{
		{Value: mat.NewDense(2, 3, values[:6]), Grad: mat.NewDense(2, 3, grads[:6])},
		{Value: mat.NewDense(1, 3, values[6:]), Grad: mat.NewDense(1, 3, grads[6:])},
	}
	replaced, _ := flatParams(r, [][2]int{{2, 3}, {1, 3}})
	replaced[1].Value = mat.NewDense(1, 3, nil)
	for _, tc := range []struct {
		name   string
		params []*layer.Param
		want   bool
	}{
		{"in order", flat, true},
		{"one", one, true},
		{"only empty", empty, true},
		{"a run", flat[2:4], false},
		{"the first", flat[:1], false},
		{"another order", []*layer.Param{flat[0], flat[3], flat[2], flat[1], flat[4]}, false},
		{"by hand", byHand, false},
		{"a Value replaced", replaced, false},
	} {
		opt, err := New(tc.params, Config{LR: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		if got := opt.block != nil; got != tc.want {
			t.Errorf("%s: flat %v, want %v", tc.name, got, tc.want)
		}
		opt.Step() // either way
	}
}

// TestFlatReplaced checks that a parameter given another Value, Grad or
// momentum buffer Data after New is still the one Step updates and
// ZeroGrad clears: the optimizer goes back to one parameter at a time.
func TestFlatReplaced(t *testing.T) {
	for _, what := range []string{"Value", "Grad", "buffer"} {
		t.Run(what, func(t *testing.T) {
			r := rand.New(rand.NewPCG(17, 18))
			flat, apart := flatParams(r, shapes[:6])
			cfg := Config{LR: 0.1, Momentum: 0.9, WeightDecay: 0.01}
			a, err := New(flat, cfg)
			if err != nil {
				t.Fatal(err)
			}
			b, err := New(apart, cfg)
			if err != nil {
				t.Fatal(err)
			}
			a.Step()
			b.Step()
			p := flat[3]
			switch what {
			case "Value":
				p.Value = mat.NewDense(p.Value.Rows, p.Value.Cols, append([]float32(nil), p.Value.Data...))
			case "Grad":
				p.Grad = mat.NewDense(p.Grad.Rows, p.Grad.Cols, append([]float32(nil), p.Grad.Data...))
			case "buffer":
				m := a.MomentumBuffer(p)
				m.Data = append([]float32(nil), m.Data...)
			}
			if a.flat(true) {
				t.Fatal("flat after the change")
			}
			a.Step()
			b.Step()
			for i := range flat {
				if !testkit.SameBits(flat[i].Value.Data, apart[i].Value.Data) {
					t.Errorf("%s differs", flat[i].Name)
				}
				if !testkit.SameBits(a.MomentumBuffer(flat[i]).Data, b.MomentumBuffer(apart[i]).Data) {
					t.Errorf("%s: momentum buffer differs", flat[i].Name)
				}
			}
			a.ZeroGrad()
			for _, q := range flat {
				for j, v := range q.Grad.Data {
					if math.Float32bits(v) != 0 {
						t.Fatalf("%s: Grad[%d] = %v after ZeroGrad", q.Name, j, v)
					}
				}
			}
		})
	}
}

// TestSetLR checks that SetLR rounds to the nearest float32 and that LR
// returns Config.LR exactly.
func TestSetLR(t *testing.T) {
	p := &layer.Param{Value: mat.NewDense(1, 1, []float32{1}), Grad: mat.NewDense(1, 1, []float32{1})}
	s, err := New([]*layer.Param{p}, Config{LR: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var opt Optimizer = s
	if got := opt.LR(); got != 0.5 {
		t.Errorf("LR() = %v, want 0.5", got)
	}
	for _, lr := range []float64{0.1, 1e-3, 0.09000000000000001, 1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-50, 0} {
		opt.SetLR(lr)
		if s.Config.LR != float32(lr) {
			t.Errorf("SetLR(%v): Config.LR = %v, want %v", lr, s.Config.LR, float32(lr))
		}
		if got := opt.LR(); got != float64(float32(lr)) {
			t.Errorf("SetLR(%v): LR() = %v, want %v", lr, got, float64(float32(lr)))
		}
	}
	opt.SetLR(0.25)
	opt.Step()
	if p.Value.Data[0] != 0.75 {
		t.Errorf("after SetLR(0.25) and a step, θ = %v, want 0.75", p.Value.Data[0])
	}
	opt.SetLR(-1)
	if msg := testkit.PanicMessage(opt.Step); !strings.Contains(msg, "sgd: invalid learning rate: -1") {
		t.Errorf("Step after SetLR(-1): panic %q", msg)
	}
}

// TestStepMatchesPasses checks that Step, one pass of the fused kernel,
// gives the bits of the passes it replaced, one mat.Axpy or mat.Scal per
// line of the update (g a copy of ∇), for every combination of options
// and dampening 1 as well, over several steps. The generic kernels are
// skipped on amd64: their Axpy rounds twice there, the fused kernel once.
func TestStepMatchesPasses(t *testing.T) {
	if asm.Active() == "generic" && !goFuses(1+0x1p-12, 1+0x1p-12, -(1+0x1p-11)) {
		t.Skip("the generic Axpy rounds twice where Go does not fuse a·b + c (amd64, 386)")
	}
	cs := append(configs(), Config{LR: 0.1, Momentum: 0.9, Dampening: 1, WeightDecay: 0.01})
	for _, cfg := range cs {
		r := rand.New(rand.NewPCG(41, 42))
		flat, apart := flatParams(r, shapes)
		opt, err := New(flat, cfg)
		if err != nil {
			t.Fatal(err)
		}
		bufs := make([][]float32, len(apart))
		for k := range 3 {
			for i := range flat {
				fill(r, flat[i].Grad.Data)
				copy(apart[i].Grad.Data, flat[i].Grad.Data)
			}
			opt.Step()
			for i, p := range apart {
				g := append([]float32(nil), p.Grad.Data...)
				if cfg.Maximize {
					for j := range g {
						g[j] = -g[j]
					}
				}
				mat.Axpy(cfg.WeightDecay, p.Value.Data, g)
				if cfg.Momentum != 0 {
					if bufs[i] == nil {
						bufs[i] = append([]float32(nil), g...)
					} else {
						mat.Scal(cfg.Momentum, bufs[i])
						mat.Axpy(1-cfg.Dampening, g, bufs[i])
					}
					if cfg.Nesterov {
						mat.Axpy(cfg.Momentum, bufs[i], g)
					} else {
						g = bufs[i]
					}
				}
				mat.Axpy(-cfg.LR, g, p.Value.Data)
				if !testkit.SameBits(flat[i].Value.Data, p.Value.Data) {
					t.Fatalf("%+v, step %d: %s differs from the passes", cfg, k, p.Name)
				}
				if b := opt.MomentumBuffer(flat[i]); b != nil && !testkit.SameBits(b.Data, bufs[i]) {
					t.Fatalf("%+v, step %d: %s: momentum buffer differs from the passes", cfg, k, p.Name)
				}
			}
		}
	}
}

// goFuses reports whether the compiler fuses a·b + c into one rounding on
// this GOARCH, as it does on arm64 (and the generic Axpy with it). For
// a = b = 1 + 2⁻¹², c = −(1 + 2⁻¹¹), the product's 2⁻²⁴ survives only a
// fused multiply-add.
//
//go:noinline
func goFuses(a, b, c float32) bool { return a*b+c != 0 }
