package loss

import (
	"github.com/pente-go/pente/mat"
)

// L1 is PyTorch's nn.L1Loss, the absolute error of each element,
//
//	ℓ_ij = |x_ij − y_ij|,
//
// combined by Reduction: Mean divides the sum by the number of elements,
// Sum adds them, None keeps them for Losses. The gradient is
// sign(x − y), 0 where x = y (torch's sgn). An L1 keeps the buffers it
// returns and is not safe for concurrent use.
type L1 struct {
	// Reduction is Mean (the default), Sum or None (torch: reduction).
	Reduction Reduction

	elementwise
}

// NewL1 returns an L1 with PyTorch's default reduction, Mean.
func NewL1() *L1 {
	return &L1{}
}

// Forward returns the loss of pred against target, two matrices of the
// same shape (either may be a view), reduced by Reduction; with None it
// returns the sum of the element losses, which Losses returns one by one.
// The sum is accumulated in float64.
//
// Forward computes the gradient too, so that Backward costs nothing and
// pred and target may change once Forward returns. An empty Mean is NaN
// (0/0), as in PyTorch.
//
// Forward panics, before computing anything, if pred or target is
// malformed, if their shapes differ or if Reduction is unknown.
func (l *L1) Forward(pred, target *mat.Dense) float32 {
	n, c := check("L1", "pred", "target", pred, target, l.Reduction)
	scale := float32(l.prepare(n, c, l.Reduction))
	var sum float64
	for i := range n {
		x, y, loss, g := row(pred, i), row(target, i), row(&l.losses, i), row(&l.grad, i)
		for j := range x {
			d := x[j] - y[j]
			loss[j] = abs(d)       // Forward: ℓ = |x − y|
			g[j] = sign(d) * scale // Backward: ∂ℓ/∂x = sign(x − y), times scale
			sum += float64(loss[j])
		}
	}
	return reduce(l.Reduction, sum, n, c)
}

// Backward returns dLoss/dpred of the last Forward, a matrix of the shape
// of pred, for the loss that Forward returned (with None, for the sum of
// the element losses). The matrix belongs to l and is overwritten by the
// next Forward: copy it to keep it. Backward panics if no Forward has run.
func (l *L1) Backward() *mat.Dense { return l.backward("L1") }

// Losses returns the element losses |x − y| of the last Forward, before
// reduction (PyTorch's output for reduction="none"), in a matrix of the
// shape of pred. The matrix belongs to l and is overwritten by the next
// Forward. Before the first Forward it is an empty 0×0 matrix.
func (l *L1) Losses() *mat.Dense { return &l.losses }

// abs returns |x| (NaN stays NaN).
func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// sign returns −1, 0 or 1 as x is negative, zero or positive, and NaN for
// NaN: torch.sgn of a real number.
func sign(x float32) float32 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // ±0 or NaN
}
