package loss

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// SmoothL1 is PyTorch's nn.SmoothL1Loss: with z = |x − y| for each
// element,
//
//	ℓ = ½·z²/β   if z < β,
//	ℓ = z − ½·β  otherwise,
//
// quadratic near zero and linear beyond β; β = 0 is L1. Reduction combines
// the elements as for L1. The gradient is (x − y)/β inside and
// sign(x − y) outside. A SmoothL1 keeps the buffers it returns and is not
// safe for concurrent use.
type SmoothL1 struct {
	// Beta is β ≥ 0, where the loss turns from quadratic to linear (torch:
	// beta, default 1).
	Beta float32

	// Reduction is Mean (the default), Sum or None (torch: reduction).
	Reduction Reduction

	elementwise
}

// NewSmoothL1 returns a SmoothL1 with the given β and PyTorch's default
// reduction, Mean. nn.SmoothL1Loss() is NewSmoothL1(1).
func NewSmoothL1(beta float32) *SmoothL1 {
	return &SmoothL1{Beta: beta}
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
// malformed, if their shapes differ, if Beta is negative or NaN (PyTorch:
// "smooth_l1_loss does not support negative values for beta") or if
// Reduction is unknown.
func (l *SmoothL1) Forward(pred, target *mat.Dense) float32 {
	n, c := check("SmoothL1", "pred", "target", pred, target, l.Reduction)
	beta := l.Beta
	if !(beta >= 0) {
		panic(fmt.Sprintf("loss.SmoothL1: Beta %v is negative or NaN", beta))
	}
	norm := float32(l.prepare(n, c, l.Reduction))
	var sum float64
	for i := range n {
		x, y, loss, g := row(pred, i), row(target, i), row(&l.losses, i), row(&l.grad, i)
		for j := range x {
			d := x[j] - y[j]
			z := abs(d)
			if z < beta {
				loss[j] = 0.5 * z * z / beta // Forward: ½·z²/β
			} else {
				loss[j] = z - 0.5*beta // Forward: z − ½·β
			}
			switch { // Backward, times norm, in torch's order (so −norm at d = 0 when β = 0)
			case d <= -beta:
				g[j] = -norm
			case d >= beta:
				g[j] = norm
			default:
				g[j] = norm * (d / beta)
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
func (l *SmoothL1) Backward() *mat.Dense { return l.backward("SmoothL1") }

// Losses returns the element losses of the last Forward, before reduction
// (PyTorch's output for reduction="none"), in a matrix of the shape of
// pred. The matrix belongs to l and is overwritten by the next Forward.
// Before the first Forward it is an empty 0×0 matrix.
func (l *SmoothL1) Losses() *mat.Dense { return &l.losses }
