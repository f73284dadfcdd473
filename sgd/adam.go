package sgd

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat/asm"
)

// AdamConfig holds the hyperparameters of torch.optim.Adam and AdamW,
// under their names. They are Python floats in torch, so float64 here:
// torch computes the bias corrections 1 − βᵗ and the step size in float64
// before rounding them to float32 for its kernels (β2 = float32(0.999)
// would shift 1 − β2ᵗ by 1e-5), and so does Step.
type AdamConfig struct {
	LR, Beta1, Beta2, Eps, WeightDecay float64 // lr, betas, eps, weight_decay
	AMSGrad, Maximize                  bool    // amsgrad, maximize
}

// AdamDefaults returns torch.optim.Adam's defaults: LR 1e-3, betas
// (0.9, 0.999), Eps 1e-8, no weight decay.
func AdamDefaults() AdamConfig { return AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8} }

// AdamWDefaults returns torch.optim.AdamW's defaults: those of Adam with
// WeightDecay 1e-2.
func AdamWDefaults() AdamConfig {
	c := AdamDefaults()
	c.WeightDecay = 1e-2
	return c
}

// Validate returns an error unless c is a configuration torch.optim.Adam
// accepts: LR, Eps and WeightDecay not negative, both betas in [0, 1). It
// also rejects NaN and infinite values, which PyTorch lets through.
func (c AdamConfig) Validate() error {
	ok := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) && x >= 0 }
	switch {
	case !ok(c.LR):
		return fmt.Errorf("sgd: invalid learning rate: %v", c.LR)
	case !ok(c.Eps):
		return fmt.Errorf("sgd: invalid epsilon value: %v", c.Eps)
	case !ok(c.Beta1) || c.Beta1 >= 1:
		return fmt.Errorf("sgd: invalid beta parameter at index 0: %v", c.Beta1)
	case !ok(c.Beta2) || c.Beta2 >= 1:
		return fmt.Errorf("sgd: invalid beta parameter at index 1: %v", c.Beta2)
	case !ok(c.WeightDecay):
		return fmt.Errorf("sgd: invalid weight_decay value: %v", c.WeightDecay)
	}
	return nil
}

// Adam is the optimizer torch.optim.Adam, or torch.optim.AdamW (decoupled
// weight decay) when made by NewAdamW, with a single parameter group.
type Adam struct {
	// Config is read by every Step, like torch's param_groups[0]: change
	// it between steps to follow a schedule. Step panics if it is no
	// longer valid (see AdamConfig.Validate).
	Config AdamConfig

	decoupled bool // AdamW
	params    []*layer.Param
	sizes     []int // len(Value.Data) of each parameter, as New saw it
	offs      []int // where each parameter's state starts in m, v and vmax
	valid     AdamConfig

	// block holds every Value.Data and Grad.Data in the order of params
	// when params are those of a model's layer.ParamBlock; nil otherwise.
	block *layer.ParamBlock

	// step is the number of steps taken, torch's state[p]['step'] (the
	// same for every parameter: Step updates all of them). m, v and vmax
	// hold exp_avg, exp_avg_sq and max_exp_avg_sq of every parameter, one
	// after another in the order of params; nil until the first Step
	// (vmax until the first Step with AMSGrad).
	step       int64
	m, v, vmax []float32

	scalars asm.AdamStep // the scalars of the current Step, kept here so that Step allocates nothing
}

// NewAdam returns torch.optim.Adam over params with configuration cfg.
// Weight decay λ is an L2 penalty: the gradient becomes g + λ·θ. It
// returns the errors of New: for an invalid cfg (see AdamConfig.Validate),
// an empty list, a nil parameter, a nil, mismatched or non-contiguous
// Value or Grad, and a parameter listed twice or two sharing memory.
//
// As with New, the optimizer keeps the parameters themselves, and if they
// are those of a model's layer.ParamBlock, in order, Step updates all of
// them with one call of the fused kernel (see "Adam and AdamW" in the
// package documentation).
func NewAdam(params []*layer.Param, cfg AdamConfig) (*Adam, error) {
	return newAdam(params, cfg, false)
}

// NewAdamW returns torch.optim.AdamW over params with configuration cfg:
// Adam with decoupled weight decay, θ ← θ·(1 − γλ) before the update. Its
// errors are those of NewAdam.
func NewAdamW(params []*layer.Param, cfg AdamConfig) (*Adam, error) {
	return newAdam(params, cfg, true)
}

func newAdam(params []*layer.Param, cfg AdamConfig, decoupled bool) (*Adam, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(params) == 0 {
		return nil, errors.New("sgd: optimizer got an empty parameter list")
	}
	sizes, _, err := checkParams(params)
	if err != nil {
		return nil, err
	}
	a := &Adam{
		Config:    cfg,
		decoupled: decoupled,
		params:    append([]*layer.Param(nil), params...),
		sizes:     sizes,
		offs:      make([]int, len(params)+1),
		valid:     cfg,
	}
	for i, n := range sizes {
		a.offs[i+1] = a.offs[i] + n
	}
	if b, ok := layer.BlockOf(a.params); ok {
		a.block = b
	}
	return a, nil
}

// LR returns the learning rate, Config.LR.
func (a *Adam) LR() float64 { return a.Config.LR }

// SetLR sets the learning rate, Config.LR, for the following steps.
func (a *Adam) SetLR(lr float64) { a.Config.LR = lr }

// Params returns the parameters, in the order given to NewAdam. The slice
// is a copy; the parameters are the optimizer's own.
func (a *Adam) Params() []*layer.Param { return append([]*layer.Param(nil), a.params...) }

// ZeroGrad sets every parameter's Grad to zero: PyTorch's
// zero_grad(set_to_none=False).
func (a *Adam) ZeroGrad() {
	if a.block != nil && a.block.Intact() {
		clear(a.block.Grads())
		return
	}
	for _, p := range a.params {
		clear(p.Grad.Data)
	}
}

// Step updates every parameter once from its Grad, as torch 1.13's
// _single_tensor_adam (or _single_tensor_adamw) does, bit for bit (see the
// package documentation). It panics if a.Config is not valid or a
// parameter has changed size since NewAdam.
func (a *Adam) Step() {
	c := a.Config
	if c != a.valid {
		if err := c.Validate(); err != nil {
			panic(err)
		}
		a.valid = c
	}
	flat := a.block != nil && a.block.Intact()
	if !flat {
		for i, p := range a.params {
			if len(p.Value.Data) != a.sizes[i] || len(p.Grad.Data) != a.sizes[i] {
				panic(fmt.Sprintf("sgd: Step: %s had %d elements, now Value has %d and Grad %d",
					label(i, p), a.sizes[i], len(p.Value.Data), len(p.Grad.Data)))
			}
		}
	}
	total := a.offs[len(a.params)]
	if a.m == nil {
		a.m, a.v = make([]float32, total), make([]float32, total)
	}
	if c.AMSGrad && a.vmax == nil {
		// torch creates max_exp_avg_sq with the state, and fails if
		// amsgrad is turned on later; here it starts at zero then.
		a.vmax = make([]float32, total)
	}
	a.step++
	a.setScalars(&c)
	k := asm.Default()
	if flat {
		k.Adam(&a.scalars, a.block.Values(), a.block.Grads(), a.m, a.v, a.vmax)
		return
	}
	for i, p := range a.params {
		lo, hi := a.offs[i], a.offs[i+1]
		var vmax []float32
		if c.AMSGrad {
			vmax = a.vmax[lo:hi]
		}
		k.Adam(&a.scalars, p.Value.Data, p.Grad.Data, a.m[lo:hi], a.v[lo:hi], vmax)
	}
}

// setScalars computes the scalars of step a.step as torch does: in
// float64 from the Python floats, each rounded once to float32. The
// explicit float64 conversions stop Go from fusing a product into the
// subtraction that follows, as Python does not.
func (a *Adam) setScalars(c *AdamConfig) {
	t := a.step
	bc1 := 1 - powInt(c.Beta1, t)
	bc2 := 1 - powInt(c.Beta2, t)
	stepSize := c.LR / bc1
	s := &a.scalars
	*s = asm.AdamStep{
		Decay:         1,
		Maximize:      c.Maximize,
		AMSGrad:       c.AMSGrad,
		Beta1:         float32(c.Beta1),
		OneMinusBeta1: float32(1 - c.Beta1),
		Beta2:         float32(c.Beta2),
		OneMinusBeta2: float32(1 - c.Beta2),
		BC2Sqrt:       float32(math.Sqrt(bc2)),
		Eps:           float32(c.Eps),
		Alpha:         float32(-stepSize),
	}
	if a.decoupled {
		s.Decay = float32(1 - float64(c.LR*c.WeightDecay)) // param.mul_(1 - lr * weight_decay)
	} else if c.WeightDecay != 0 {
		s.Coupled, s.L2 = true, float32(c.WeightDecay) // grad.add(param, alpha=weight_decay)
	}
}

// State returns the optimizer's state under the names of torch's
// optimizer.state_dict(): for parameter i (in the order of params),
// "<i>.exp_avg" and "<i>.exp_avg_sq", and "<i>.max_exp_avg_sq" once a Step
// ran with AMSGrad, each a view of the optimizer's own memory (writing it
// changes later steps); and the counters "<i>.step", the number of steps
// taken, the same for every parameter. Before the first Step both maps are
// empty, as torch's state is.
func (a *Adam) State() (tensors map[string][]float32, counters map[string]int64) {
	tensors, counters = map[string][]float32{}, map[string]int64{}
	if a.m == nil {
		return tensors, counters
	}
	for i := range a.params {
		lo, hi := a.offs[i], a.offs[i+1]
		p := strconv.Itoa(i) + "."
		tensors[p+"exp_avg"] = a.m[lo:hi:hi]
		tensors[p+"exp_avg_sq"] = a.v[lo:hi:hi]
		if a.vmax != nil {
			tensors[p+"max_exp_avg_sq"] = a.vmax[lo:hi:hi]
		}
		counters[p+"step"] = a.step
	}
	return tensors, counters
}

// SetState replaces the optimizer's state with a copy of one State
// returned: for every parameter i, "<i>.exp_avg" and "<i>.exp_avg_sq" of
// its length, "<i>.max_exp_avg_sq" optionally (all or none of them), and
// either a counter "<i>.step" for each, all equal, or one "step". Empty
// maps reset the state to that of a new optimizer. It checks every name
// and length first, and on error changes nothing: unknown names, missing
// or extra tensors, wrong lengths, and a negative or inconsistent step
// count are errors.
func (a *Adam) SetState(tensors map[string][]float32, counters map[string]int64) error {
	if len(tensors) == 0 && len(counters) == 0 {
		a.m, a.v, a.vmax, a.step = nil, nil, nil, 0
		return nil
	}
	step, err := a.stepOf(counters)
	if err != nil {
		return err
	}
	_, hasMax := tensors["0.max_exp_avg_sq"]
	want := 2 * len(a.params)
	if hasMax {
		want += len(a.params)
	}
	for i := range a.params {
		p := strconv.Itoa(i) + "."
		names := []string{"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
		if !hasMax {
			names = names[:2]
		}
		for _, name := range names {
			t, ok := tensors[p+name]
			if !ok {
				return fmt.Errorf("sgd: SetState: no tensor %q (parameter %d of %d)", p+name, i, len(a.params))
			}
			if len(t) != a.sizes[i] {
				return fmt.Errorf("sgd: SetState: %q has %d elements, but %s has %d",
					p+name, len(t), label(i, a.params[i]), a.sizes[i])
			}
		}
	}
	if len(tensors) != want {
		for name := range tensors {
			if !a.known(name, hasMax) {
				return fmt.Errorf("sgd: SetState: unknown tensor %q", name)
			}
		}
	}
	total := a.offs[len(a.params)]
	m, v := make([]float32, total), make([]float32, total)
	var vmax []float32
	if hasMax {
		vmax = make([]float32, total)
	}
	for i := range a.params {
		lo, hi := a.offs[i], a.offs[i+1]
		p := strconv.Itoa(i) + "."
		copy(m[lo:hi], tensors[p+"exp_avg"])
		copy(v[lo:hi], tensors[p+"exp_avg_sq"])
		if hasMax {
			copy(vmax[lo:hi], tensors[p+"max_exp_avg_sq"])
		}
	}
	a.m, a.v, a.vmax, a.step = m, v, vmax, step
	return nil
}

// known reports whether name is one of the tensors SetState takes.
func (a *Adam) known(name string, hasMax bool) bool {
	i, rest, ok := strings.Cut(name, ".")
	n, err := strconv.Atoi(i)
	if !ok || err != nil || n < 0 || n >= len(a.params) || strconv.Itoa(n) != i {
		return false
	}
	return rest == "exp_avg" || rest == "exp_avg_sq" || rest == "max_exp_avg_sq" && hasMax
}

// stepOf returns the step count that counters hold: one "step", or
// "<i>.step" for every parameter, all equal.
func (a *Adam) stepOf(counters map[string]int64) (int64, error) {
	if s, ok := counters["step"]; ok {
		if len(counters) != 1 {
			return 0, errors.New(`sgd: SetState: counters hold "step" and others`)
		}
		if s < 0 {
			return 0, fmt.Errorf("sgd: SetState: negative step %d", s)
		}
		return s, nil
	}
	if len(counters) != len(a.params) {
		return 0, fmt.Errorf("sgd: SetState: %d counters for %d parameters (want \"step\" or \"<i>.step\" for each)",
			len(counters), len(a.params))
	}
	s, ok := counters["0.step"]
	for i := range a.params {
		name := strconv.Itoa(i) + ".step"
		si, found := counters[name]
		switch {
		case !found:
			return 0, fmt.Errorf("sgd: SetState: no counter %q", name)
		case !ok || si != s:
			return 0, fmt.Errorf("sgd: SetState: %q is %d but \"0.step\" is %d: pente keeps one step count", name, si, s)
		case si < 0:
			return 0, fmt.Errorf("sgd: SetState: negative step %d", si)
		}
	}
	return s, nil
}
