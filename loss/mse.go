package loss

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// MSE is PyTorch's nn.MSELoss, the squared error of each element,
//
//	ℓ_ij = (x_ij − y_ij)²   (no factor ½),
//
// combined by Reduction: Mean divides the sum by the number of elements,
// Sum adds them, None keeps them for Losses. An MSE keeps the buffers it
// returns and is not safe for concurrent use.
type MSE struct {
	// Reduction is Mean (the default), Sum or None (torch: reduction).
	Reduction Reduction

	losses mat.Dense // ℓ of the last Forward
	grad   mat.Dense // dLoss/dpred of the last Forward
	done   bool      // whether a Forward has run
}

// NewMSE returns an MSE with PyTorch's default reduction, Mean.
func NewMSE() *MSE {
	return &MSE{}
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
func (l *MSE) Forward(pred, target *mat.Dense) float32 {
	checkMatrix("MSE", "pred", pred)
	checkMatrix("MSE", "target", target)
	if pred.Rows != target.Rows || pred.Cols != target.Cols {
		panic(fmt.Sprintf("loss.MSE: pred is %d×%d but target is %d×%d", pred.Rows, pred.Cols, target.Rows, target.Cols))
	}
	l.Reduction.check("MSE")
	n, c := pred.Rows, pred.Cols
	l.losses.Resize(n, c)
	l.grad.Resize(n, c)
	l.done = true

	scale := float32(1) // the derivative of the reduced loss by each ℓ_ij
	if l.Reduction == Mean {
		scale = float32(1 / float64(n*c))
	}
	var sum float64
	for i := range n {
		x, y, loss, g := row(pred, i), row(target, i), row(&l.losses, i), row(&l.grad, i)
		for j := range x {
			d := x[j] - y[j]
			loss[j] = d * d      // Forward: ℓ = (x − y)²
			g[j] = 2 * d * scale // Backward: ∂ℓ/∂x = 2·(x − y), times scale
			sum += float64(loss[j])
		}
	}
	if l.Reduction == Mean {
		return float32(sum / float64(n*c))
	}
	return float32(sum)
}

// Backward returns dLoss/dpred of the last Forward, a matrix of the shape
// of pred, for the loss that Forward returned (with None, for the sum of
// the element losses). The matrix belongs to l and is overwritten by the
// next Forward: copy it to keep it. Backward panics if no Forward has run.
func (l *MSE) Backward() *mat.Dense {
	if !l.done {
		panic("loss.MSE: Backward before Forward")
	}
	return &l.grad
}

// Losses returns the element losses (x − y)² of the last Forward, before
// reduction (PyTorch's output for reduction="none"), in a matrix of the
// shape of pred. The matrix belongs to l and is overwritten by the next
// Forward. Before the first Forward it is an empty 0×0 matrix.
func (l *MSE) Losses() *mat.Dense {
	return &l.losses
}
