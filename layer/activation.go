package layer

import (
	"fmt"
	"math"

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

// pointwise is what the activations share: an output y = f(x) kept for the
// backward pass, whose derivative each of them writes in terms of y. Its
// panics are those of the package documentation.
type pointwise struct {
	kind  string    // ReLU, Sigmoid, Tanh
	y, dx mat.Dense // output and input gradient, reused
	ready bool      // Forward has run
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
	p.ready = true
	return y
}

func (p *pointwise) backward(dy *mat.Dense, df func(dx, dy, y []float32)) *mat.Dense {
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
	if dys, ok := flat(dy); ok {
		df(dx.Data, dys, y.Data)
	} else {
		for r := 0; r < dy.Rows; r++ {
			df(row(dx, r), row(dy, r), row(y, r))
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
