package loss

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// NLL is PyTorch's nn.NLLLoss, the negative log-likelihood of the target
// class: for each row x of its input (one sample, one column per class,
// usually log-probabilities from LogSoftmax) and its target class y,
//
//	ℓ = −w_y·x_y,
//
// and Reduction combines the rows: Mean divides their sum by Σ w_y over
// the rows that are not ignored, Sum adds them, None keeps them for
// Losses. NLL after LogSoftmax is CrossEntropy. An NLL keeps the buffers
// it returns and is not safe for concurrent use.
type NLL struct {
	// Weight holds one weight per class (torch: weight). nil weighs every
	// class 1.
	Weight []float32

	// IgnoreIndex is a target value whose rows add neither loss nor
	// gradient (torch: ignore_index, default -100). It may be a valid
	// class.
	IgnoreIndex int

	// Reduction is Mean (the default), Sum or None (torch: reduction).
	Reduction Reduction

	losses []float32 // ℓ_i of the last Forward
	grad   mat.Dense // dLoss/dinput of the last Forward
	done   bool      // whether a Forward has run
}

// NewNLL returns an NLL with PyTorch's defaults: no class weights,
// IgnoreIndex -100 and Reduction Mean.
func NewNLL() *NLL {
	return &NLL{IgnoreIndex: -100}
}

// Forward returns the loss of logProbs (N×C, one sample per row; it may be
// a view) for the target classes (N of them, each in [0, C) or
// IgnoreIndex), reduced by Reduction; with None it returns the sum of the
// per-sample losses, which Losses returns one by one. Sums are
// accumulated in float64.
//
// Forward computes the gradient too, so that Backward costs nothing and
// logProbs and target may change once Forward returns. The gradient of a
// row is −w_y (divided, for Mean, by Σ w_y) in column y and 0 elsewhere.
// When every row is ignored, Mean is NaN (0/0) and the gradient is zero;
// when the weights of the rows not ignored sum to 0, Mean is NaN and so is
// the gradient of those rows, as in PyTorch.
//
// Forward panics, before computing anything, if logProbs is malformed or
// has no columns, if len(target) is not N, if a target is outside [0, C)
// and not IgnoreIndex, if Weight is not nil and has not C elements or if
// Reduction is unknown.
func (l *NLL) Forward(logProbs *mat.Dense, target []int) float32 {
	checkMatrix("NLL", "logProbs", logProbs)
	n, c := logProbs.Rows, logProbs.Cols
	if c == 0 {
		panic(fmt.Sprintf("loss.NLL: logProbs are %d×0: no classes", n))
	}
	l.Reduction.check("NLL")
	if l.Weight != nil && len(l.Weight) != c {
		panic(fmt.Sprintf("loss.NLL: %d class weights for %d classes", len(l.Weight), c))
	}
	if len(target) != n {
		panic(fmt.Sprintf("loss.NLL: %d targets for %d rows of logProbs", len(target), n))
	}
	var norm float64 // Σ w_y over the rows not ignored: the divisor of Mean
	for i, y := range target {
		if y == l.IgnoreIndex {
			continue
		}
		if uint(y) >= uint(c) {
			panic(fmt.Sprintf("loss.NLL: target %d of sample %d is out of range for %d classes", y, i, c))
		}
		norm += columnWeight(l.Weight, y)
	}
	if cap(l.losses) < n {
		l.losses = make([]float32, n)
	}
	l.losses = l.losses[:n]
	l.grad.Resize(n, c)
	l.done = true

	scale := 1.0 // the derivative of the reduced loss by each ℓ_i
	if l.Reduction == Mean {
		scale = 1 / norm // +Inf if norm is 0
	}
	var sum float64
	for i, y := range target {
		g := row(&l.grad, i)
		clear(g)
		if y == l.IgnoreIndex {
			l.losses[i] = 0
			continue
		}
		wy := columnWeight(l.Weight, y)
		a := -wy * float64(row(logProbs, i)[y]) // Forward: ℓ = −w_y·x_y
		l.losses[i] = float32(a)
		sum += a
		g[y] = float32(-(scale * wy)) // Backward: ∂ℓ/∂x_y = −w_y, times scale (a weight 0 times +Inf is NaN, as in torch)
	}
	if l.Reduction == Mean {
		return float32(sum / norm)
	}
	return float32(sum)
}

// Backward returns dLoss/dlogProbs of the last Forward: an N×C matrix for
// the loss that Forward returned (with None, for the sum of the
// per-sample losses). The matrix belongs to l and is overwritten by the
// next Forward: copy it to keep it. Backward panics if no Forward has run.
func (l *NLL) Backward() *mat.Dense {
	if !l.done {
		panic("loss.NLL: Backward before Forward")
	}
	return &l.grad
}

// Losses returns the N per-sample losses ℓ_i of the last Forward, before
// reduction (PyTorch's output for reduction="none"): 0 for ignored rows.
// The slice belongs to l and is overwritten by the next Forward. It is nil
// before the first Forward.
func (l *NLL) Losses() []float32 { return l.losses }
