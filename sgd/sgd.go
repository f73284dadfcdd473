package sgd

import (
	"errors"
	"fmt"
	"math"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/mat/asm"
)

// Config holds the hyperparameters of torch.optim.SGD, under its names; the
// zero value of each field is PyTorch's default (PyTorch requires lr; here
// LR 0 is valid and leaves the parameters where they are).
type Config struct {
	LR          float32 // learning rate γ ≥ 0 (lr)
	Momentum    float32 // momentum factor μ ≥ 0 (momentum)
	Dampening   float32 // dampening τ of the momentum (dampening)
	WeightDecay float32 // weight decay λ ≥ 0, an L2 penalty (weight_decay)
	Nesterov    bool    // Nesterov momentum; needs μ > 0 and τ = 0 (nesterov)
	Maximize    bool    // maximise the objective instead of minimising it (maximize)
}

// Validate returns an error unless c is a configuration torch.optim.SGD
// accepts: LR, Momentum and WeightDecay not negative, Nesterov only with a
// positive Momentum and zero Dampening. It also rejects NaN and infinite
// values, which PyTorch lets through.
func (c Config) Validate() error {
	switch {
	case !finite(c.LR) || c.LR < 0:
		return fmt.Errorf("sgd: invalid learning rate: %v", c.LR)
	case !finite(c.Momentum) || c.Momentum < 0:
		return fmt.Errorf("sgd: invalid momentum value: %v", c.Momentum)
	case !finite(c.Dampening):
		return fmt.Errorf("sgd: invalid dampening value: %v", c.Dampening)
	case !finite(c.WeightDecay) || c.WeightDecay < 0:
		return fmt.Errorf("sgd: invalid weight_decay value: %v", c.WeightDecay)
	case c.Nesterov && (c.Momentum <= 0 || c.Dampening != 0):
		return errors.New("sgd: Nesterov momentum requires a momentum and zero dampening")
	}
	return nil
}

func finite(x float32) bool { return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) }

// SGD is the optimizer: torch.optim.SGD with a single parameter group.
type SGD struct {
	// Config is read by every Step, like torch's param_groups[0]: change
	// it between steps to follow a schedule. Step panics if it is no
	// longer valid (see Config.Validate).
	Config Config

	params []*layer.Param
	sizes  []int // len(Value.Data) of each parameter, as New saw it
	index  map[*layer.Param]int
	valid  Config // the last Config that Validate accepted

	// block holds the Value.Data and the Grad.Data of every parameter,
	// in the order of params, when params are the parameters of a model's
	// layer.ParamBlock (see layer.BlockOf); nil otherwise. Step and
	// ZeroGrad then work on it whole, as long as it is intact (see flat).
	block *layer.ParamBlock

	// bufs holds the momentum buffers, one per parameter, in the order of
	// params; nil until the first Step with non-zero momentum. They are
	// views of momentum, which holds them one after another.
	bufs     []*mat.Dense
	momentum []float32

	scalars asm.SGDStep // the fused kernel's scalars, kept here so that Step allocates nothing
}

// New returns an optimizer of params with configuration cfg. It returns an
// error if cfg is invalid (see Config.Validate), if params is empty, or if
// a parameter is nil, has a nil Value or Grad, a Value and Grad of
// different shapes, or one that is not contiguous (Stride ≠ Cols, or Data
// not Rows·Cols long), and if a parameter is listed twice or two share
// memory (the same Value or Grad, or the same first element).
//
// The optimizer keeps the parameters themselves, not copies; the slice
// params is copied. If params are the parameters of a model's
// [layer.ParamBlock], all of them in order (model.Params() of a model
// made by layer.NewSequential), Step and ZeroGrad work on all of them at
// once (see "Parameters in one block" in the package documentation).
func New(params []*layer.Param, cfg Config) (*SGD, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(params) == 0 {
		return nil, errors.New("sgd: optimizer got an empty parameter list")
	}
	sizes, index, err := checkParams(params)
	if err != nil {
		return nil, err
	}
	s := &SGD{
		Config: cfg,
		params: append([]*layer.Param(nil), params...),
		sizes:  sizes,
		index:  index,
		valid:  cfg,
	}
	if b, ok := layer.BlockOf(s.params); ok {
		s.block = b
	}
	return s, nil
}

// checkParams returns the length of every parameter and the index of each
// in params, or the error New and NewAdam return for a nil parameter, a
// nil, non-contiguous or mismatched Value or Grad, a parameter listed twice
// or two sharing memory.
func checkParams(params []*layer.Param) (sizes []int, index map[*layer.Param]int, err error) {
	sizes = make([]int, len(params))
	index = make(map[*layer.Param]int, len(params))
	// owner records, for the first element of every Value and Grad, which
	// one it belongs to, so that shared memory is caught.
	type use struct {
		i    int
		what string
	}
	owner := make(map[*float32]use, 2*len(params))
	for i, p := range params {
		if p == nil {
			return nil, nil, fmt.Errorf("sgd: parameter %d is nil", i)
		}
		if j, ok := index[p]; ok {
			return nil, nil, fmt.Errorf("sgd: some parameters appear more than once: %s is %s", label(i, p), label(j, p))
		}
		index[p] = i
		for _, m := range []struct {
			what string
			m    *mat.Dense
		}{{"Value", p.Value}, {"Grad", p.Grad}} {
			if err := checkContiguous(m.m); err != nil {
				return nil, nil, fmt.Errorf("sgd: %s: %s %v", label(i, p), m.what, err)
			}
			if len(m.m.Data) == 0 {
				continue
			}
			if u, ok := owner[&m.m.Data[0]]; ok {
				return nil, nil, fmt.Errorf("sgd: some parameters share memory: %s of %s is %s of %s",
					m.what, label(i, p), u.what, label(u.i, params[u.i]))
			}
			owner[&m.m.Data[0]] = use{i, m.what}
		}
		if p.Value.Rows != p.Grad.Rows || p.Value.Cols != p.Grad.Cols {
			return nil, nil, fmt.Errorf("sgd: %s: Value is %d×%d but Grad is %d×%d",
				label(i, p), p.Value.Rows, p.Value.Cols, p.Grad.Rows, p.Grad.Cols)
		}
		sizes[i] = len(p.Value.Data)
	}
	return sizes, index, nil
}

// flat reports whether Step and ZeroGrad may work on the parameter block
// whole, as torch's foreach implementation works on all the tensors of a
// group at once, with the same arithmetic on every element: New was given
// the parameters of a block, the block is still intact (every parameter
// still has the memory NewSequential gave it: see layer.ParamBlock.Intact,
// which compares one address and one length per Value and Grad), and, if
// bufs is set, every momentum buffer still has its piece of momentum. A
// parameter given another Value or Grad since New, or a buffer given
// other Data, turns it off.
func (s *SGD) flat(bufs bool) bool {
	if s.block == nil || !s.block.Intact() {
		return false
	}
	if !bufs {
		return true
	}
	off := 0
	sizes := s.sizes[:len(s.bufs)]
	for i, b := range s.bufs {
		n := sizes[i]
		if len(b.Data) != n || n > 0 && &b.Data[0] != &s.momentum[off] {
			return false
		}
		off += n
	}
	return true
}

// label names parameter i in error messages.
func label(i int, p *layer.Param) string {
	if p.Name == "" {
		return fmt.Sprintf("parameter %d", i)
	}
	return fmt.Sprintf("parameter %d (%q)", i, p.Name)
}

// checkContiguous returns an error unless m is a non-nil matrix whose Data
// holds exactly its Rows·Cols elements, row after row.
func checkContiguous(m *mat.Dense) error {
	switch {
	case m == nil:
		return errors.New("is nil")
	case m.Rows < 0 || m.Cols < 0:
		return fmt.Errorf("has negative dimensions %d×%d", m.Rows, m.Cols)
	case m.Stride != m.Cols:
		return fmt.Errorf("is %d×%d with stride %d: not contiguous", m.Rows, m.Cols, m.Stride)
	case len(m.Data) != m.Rows*m.Cols:
		return fmt.Errorf("is %d×%d but Data has %d elements", m.Rows, m.Cols, len(m.Data))
	}
	return nil
}

// Params returns the parameters, in the order given to New. The slice is
// a copy; the parameters are the optimizer's own.
func (s *SGD) Params() []*layer.Param { return append([]*layer.Param(nil), s.params...) }

// MomentumBuffer returns the momentum buffer of p, PyTorch's
// optimizer.state[p]['momentum_buffer']: a matrix of p's shape, or nil
// before the first Step with non-zero momentum or if p is not one of the
// optimizer's parameters. The matrix is the optimizer's own: changing it
// changes later steps.
func (s *SGD) MomentumBuffer(p *layer.Param) *mat.Dense {
	i, ok := s.index[p]
	if !ok || s.bufs == nil {
		return nil
	}
	return s.bufs[i]
}

// ZeroGrad sets every parameter's Grad to zero: PyTorch's
// zero_grad(set_to_none=False). pente never sets a gradient to none.
func (s *SGD) ZeroGrad() {
	if s.flat(false) {
		clear(s.block.Grads())
		return
	}
	for _, p := range s.params {
		clear(p.Grad.Data)
	}
}

// Step updates every parameter once, from its Grad (see the package
// documentation for the formula). It panics if s.Config is not valid or a
// parameter has changed size since New.
func (s *SGD) Step() {
	c := s.Config
	if c != s.valid { // Validate's verdict depends only on what == compares
		if err := c.Validate(); err != nil {
			panic(err)
		}
		s.valid = c
	}
	// The buffers are checked only if this Step uses them as they are.
	firstMomentum := c.Momentum != 0 && s.bufs == nil
	flat := s.flat(c.Momentum != 0 && !firstMomentum)
	if !flat {
		for i, p := range s.params {
			if len(p.Value.Data) != s.sizes[i] || len(p.Grad.Data) != s.sizes[i] {
				panic(fmt.Sprintf("sgd: Step: %s had %d elements, now Value has %d and Grad %d",
					label(i, p), s.sizes[i], len(p.Value.Data), len(p.Grad.Data)))
			}
		}
	}

	if firstMomentum {
		s.newBuffers()
	}

	if flat {
		var b []float32
		if c.Momentum != 0 {
			b = s.momentum
		}
		s.update(&c, firstMomentum, s.block.Values(), s.block.Grads(), b)
		return
	}
	for i, p := range s.params {
		var b []float32
		if c.Momentum != 0 {
			b = s.bufs[i].Data
		}
		s.update(&c, firstMomentum, p.Value.Data, p.Grad.Data, b)
	}
}

// update does the step of the package documentation on θ with gradient ∇
// and momentum buffer b (nil when μ is 0), elementwise, the same
// operations on every element whether θ is one parameter or a run of
// several: so a flat Step and a Step parameter by parameter give the same
// bits. first says that b is new and takes g.
//
// With only LR set, the update is mat.Axpy(−γ, ∇, θ), the manual update
// itself (on mat's threads when θ is long). Otherwise it is one pass of
// the fused kernel asm.Kernels.SGD, which reads ∇, θ and b once and writes
// θ and b once, and rounds every line as the mat.Axpy (a fused multiply-
// add, skipped when its alpha is zero) or mat.Scal that once made a pass
// of its own for it.
func (s *SGD) update(c *Config, first bool, theta, g, b []float32) {
	if c.Momentum == 0 && c.WeightDecay == 0 && !c.Maximize {
		mat.Axpy(-c.LR, g, theta) // θ −= γ·∇
		return
	}
	s.scalars = asm.SGDStep{
		WeightDecay:       c.WeightDecay,
		Momentum:          c.Momentum,
		OneMinusDampening: 1 - c.Dampening,
		Alpha:             -c.LR,
		Nesterov:          c.Nesterov,
		Maximize:          c.Maximize,
		First:             first,
	}
	asm.Default().SGD(&s.scalars, theta, g, b)
}

// newBuffers makes zeroed momentum buffers, one per parameter, of its
// shape, as views of one new momentum vector that holds them in order.
func (s *SGD) newBuffers() {
	s.bufs = make([]*mat.Dense, len(s.params))
	s.momentum = make([]float32, sum(s.sizes))
	o := 0
	for i, p := range s.params {
		n := s.sizes[i]
		s.bufs[i] = mat.NewDense(p.Value.Rows, p.Value.Cols, s.momentum[o:o+n:o+n])
		o += n
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
