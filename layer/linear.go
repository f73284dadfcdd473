package layer

import (
	"fmt"
	"math"

	"github.com/pente-go/pente/mat"
)

// Linear is torch.nn.Linear(in_features, out_features): y = x·Wᵀ + b for a
// batch x of one sample per row. Weight.Value is out×in, as in PyTorch, and
// Bias.Value is 1×out (torch's [out]: see [Param.Shape]).
type Linear struct {
	Weight, Bias *Param

	params []*Param
	x      *mat.Dense // input of the last Forward (not owned)
	y, dx  mat.Dense  // output and input gradient, reused
}

// NewLinear returns a Linear layer from in to out features, initialised as
// nn.Linear initialises it: the weight uniform in ±√3·gain/√in with
// gain = √(2/(1+5)) (kaiming_uniform_ with a = √5), then the bias uniform in
// ±1/√in, drawn in that order from g. With a nil g it draws from a package
// generator seeded with [DefaultSeed], as nn.Linear draws from torch's
// default generator. NewLinear panics unless in and out are positive.
func NewLinear(in, out int, g *Generator) *Linear {
	if in < 1 || out < 1 {
		panic(fmt.Sprintf("layer.NewLinear: need positive sizes, got %d→%d", in, out))
	}
	if g == nil {
		g = defaultGenerator
	}
	l := &Linear{Weight: newParam("weight", out, in), Bias: newParam("bias", 1, out)}
	l.Bias.vector = true
	l.params = []*Param{l.Weight, l.Bias}
	// As torch.nn.init writes it, in float64: gain = calculate_gain(
	// 'leaky_relu', sqrt(5)), std = gain/sqrt(fan_in), bound = sqrt(3)·std.
	// It differs from 1/√in in the last bit for some in.
	a := math.Sqrt(5)
	gain := math.Sqrt(2 / (1 + a*a))
	bound := math.Sqrt(3) * (gain / math.Sqrt(float64(in)))
	g.Uniform(l.Weight.Value.Data, -bound, bound)
	bound = 1 / math.Sqrt(float64(in))
	g.Uniform(l.Bias.Value.Data, -bound, bound)
	return l
}

// In and Out return the numbers of input and output features.
func (l *Linear) In() int  { return l.Weight.Value.Cols }
func (l *Linear) Out() int { return l.Weight.Value.Rows }

// Params returns the weight and the bias.
func (l *Linear) Params() []*Param { return l.params }

// ZeroGrad zeroes the weight and bias gradients.
func (l *Linear) ZeroGrad() {
	l.Weight.ZeroGrad()
	l.Bias.ZeroGrad()
}

func (l *Linear) String() string {
	return fmt.Sprintf("Linear(in_features=%d, out_features=%d, bias=True)", l.In(), l.Out())
}

// name is how panics name the layer: layer.Linear(16→8).
func (l *Linear) name() string { return fmt.Sprintf("layer.Linear(%d→%d)", l.In(), l.Out()) }

// checkInput panics unless x is a well-formed matrix of In() columns.
func (l *Linear) checkInput(x *mat.Dense) {
	checkInput(l, x)
	if x.Cols != l.In() {
		panic(fmt.Sprintf("%s: input has %d columns, want %d", l.name(), x.Cols, l.In()))
	}
}

// Forward returns x·Wᵀ + b for the batch x (batch×in) and remembers x for
// Backward. The result (batch×out) belongs to l and is overwritten by the
// next Forward. Forward panics if x is malformed (see mat.Dense.Check) or
// does not have In() columns.
func (l *Linear) Forward(x *mat.Dense) *mat.Dense {
	l.checkInput(x)
	l.x = x
	l.y.Resize(x.Rows, l.Out())
	y := &l.y
	l.affine(x, y)
	return y
}

// affine sets y = x·Wᵀ + b: the bias broadcast into every row, then the
// product added to it (beta = 1).
func (l *Linear) affine(x, y *mat.Dense) {
	for r := 0; r < y.Rows; r++ {
		copy(row(y, r), l.Bias.Value.Data)
	}
	mat.Gemm(mat.NoTrans, mat.Trans, 1, x, l.Weight.Value, 1, y)
}

// Backward takes dy = dL/dy for the last Forward (batch×out), adds
// dyᵀ·x to the weight gradient and the column sums of dy to the bias
// gradient, and returns dL/dx = dy·W (batch×in), which belongs to l.
// Gradients accumulate over calls until ZeroGrad, as in PyTorch. Backward
// panics before a Forward, and if dy is nil, malformed or not of the
// shape of the last Forward's output.
func (l *Linear) Backward(dy *mat.Dense) *mat.Dense {
	l.BackwardParams(dy)
	l.dx.Resize(dy.Rows, l.In())
	dx := &l.dx
	mat.Gemm(mat.NoTrans, mat.NoTrans, 1, dy, l.Weight.Value, 0, dx)
	return dx
}

// BackwardParams is Backward without dL/dx: it only accumulates the
// parameter gradients, saving the batch·in·out multiply-adds of dy·W when
// x is the network's input. Sequential calls it on its first layer.
func (l *Linear) BackwardParams(dy *mat.Dense) {
	if l.x == nil {
		panic(l.name() + ": Backward before Forward")
	}
	checkGradient(l, dy)
	if dy.Rows != l.x.Rows || dy.Cols != l.Out() {
		panic(fmt.Sprintf("%s: gradient is %d×%d, want %d×%d (the output of the last Forward)",
			l.name(), dy.Rows, dy.Cols, l.x.Rows, l.Out()))
	}
	mat.Gemm(mat.Trans, mat.NoTrans, 1, dy, l.x, 1, l.Weight.Grad) // dW += dyᵀ·x
	// db += Σ rows of dy. For one row the loop computes what
	// mat.Axpy(1, dy, db) does (1·v is exact, fused into the sum or not),
	// without the call, which is most of the cost for a few features.
	db := l.Bias.Grad.Data
	if dy.Rows == 1 {
		d := row(dy, 0)
		db = db[:len(d)]
		for j, v := range d {
			db[j] += v
		}
		return
	}
	for r := 0; r < dy.Rows; r++ {
		mat.Axpy(1, row(dy, r), db)
	}
}

// Predict writes x·Wᵀ + b to dst (batch×out) and returns it, allocating
// dst if it is nil. It keeps no state, so it does not disturb a pending
// Backward and any number of goroutines may call it at once while the
// parameters are not being changed. Predict panics as Forward does, and
// if dst is malformed, not batch×out, or shares memory with x.
func (l *Linear) Predict(x, dst *mat.Dense) *mat.Dense {
	l.checkInput(x)
	dst = output(l, x, dst, x.Rows, l.Out(), false)
	l.affine(x, dst)
	return dst
}
