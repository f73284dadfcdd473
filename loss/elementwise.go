package loss

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// elementwise holds what the losses of one value per element of their
// input share (MSE aside, which predates it): the element losses and the
// gradient of the last Forward.
type elementwise struct {
	losses mat.Dense // ℓ of the last Forward
	grad   mat.Dense // dLoss/dinput of the last Forward
	done   bool      // whether a Forward has run
}

// check panics unless x and y (named a and b in messages) are well-formed
// matrices of the same shape and r is known, and returns their shape.
func check(loss, a, b string, x, y *mat.Dense, r Reduction) (n, c int) {
	checkMatrix(loss, a, x)
	checkMatrix(loss, b, y)
	if x.Rows != y.Rows || x.Cols != y.Cols {
		panic(fmt.Sprintf("loss.%s: %s is %d×%d but %s is %d×%d", loss, a, x.Rows, x.Cols, b, y.Rows, y.Cols))
	}
	r.check(loss)
	return x.Rows, x.Cols
}

// checkColumns panics unless w is nil or holds one value per column of c
// (what names the values in the message).
func checkColumns(loss, what string, w []float32, c int) {
	if w != nil && len(w) != c {
		panic(fmt.Sprintf("loss.%s: %d %s for %d columns", loss, len(w), what, c))
	}
}

// prepare sizes the buffers for n×c elements and returns the derivative of
// the reduced loss by each element loss: 1/(n·c) for Mean (+Inf when there
// are no elements, and so nothing to scale), 1 otherwise.
func (e *elementwise) prepare(n, c int, r Reduction) (scale float64) {
	e.losses.Resize(n, c)
	e.grad.Resize(n, c)
	e.done = true
	if r == Mean {
		return 1 / float64(n*c)
	}
	return 1
}

// backward returns the gradient, or panics if no Forward has run.
func (e *elementwise) backward(loss string) *mat.Dense {
	if !e.done {
		panic("loss." + loss + ": Backward before Forward")
	}
	return &e.grad
}

// reduce returns the loss Forward returns for the sum of the element
// losses of n·c elements: their mean for Mean (NaN when there are none,
// 0/0 as in PyTorch), else the sum.
func reduce(r Reduction, sum float64, n, c int) float32 {
	if r == Mean {
		return float32(sum / float64(n*c))
	}
	return float32(sum)
}

// columnWeight returns w[j], or 1 if w is nil.
func columnWeight(w []float32, j int) float64 {
	if w == nil {
		return 1
	}
	return float64(w[j])
}
