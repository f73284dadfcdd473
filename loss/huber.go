package loss

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// Huber is PyTorch's nn.HuberLoss: with z = |x − y| for each element,
//
//	ℓ = ½·z²         if z < δ,
//	ℓ = δ·(z − ½·δ)  otherwise,
//
// which is δ times SmoothL1 with β = δ. Reduction combines the elements as
// for L1. The gradient is x − y inside and δ·sign(x − y) outside. A Huber
// keeps the buffers it returns and is not safe for concurrent use.
type Huber struct {
	// Delta is δ > 0, where the loss turns from quadratic to linear
	// (torch: delta, default 1).
	Delta float32

	// Reduction is Mean (the default), Sum or None (torch: reduction).
	Reduction Reduction

	elementwise
}

// NewHuber returns a Huber with the given δ and PyTorch's default
// reduction, Mean. nn.HuberLoss() is NewHuber(1).
func NewHuber(delta float32) *Huber {
	return &Huber{Delta: delta}
}

// Forward returns the loss of pred against target, two matrices of the
// same shape (either may be a view), reduced by Reduction; with None it
// returns the sum of the element losses, which Losses returns one by one.
// Each element loss and gradient is computed in float32 with PyTorch's
// operations in PyTorch's order; the sum is accumulated in float64.
//
// Forward computes the gradient too, so that Backward costs nothing and
// pred and target may change once Forward returns. An empty Mean is NaN
// (0/0), as in PyTorch.
//
// Forward panics, before computing anything, if pred or target is
// malformed, if their shapes differ, if Delta is not positive (PyTorch:
// "huber_loss does not support non-positive values for delta") or if
// Reduction is unknown.
func (l *Huber) Forward(pred, target *mat.Dense) float32 {
	n, c := check("Huber", "pred", "target", pred, target, l.Reduction)
	delta := l.Delta
	if !(delta > 0) {
		panic(fmt.Sprintf("loss.Huber: Delta %v is not positive", delta))
	}
	norm := float32(l.prepare(n, c, l.Reduction))
	var sum float64
	for i := range n {
		x, y, loss, g := row(pred, i), row(target, i), row(&l.losses, i), row(&l.grad, i)
		for j := range x {
			d := x[j] - y[j]
			if z := abs(d); z < delta {
				loss[j] = 0.5 * z * z // Forward: ½·z²
			} else {
				loss[j] = delta * (z - 0.5*delta) // Forward: δ·(z − ½·δ)
			}
			switch { // Backward, times norm, in torch's order
			case d < -delta:
				g[j] = -norm * delta
			case d > delta:
				g[j] = norm * delta
			default:
				g[j] = norm * d
			}
			sum += float64(loss[j])
		}
	}
	return reduce(l.Reduction, sum, n, c)
}

// Backward returns dLoss/dpred of the last Forward, a matrix of the shape
// of pred, for the loss that Forward returned (with None, for the sum of
// the element losses). The matrix belongs to l and is overwritten by the
// next Forward: copy it to keep it. Backward panics if no Forward has run.
func (l *Huber) Backward() *mat.Dense { return l.backward("Huber") }

// Losses returns the element losses of the last Forward, before reduction
// (PyTorch's output for reduction="none"), in a matrix of the shape of
// pred. The matrix belongs to l and is overwritten by the next Forward.
// Before the first Forward it is an empty 0×0 matrix.
func (l *Huber) Losses() *mat.Dense { return &l.losses }
