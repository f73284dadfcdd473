package loss

import (
	"fmt"
	"math"

	"github.com/pente-go/pente/mat"
)

// BCE is PyTorch's nn.BCELoss, the binary cross-entropy of probabilities
// p against targets t (usually 0 or 1, any value allowed), element by
// element, with weight w_j for column j:
//
//	ℓ = −w_j·(t·max(log p, −100) + (1 − t)·max(log(1 − p), −100)).
//
// The logarithms are clamped at −100, as in PyTorch, so that p = 0 or 1
// gives a finite loss; the gradient, w_j·(p − t)/max(p·(1 − p), 1e-12),
// is finite too. Reduction combines the elements: Mean divides the sum by
// the number of elements (whatever the weights), Sum adds them, None
// keeps them for Losses. BCEWithLogits takes logits instead, and is more
// accurate. A BCE keeps the buffers it returns and is not safe for
// concurrent use.
type BCE struct {
	// Weight holds one weight per column (torch: weight, broadcast over
	// the rows). nil weighs every element 1.
	Weight []float32

	// Reduction is Mean (the default), Sum or None (torch: reduction).
	Reduction Reduction

	elementwise
}

// NewBCE returns a BCE with PyTorch's defaults: no weights and Reduction
// Mean.
func NewBCE() *BCE {
	return &BCE{}
}

// bceEpsilon bounds p·(1 − p) from below in the gradient: PyTorch's
// EPSILON, 1e-12, as a float32.
const bceEpsilon = float32(1e-12)

// Forward returns the loss of probs against target, two matrices of the
// same shape (either may be a view), reduced by Reduction; with None it
// returns the sum of the element losses, which Losses returns one by one.
// Logarithms and sums are computed in float64; 1 − p in float32, as
// PyTorch computes it.
//
// Forward computes the gradient too, so that Backward costs nothing and
// probs and target may change once Forward returns. An empty Mean is NaN
// (0/0), as in PyTorch.
//
// Forward panics, before computing anything, if probs or target is
// malformed, if their shapes differ, if a probability is outside [0, 1]
// or NaN (PyTorch: "all elements of input should be between 0 and 1"), if
// Weight is not nil and has not one weight per column, or if Reduction is
// unknown.
func (l *BCE) Forward(probs, target *mat.Dense) float32 {
	n, c := check("BCE", "probs", "target", probs, target, l.Reduction)
	checkColumns("BCE", "weights", l.Weight, c)
	for i := range n {
		for j, p := range row(probs, i) {
			if !(p >= 0 && p <= 1) {
				panic(fmt.Sprintf("loss.BCE: probability %v at [%d, %d] of the %d×%d probs is outside [0, 1]", p, i, j, n, c))
			}
		}
	}
	scale := l.prepare(n, c, l.Reduction)
	var sum float64
	for i := range n {
		p, t, loss, g := row(probs, i), row(target, i), row(&l.losses, i), row(&l.grad, i)
		for j := range p {
			w := columnWeight(l.Weight, j)
			q := 1 - p[j] // in float32, as torch
			x, y := float64(p[j]), float64(t[j])
			// Forward: ℓ = w·((t − 1)·max(log(1 − p), −100) − t·max(log p, −100)).
			e := w * ((y-1)*max(math.Log(float64(q)), -100) - y*max(math.Log(x), -100))
			loss[j] = float32(e)
			sum += e
			// Backward: ∂ℓ/∂p = w·(p − t)/max((1 − p)·p, ε), times scale.
			g[j] = float32(w * scale * (x - y) / float64(max(q*p[j], bceEpsilon)))
		}
	}
	return reduce(l.Reduction, sum, n, c)
}

// Backward returns dLoss/dprobs of the last Forward, a matrix of the
// shape of probs, for the loss that Forward returned (with None, for the
// sum of the element losses). The matrix belongs to l and is overwritten
// by the next Forward: copy it to keep it. Backward panics if no Forward
// has run.
func (l *BCE) Backward() *mat.Dense { return l.backward("BCE") }

// Losses returns the element losses of the last Forward, before reduction
// (PyTorch's output for reduction="none"), in a matrix of the shape of
// probs. The matrix belongs to l and is overwritten by the next Forward.
// Before the first Forward it is an empty 0×0 matrix.
func (l *BCE) Losses() *mat.Dense { return &l.losses }
