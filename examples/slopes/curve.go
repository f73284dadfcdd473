package main

import (
	"math"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
)

// curve is a model whose loss is a function of one weight w: every other
// parameter is fixed. Its loss and gradient come from pente's own Forward
// and Backward.
type curve struct {
	name, title string
	model       *layer.Sequential
	w           *layer.Param // the weight that varies: w.Value.Data[0]
	x, target   *mat.Dense
	criterion   *loss.MSE
	lo, hi      float64 // the range of w drawn
}

// convex is a Linear(1→1) y = w·x (bias 0) fitted by MSE to four points:
//
//	L(w) = mean over i of (w·xᵢ − tᵢ)²
//
// a parabola in w, one valley: the minimum is at w = Σxᵢtᵢ / Σxᵢ².
func convex() *curve {
	lin := layer.NewLinear(1, 1, layer.ManualSeed(0))
	lin.Bias.Value.Data[0] = 0
	return (&curve{
		name: "convex", title: "Linear(1→1) and MSE on 4 points",
		model: layer.NewSequential(lin),
		x:     mat.NewDense(4, 1, []float32{-1, 0.5, 1, 2}),
		// roughly t = 1.5·x, not exactly: the minimum is not at 1.5.
		target: mat.NewDense(4, 1, []float32{-1.2, 1.1, 1.4, 3.2}),
		lo:     -4, hi: 6,
	}).init()
}

// Where the non-convex curve's two valleys are and how deep.
const (
	dipWidth = 0.5 // half width s of each dip, in units of w
	leftAt   = -2.0
	leftDip  = 0.6
	rightAt  = 1.5
	rightDip = 0.9
)

// nonConvex is a network 1→1→4→1 with a Tanh layer, every weight fixed
// but the first one, w, on the input x = 1, and the output fitted to 0 by
// MSE:
//
//	h = w·1, y = 1 + Σₖ vₖ·tanh(h + cₖ), L(w) = y²
//
// The four tanh units come in pairs, tanh(w − m + s) − tanh(w − m − s),
// each pair a dip of y around w = m: y dips to 1 − 0.6 at w ≈ −2 and to
// 1 − 0.9 at w ≈ 1.5, so L has two valleys of different depths (a local
// and a global minimum) with a hill between them, and flattens towards
// y² = 1 far away on both sides.
func nonConvex() *curve {
	g := layer.ManualSeed(0)
	first := layer.NewLinear(1, 1, g) // the weight w
	hidden := layer.NewLinear(1, 4, g)
	out := layer.NewLinear(4, 1, g)
	first.Bias.Value.Data[0] = 0
	norm := 2 * math.Tanh(dipWidth) // a dip's depth at its centre, to scale it to 1
	for k, d := range []struct{ at, depth float64 }{{leftAt, leftDip}, {rightAt, rightDip}} {
		hidden.Weight.Value.Data[2*k], hidden.Weight.Value.Data[2*k+1] = 1, 1
		hidden.Bias.Value.Data[2*k] = float32(dipWidth - d.at)
		hidden.Bias.Value.Data[2*k+1] = float32(-dipWidth - d.at)
		out.Weight.Value.Data[2*k] = float32(-d.depth / norm)
		out.Weight.Value.Data[2*k+1] = float32(d.depth / norm)
	}
	out.Bias.Value.Data[0] = 1
	return (&curve{
		name: "nonconvex", title: "1→1→4→1 with Tanh, MSE",
		model:  layer.NewSequential(first, hidden, layer.NewTanh(), out),
		x:      mat.NewDense(1, 1, []float32{1}),
		target: mat.NewDense(1, 1, []float32{0}),
		lo:     -5, hi: 5,
	}).init()
}

// init finishes a curve: the varying weight and the loss.
func (c *curve) init() *curve {
	c.w = c.model.Params()[0]
	c.criterion = loss.NewMSE()
	return c
}

// loss returns L(w), computed by Forward.
func (c *curve) loss(w float32) float32 {
	c.w.Value.Data[0] = w
	return c.criterion.Forward(c.model.Forward(c.x), c.target) // loss = criterion(model(x), target)
}

// grad returns L(w) and dL/dw, computed by Forward and Backward.
func (c *curve) grad(w float32) (l, dw float32) {
	c.model.ZeroGrad() // model.zero_grad()
	l = c.loss(w)
	c.model.Backward(c.criterion.Backward()) // loss.backward()
	return l, c.w.Grad.Data[0]               // w.grad
}

// fdStep is the step h of the finite differences: the rounding of the
// float32 losses costs about 6e-8·L/h, the curvature h²·L‴/6; 1/128 keeps
// both near 1e-5 here and is exact in binary.
const fdStep = 1.0 / 128

// slope returns the slope of the curve at w measured by central
// finite differences, (L(w+h) − L(w−h)) / 2h, with no derivative at all.
func (c *curve) slope(w float32) float64 {
	up, down := w+fdStep, w-fdStep // the float32 points, so h is the one taken
	return (float64(c.loss(up)) - float64(c.loss(down))) / (float64(up) - float64(down))
}

// minimum is a valley floor of a curve.
type minimum struct {
	w, loss float64
	global  bool
}

// minima returns the valley floors of c in [lo, hi], lowest first: where
// Backward's gradient changes sign from − to + on a grid of 1/64, refined
// by bisection on the sign of the gradient.
func (c *curve) minima() []minimum {
	var ms []minimum
	const step = 1.0 / 64
	_, gPrev := c.grad(float32(c.lo))
	for w := c.lo + step; w <= c.hi; w += step {
		_, g := c.grad(float32(w))
		if gPrev < 0 && g >= 0 {
			a, b := float32(w-step), float32(w)
			for i := 0; i < 40 && b-a > 1e-6; i++ {
				m := (a + b) / 2
				if _, gm := c.grad(m); gm < 0 {
					a = m
				} else {
					b = m
				}
			}
			m := (a + b) / 2
			ms = append(ms, minimum{w: float64(m), loss: float64(c.loss(m))})
		}
		gPrev = g
	}
	best := 0
	for i := range ms {
		if ms[i].loss < ms[best].loss {
			best = i
		}
	}
	if len(ms) > 0 {
		ms[best].global = true
	}
	return ms
}
