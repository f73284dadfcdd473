package layer

import (
	"fmt"
	"strconv"

	"github.com/pente-go/pente/mat"
)

// Dropout is torch.nn.Dropout(p): in training (Forward) each element is
// zeroed with probability p and the others are scaled by 1/(1 − p); in
// evaluation (Predict, model.eval()) it is the identity. Backward
// multiplies dL/dy by the same mask.
//
// The mask is PyTorch's from the same generator state, bit for bit:
// PyTorch without MKL (Debian's build) fills it with bernoulli_(1 − p), one
// 64-bit draw per element in row-major order, an element kept where
// (r mod 2⁵³)·2⁻⁵³ < 1 − p (see [Generator]). The kept elements are
// x·s with s = 1/(1 − p) rounded to float32, as PyTorch's noise.div_(1 − p)
// and input·noise compute them. For p = 0 Forward copies x and draws
// nothing; for p = 1 it returns x·0 (NaN for an infinite or NaN x, as in
// PyTorch) and draws nothing.
type Dropout struct {
	p     float32
	q     float64 // 1 − p in float64, from p's shortest decimal
	scale float32 // 1/(1 − p) in float32
	g     *Generator

	y, dx mat.Dense
	noise []float32 // 0 or scale per element of the last Forward
	keep  []bool
	ready bool
}

// NewDropout returns a Dropout layer that zeroes elements with probability
// p, drawing from g (the default generator if g is nil, as nn.Dropout
// draws from torch's). p is read as the shortest decimal that rounds to it
// (float32(0.3) as 0.3), which is the Python float nn.Dropout(0.3) holds,
// so that 1 − p is PyTorch's double. NewDropout panics, as nn.Dropout
// raises, unless 0 ≤ p ≤ 1.
func NewDropout(p float32, g *Generator) *Dropout {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("layer.NewDropout: dropout probability has to be between 0 and 1, but got %v", p))
	}
	if g == nil {
		g = Default()
	}
	p64, _ := strconv.ParseFloat(strconv.FormatFloat(float64(p), 'g', -1, 32), 64)
	q := 1 - p64
	return &Dropout{p: p, q: q, scale: 1 / float32(q), g: g}
}

// P returns the probability of zeroing an element.
func (d *Dropout) P() float32 { return d.p }

// Params returns nil: Dropout has no parameters.
func (*Dropout) Params() []*Param { return nil }

func (d *Dropout) String() string {
	return "Dropout(p=" + strconv.FormatFloat(float64(d.p), 'g', -1, 32) + ", inplace=False)"
}

func (d *Dropout) name() string { return "layer.Dropout" }

// Forward draws a new mask and returns x with the dropped elements zeroed
// and the others scaled by 1/(1 − p), which belongs to d.
func (d *Dropout) Forward(x *mat.Dense) *mat.Dense {
	checkInput(d, x)
	n := x.Rows * x.Cols
	d.y.Resize(x.Rows, x.Cols)
	if cap(d.noise) < n {
		d.noise, d.keep = make([]float32, n), make([]bool, n)
	}
	noise := d.noise[:n]
	switch d.p {
	case 0:
		for i := range noise {
			noise[i] = 1
		}
	case 1:
		clear(noise)
	default:
		keep := d.keep[:n]
		d.g.bernoulli(keep, d.q)
		for i, k := range keep {
			noise[i] = 0
			if k {
				noise[i] = d.scale
			}
		}
	}
	for r := 0; r < x.Rows; r++ {
		mul(row(&d.y, r), row(x, r), noise[r*x.Cols:])
	}
	d.ready = true
	return &d.y
}

// Backward returns dL/dx = dL/dy times the mask of the last Forward,
// which belongs to d.
func (d *Dropout) Backward(dy *mat.Dense) *mat.Dense {
	if !d.ready {
		panic(d.name() + ": Backward before Forward")
	}
	checkGradient(d, dy)
	if dy.Rows != d.y.Rows || dy.Cols != d.y.Cols {
		panic(fmt.Sprintf("%s: gradient is %d×%d, want %d×%d (the output of the last Forward)",
			d.name(), dy.Rows, dy.Cols, d.y.Rows, d.y.Cols))
	}
	d.dx.Resize(dy.Rows, dy.Cols)
	for r := 0; r < dy.Rows; r++ {
		mul(row(&d.dx, r), row(dy, r), d.noise[r*dy.Cols:])
	}
	return &d.dx
}

// Predict copies x to dst and returns it: Dropout in evaluation mode is
// the identity. It draws nothing and keeps no state. dst is allocated if
// nil; it may be x itself, but no other matrix that shares memory with x.
func (d *Dropout) Predict(x, dst *mat.Dense) *mat.Dense {
	checkInput(d, x)
	dst = output(d, x, dst, x.Rows, x.Cols, true)
	for r := 0; r < x.Rows; r++ {
		copy(dst.Row(r), x.Row(r))
	}
	return dst
}

// mul sets z[i] = x[i]·y[i] for the elements of x.
func mul(z, x, y []float32) {
	z, y = z[:len(x)], y[:len(x)]
	for i, v := range x {
		z[i] = v * y[i]
	}
}
