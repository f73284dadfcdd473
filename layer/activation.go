package layer

import (
	"fmt"
	"math"
	"strconv"

	"github.com/pente-go/pente/mat"
)

// ReLU is torch.nn.ReLU: y = max(x, 0), and dL/dx = dL/dy where y > 0,
// else 0. NaN passes through, as in PyTorch.
type ReLU struct{ pointwise }

// Sigmoid is torch.nn.Sigmoid: y = 1/(1 + e⁻ˣ), dL/dx = dL/dy·(1 − y)·y.
type Sigmoid struct{ pointwise }

// Tanh is torch.nn.Tanh: y = tanh x, dL/dx = dL/dy·(1 − y²).
type Tanh struct{ pointwise }

// NewReLU returns a ReLU layer.
func NewReLU() *ReLU { return &ReLU{pointwise{kind: "ReLU"}} }

// NewSigmoid returns a Sigmoid layer.
func NewSigmoid() *Sigmoid { return &Sigmoid{pointwise{kind: "Sigmoid"}} }

// NewTanh returns a Tanh layer.
func NewTanh() *Tanh { return &Tanh{pointwise{kind: "Tanh"}} }

func relu(y, x []float32) {
	for i, v := range x {
		y[i] = max(v, 0) // max propagates NaN
	}
}

// reluBackward sets dx[i] = dy[i] where y[i] > 0, else +0. The choice is
// a mask that the compiler makes with a conditional move: y's signs follow
// no pattern, and a branch on each would be mispredicted half the time.
func reluBackward(dx, dy, y []float32) {
	dx, dy = dx[:len(y)], dy[:len(y)]
	for i, v := range y {
		var keep uint32 // all ones where v > 0 (not for NaN)
		if v > 0 {
			keep = ^uint32(0)
		}
		dx[i] = math.Float32frombits(math.Float32bits(dy[i]) & keep)
	}
}

func sigmoid(y, x []float32) {
	for i, v := range x {
		y[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
}

func sigmoidBackward(dx, dy, y []float32) {
	for i, v := range y {
		dx[i] = dy[i] * (1 - v) * v
	}
}

func tanh(y, x []float32) {
	for i, v := range x {
		y[i] = float32(math.Tanh(float64(v)))
	}
}

func tanhBackward(dx, dy, y []float32) {
	for i, v := range y {
		dx[i] = dy[i] * (1 - v*v)
	}
}

// Forward returns max(x, 0), which belongs to r.
func (r *ReLU) Forward(x *mat.Dense) *mat.Dense { return r.forward(x, relu) }

// Backward returns dL/dx for the last Forward, which belongs to r.
func (r *ReLU) Backward(dy *mat.Dense) *mat.Dense { return r.backward(dy, reluBackward) }

// Predict writes max(x, 0) to dst and returns it, keeping no state. dst is
// allocated if nil; it may be x itself (in place), but no other matrix
// that shares memory with x.
func (r *ReLU) Predict(x, dst *mat.Dense) *mat.Dense { return r.predict(x, dst, relu) }

// Forward returns 1/(1 + e⁻ˣ), which belongs to s.
func (s *Sigmoid) Forward(x *mat.Dense) *mat.Dense { return s.forward(x, sigmoid) }

// Backward returns dL/dx for the last Forward, which belongs to s.
func (s *Sigmoid) Backward(dy *mat.Dense) *mat.Dense { return s.backward(dy, sigmoidBackward) }

// Predict writes 1/(1 + e⁻ˣ) to dst and returns it, keeping no state. dst is
// allocated if nil; it may be x itself (in place), but no other matrix
// that shares memory with x.
func (s *Sigmoid) Predict(x, dst *mat.Dense) *mat.Dense { return s.predict(x, dst, sigmoid) }

// Forward returns tanh x, which belongs to t.
func (t *Tanh) Forward(x *mat.Dense) *mat.Dense { return t.forward(x, tanh) }

// Backward returns dL/dx for the last Forward, which belongs to t.
func (t *Tanh) Backward(dy *mat.Dense) *mat.Dense { return t.backward(dy, tanhBackward) }

// Predict writes tanh x to dst and returns it, keeping no state. dst is
// allocated if nil; it may be x itself (in place), but no other matrix
// that shares memory with x.
func (t *Tanh) Predict(x, dst *mat.Dense) *mat.Dense { return t.predict(x, dst, tanh) }

// Forward returns x for x > 0, else negative_slope·x, which belongs to l.
func (l *LeakyReLU) Forward(x *mat.Dense) *mat.Dense {
	return l.forward(x, func(y, x []float32) { leakyReLU(y, x, l.slope) })
}

// Backward returns dL/dx for the last Forward, which belongs to l.
func (l *LeakyReLU) Backward(dy *mat.Dense) *mat.Dense {
	return l.backwardFromInput(dy, func(dx, dy, x []float32) { leakyReLUBackward(dx, dy, x, l.slope) })
}

// Predict writes the LeakyReLU of x to dst and returns it, keeping no
// state. dst is allocated if nil; it may be x itself (in place), but no
// other matrix that shares memory with x.
func (l *LeakyReLU) Predict(x, dst *mat.Dense) *mat.Dense {
	return l.predict(x, dst, func(y, x []float32) { leakyReLU(y, x, l.slope) })
}

// NegativeSlope returns the slope for x ≤ 0.
func (l *LeakyReLU) NegativeSlope() float32 { return l.slope }

func (l *LeakyReLU) String() string {
	return "LeakyReLU(negative_slope=" + strconv.FormatFloat(float64(l.slope), 'g', -1, 32) + ")"
}

// Forward returns x·Φ(x), which belongs to g.
func (g *GELU) Forward(x *mat.Dense) *mat.Dense {
	if g.approximate == "tanh" {
		return g.forward(x, geluTanh)
	}
	return g.forward(x, geluErf)
}

// Backward returns dL/dx for the last Forward, which belongs to g.
func (g *GELU) Backward(dy *mat.Dense) *mat.Dense {
	if g.approximate == "tanh" {
		return g.backwardFromInput(dy, geluTanhBackward)
	}
	return g.backwardFromInput(dy, geluErfBackward)
}

// Predict writes x·Φ(x) to dst and returns it, keeping no state. dst is
// allocated if nil; it may be x itself (in place), but no other matrix
// that shares memory with x.
func (g *GELU) Predict(x, dst *mat.Dense) *mat.Dense {
	if g.approximate == "tanh" {
		return g.predict(x, dst, geluTanh)
	}
	return g.predict(x, dst, geluErf)
}

// Approximate returns "none" or "tanh".
func (g *GELU) Approximate() string { return g.approximate }

func (g *GELU) String() string { return "GELU(approximate='" + g.approximate + "')" }

// Forward returns x/(1 + e⁻ˣ), which belongs to s.
func (s *SiLU) Forward(x *mat.Dense) *mat.Dense { return s.forward(x, silu) }

// Backward returns dL/dx for the last Forward, which belongs to s.
func (s *SiLU) Backward(dy *mat.Dense) *mat.Dense { return s.backwardFromInput(dy, siluBackward) }

// Predict writes x/(1 + e⁻ˣ) to dst and returns it, keeping no state. dst
// is allocated if nil; it may be x itself (in place), but no other matrix
// that shares memory with x.
func (s *SiLU) Predict(x, dst *mat.Dense) *mat.Dense { return s.predict(x, dst, silu) }

// pointwise is what the activations share: an output y = f(x) kept for the
// backward pass, whose derivative each of them writes in terms of y. Its
// panics are those of the package documentation.
type pointwise struct {
	kind  string     // ReLU, Sigmoid, Tanh, …
	y, dx mat.Dense  // output and input gradient, reused
	x     *mat.Dense // input of the last Forward, for derivatives in terms of x
	ready bool       // Forward has run
}

// Params returns nil: activations have no parameters.
func (*pointwise) Params() []*Param { return nil }

func (p *pointwise) String() string { return p.kind + "()" }

// name is how panics name the layer: layer.ReLU.
func (p *pointwise) name() string { return "layer." + p.kind }

func (p *pointwise) forward(x *mat.Dense, f func(y, x []float32)) *mat.Dense {
	checkInput(p, x)
	p.y.Resize(x.Rows, x.Cols)
	y := &p.y
	if xs, ok := flat(x); ok {
		f(y.Data, xs)
	} else {
		for r := 0; r < x.Rows; r++ {
			f(row(y, r), row(x, r))
		}
	}
	p.x = x
	p.ready = true
	return y
}

func (p *pointwise) backward(dy *mat.Dense, df func(dx, dy, y []float32)) *mat.Dense {
	return p.backwardFrom(dy, &p.y, df)
}

// backwardFromInput is backward for a derivative written in terms of the
// input x of the last Forward instead of its output.
func (p *pointwise) backwardFromInput(dy *mat.Dense, df func(dx, dy, x []float32)) *mat.Dense {
	return p.backwardFrom(dy, p.x, df)
}

// backwardFrom sets dx = df(dy, v) row by row, v being y or x.
func (p *pointwise) backwardFrom(dy, v *mat.Dense, df func(dx, dy, v []float32)) *mat.Dense {
	if !p.ready {
		panic(p.name() + ": Backward before Forward")
	}
	checkGradient(p, dy)
	y := &p.y
	if dy.Rows != y.Rows || dy.Cols != y.Cols {
		panic(fmt.Sprintf("%s: gradient is %d×%d, want %d×%d (the output of the last Forward)",
			p.name(), dy.Rows, dy.Cols, y.Rows, y.Cols))
	}
	p.dx.Resize(dy.Rows, dy.Cols)
	dx := &p.dx
	dys, ok := flat(dy)
	vs, vok := flat(v)
	if ok && vok {
		df(dx.Data, dys, vs)
	} else {
		for r := 0; r < dy.Rows; r++ {
			df(row(dx, r), row(dy, r), row(v, r))
		}
	}
	return dx
}

func (p *pointwise) predict(x, dst *mat.Dense, f func(y, x []float32)) *mat.Dense {
	checkInput(p, x)
	dst = output(p, x, dst, x.Rows, x.Cols, true)
	for r := 0; r < x.Rows; r++ {
		f(dst.Row(r), x.Row(r))
	}
	return dst
}

// LeakyReLU is torch.nn.LeakyReLU(negative_slope): y = x for x > 0, else
// negative_slope·x, and dL/dx = dL/dy or negative_slope·dL/dy by the sign
// of x, as PyTorch's leaky_relu_backward decides.
type LeakyReLU struct {
	pointwise
	slope float32
}

// GELU is torch.nn.GELU(approximate): y = x·Φ(x), Φ the standard normal
// distribution function, from erf ("none") or from tanh ("tanh":
// ½x·(1 + tanh(√(2/π)·(x + 0.044715x³)))), and its derivative.
type GELU struct {
	pointwise
	approximate string
}

// SiLU is torch.nn.SiLU: y = x/(1 + e⁻ˣ) = x·σ(x), and
// dL/dx = dL/dy·σ(x)·(1 + x·(1 − σ(x))).
type SiLU struct{ pointwise }

// NewLeakyReLU returns a LeakyReLU layer with the given negative slope
// (nn.LeakyReLU's default is 0.01).
func NewLeakyReLU(negativeSlope float32) *LeakyReLU {
	return &LeakyReLU{pointwise{kind: "LeakyReLU"}, negativeSlope}
}

// NewGELU returns a GELU layer: approximate is "none" (the erf form) or
// "tanh", as for nn.GELU, which it panics for anything else, as torch
// raises.
func NewGELU(approximate string) *GELU {
	if approximate != "none" && approximate != "tanh" {
		panic(fmt.Sprintf("layer.NewGELU: approximate argument must be either none or tanh, got %q", approximate))
	}
	return &GELU{pointwise{kind: "GELU"}, approximate}
}

// NewSiLU returns a SiLU layer.
func NewSiLU() *SiLU { return &SiLU{pointwise{kind: "SiLU"}} }

// The elementary functions in float32, correctly rounded but for the
// rare double rounding through float64.
func exp32(v float32) float32  { return vexp(v) }
func erf32(v float32) float32  { return verf(v) }
func tanh32(v float32) float32 { return float32(math.Tanh(float64(v))) }

// The activations below evaluate PyTorch 1.13's CPU formulas
// (aten/src/ATen/native/cpu/Activation.cpp) operation by operation in
// float32; every product is converted explicitly so that the compiler
// fuses nothing into a multiply-add.

func leakyReLU(y, x []float32, slope float32) {
	y = y[:len(x)]
	for i, v := range x {
		if v > 0 {
			y[i] = v
		} else {
			y[i] = v * slope
		}
	}
}

func leakyReLUBackward(dx, dy, x []float32, slope float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		if v > 0 {
			dx[i] = dy[i]
		} else {
			dx[i] = dy[i] * slope
		}
	}
}

const (
	geluAlpha = float32(math.Sqrt2 / 2)                         // M_SQRT1_2
	geluBeta  = float32(2 / math.SqrtPi * math.Sqrt2 / 2 * 0.5) // M_2_SQRTPI·M_SQRT1_2·½: 1/√(2π)
	tanhBeta  = float32(math.Sqrt2 * 2 / math.SqrtPi * 0.5)     // M_SQRT2·M_2_SQRTPI·½: √(2/π)
	tanhKappa = float32(0.044715)
)

// geluErf is x·½·(1 + erf(x·M_SQRT1_2)).
func geluErf(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		half := float32(v * 0.5)
		y[i] = half * (1 + erf32(float32(v*geluAlpha)))
	}
}

// geluErfBackward is dy·(cdf + x·pdf), cdf = ½·(1 + erf(x·M_SQRT1_2)),
// pdf = β·exp(x·x·(−½)).
func geluErfBackward(dx, dy, x []float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		cdf := 0.5 * (1 + erf32(float32(v*geluAlpha)))
		pdf := geluBeta * exp32(float32(float32(v*v)*-0.5))
		dx[i] = dy[i] * (cdf + float32(v*pdf))
	}
}

// geluTanh is ½·x·(1 + tanh(β·(x + κ·x³))).
func geluTanh(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		cube := float32(float32(v*v) * v)
		inner := tanhBeta * (v + float32(tanhKappa*cube))
		y[i] = float32(0.5*v) * (1 + tanh32(inner))
	}
}

// geluTanhBackward is dy·(½·(1 + t) + ½x·(1 − t²)·β·(1 + 3κ·x²)),
// t = tanh(β·(x + κ·x³)).
func geluTanhBackward(dx, dy, x []float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		sq := float32(v * v)
		cube := float32(sq * v)
		inner := tanhBeta * (v + float32(tanhKappa*cube))
		t := tanh32(inner)
		left := float32(0.5 * v)
		right := 1 + t
		leftD := float32(0.5 * right)
		tanhD := 1 - float32(t*t)
		innerD := tanhBeta * (1 + float32(float32(3*tanhKappa)*sq))
		rightD := float32(float32(left*tanhD) * innerD)
		dx[i] = dy[i] * (leftD + rightD)
	}
}

// silu is x/(1 + exp(−x)).
func silu(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = v / (1 + exp32(-v))
	}
}

// siluBackward is dy·σ·(1 + x·(1 − σ)), σ = 1/(1 + exp(−x)).
func siluBackward(dx, dy, x []float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		s := 1 / (1 + exp32(-v))
		dx[i] = float32(dy[i]*s) * (1 + float32(v*(1-s)))
	}
}
