package layer

import (
	"fmt"
	"math"

	"github.com/pente-go/pente/mat"
)

// Softmax is torch.nn.Softmax(dim=1): over the features of each row,
// yᵢ = exp(xᵢ − m)/Σⱼ exp(xⱼ − m) with m the row's maximum, and
// dL/dxᵢ = (dL/dyᵢ − Σⱼ dL/dyⱼ·yⱼ)·yᵢ.
type Softmax struct{ rowwise }

// LogSoftmax is torch.nn.LogSoftmax(dim=1): over the features of each row,
// yᵢ = (xᵢ − m) − log Σⱼ exp(xⱼ − m) with m the row's maximum, and
// dL/dxᵢ = dL/dyᵢ − exp(yᵢ)·Σⱼ dL/dyⱼ.
type LogSoftmax struct{ rowwise }

// NewSoftmax returns a Softmax layer over the columns of each row.
func NewSoftmax() *Softmax { return &Softmax{rowwise{kind: "Softmax"}} }

// NewLogSoftmax returns a LogSoftmax layer over the columns of each row.
func NewLogSoftmax() *LogSoftmax { return &LogSoftmax{rowwise{kind: "LogSoftmax"}} }

// Forward returns the softmax of each row of x, which belongs to s.
func (s *Softmax) Forward(x *mat.Dense) *mat.Dense { return s.forward(x, softmaxRow) }

// Backward returns dL/dx for the last Forward, which belongs to s.
func (s *Softmax) Backward(dy *mat.Dense) *mat.Dense { return s.backward(dy, softmaxBackwardRow) }

// Predict writes the softmax of each row of x to dst and returns it,
// keeping no state. dst is allocated if nil; it may be x itself (in
// place, row by row), but no other matrix that shares memory with x.
func (s *Softmax) Predict(x, dst *mat.Dense) *mat.Dense { return s.predict(x, dst, softmaxRow) }

// Forward returns the log-softmax of each row of x, which belongs to l.
func (l *LogSoftmax) Forward(x *mat.Dense) *mat.Dense { return l.forward(x, logSoftmaxRow) }

// Backward returns dL/dx for the last Forward, which belongs to l.
func (l *LogSoftmax) Backward(dy *mat.Dense) *mat.Dense { return l.backward(dy, logSoftmaxBackwardRow) }

// Predict writes the log-softmax of each row of x to dst and returns it,
// keeping no state. dst is allocated if nil; it may be x itself (in
// place, row by row), but no other matrix that shares memory with x.
func (l *LogSoftmax) Predict(x, dst *mat.Dense) *mat.Dense { return l.predict(x, dst, logSoftmaxRow) }

// The rows are computed as PyTorch 1.13's vectorised CPU kernels compute
// them for the last dimension (aten/src/ATen/native/cpu/SoftMaxKernel.cpp):
// the maximum first, every sum in the order of an 8-lane float32
// accumulator (see sum8), and 1/Σ applied as a product.

func rowMax(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v > m || v != v { // NaN propagates, as vec::maximum
			m = v
		}
		if m != m {
			break
		}
	}
	return m
}

// lanes is the width of the float32 accumulator of PyTorch's AVX2 kernels.
const lanes = 8

// sum8 returns Σ f(a[i], b[i]) in the order of vec::reduce_all on
// Vectorized<float> with AVX2: for fewer than 8 elements one after
// another; else 8 partial sums, lane j adding the elements i ≡ j (mod 8)
// in order, then the lanes added one after another. f is one of the
// terms below, chosen by a constant so that no closure is made.
func sum8(term int, a, b []float32, m float32) float32 {
	n := len(a)
	f := func(i int) float32 {
		switch term {
		case termExp:
			return exp32(a[i] - m)
		case termProd:
			return float32(a[i] * b[i])
		}
		return a[i]
	}
	if n < lanes {
		var s float32
		for i := 0; i < n; i++ {
			s += f(i)
		}
		return s
	}
	var acc [lanes]float32
	for j := range acc {
		acc[j] = f(j)
	}
	for i := lanes; i < n; i++ {
		acc[i%lanes] += f(i)
	}
	s := acc[0]
	for _, v := range acc[1:] {
		s += v
	}
	return s
}

const (
	termValue = iota // a[i]
	termExp          // exp(a[i] − m)
	termProd         // a[i]·b[i]
)

func softmaxRow(y, x []float32) {
	y = y[:len(x)]
	m := rowMax(x)
	for i, v := range x {
		y[i] = exp32(v - m)
	}
	inv := 1 / sum8(termValue, y, nil, 0)
	for i := range y {
		y[i] *= inv
	}
}

func logSoftmaxRow(y, x []float32) {
	y = y[:len(x)]
	m := rowMax(x)
	ls := float32(math.Log(float64(sum8(termExp, x, nil, m))))
	for i, v := range x {
		y[i] = (v - m) - ls
	}
}

func softmaxBackwardRow(dx, dy, y []float32) {
	dx, dy = dx[:len(y)], dy[:len(y)]
	s := sum8(termProd, dy, y, 0)
	for i, v := range y {
		dx[i] = (dy[i] - s) * v
	}
}

func logSoftmaxBackwardRow(dx, dy, y []float32) {
	dx, dy = dx[:len(y)], dy[:len(y)]
	s := sum8(termValue, dy, nil, 0)
	for i, v := range y {
		dx[i] = dy[i] - float32(exp32(v)*s)
	}
}

// rowwise is what Softmax and LogSoftmax share: pointwise's bookkeeping
// with a function of whole rows.
type rowwise struct {
	kind  string
	y, dx mat.Dense
	ready bool
}

// Params returns nil: Softmax and LogSoftmax have no parameters.
func (*rowwise) Params() []*Param { return nil }

func (r *rowwise) String() string { return r.kind + "(dim=1)" }

func (r *rowwise) name() string { return "layer." + r.kind }

func (r *rowwise) forward(x *mat.Dense, f func(y, x []float32)) *mat.Dense {
	checkInput(r, x)
	r.y.Resize(x.Rows, x.Cols)
	for i := 0; i < x.Rows; i++ {
		f(row(&r.y, i), row(x, i))
	}
	r.ready = true
	return &r.y
}

func (r *rowwise) backward(dy *mat.Dense, df func(dx, dy, y []float32)) *mat.Dense {
	if !r.ready {
		panic(r.name() + ": Backward before Forward")
	}
	checkGradient(r, dy)
	if dy.Rows != r.y.Rows || dy.Cols != r.y.Cols {
		panic(fmt.Sprintf("%s: gradient is %d×%d, want %d×%d (the output of the last Forward)",
			r.name(), dy.Rows, dy.Cols, r.y.Rows, r.y.Cols))
	}
	r.dx.Resize(dy.Rows, dy.Cols)
	for i := 0; i < dy.Rows; i++ {
		df(row(&r.dx, i), row(dy, i), row(&r.y, i))
	}
	return &r.dx
}

func (r *rowwise) predict(x, dst *mat.Dense, f func(y, x []float32)) *mat.Dense {
	checkInput(r, x)
	dst = output(r, x, dst, x.Rows, x.Cols, true)
	for i := 0; i < x.Rows; i++ {
		f(dst.Row(i), x.Row(i))
	}
	return dst
}
