package loss

import (
	"math"

	"github.com/pente-go/pente/mat"
)

// BCEWithLogits is PyTorch's nn.BCEWithLogitsLoss: BCE of σ(x) for logits
// x, computed stably. With target t, weight w_j and positive weight a_j
// for column j,
//
//	ℓ = w_j·((1 − t)·x + (1 + (a_j − 1)·t)·softplus(−x)),
//	softplus(−x) = log(1 + e^−x) = m + log(e^−m + e^(−x−m)),  m = max(−x, 0),
//
// which is w_j·(−a_j·t·log σ(x) − (1 − t)·log(1 − σ(x))) without forming
// σ(x): logits of ±1e4 give exact losses. Reduction combines the elements
// as for BCE. A BCEWithLogits keeps the buffers it returns and is not safe
// for concurrent use.
type BCEWithLogits struct {
	// Weight holds one weight per column (torch: weight, broadcast over
	// the rows). nil weighs every element 1.
	Weight []float32

	// PosWeight holds one weight of the positive term per column (torch:
	// pos_weight, one per class). nil weighs it 1.
	PosWeight []float32

	// Reduction is Mean (the default), Sum or None (torch: reduction).
	Reduction Reduction

	elementwise
}

// NewBCEWithLogits returns a BCEWithLogits with PyTorch's defaults: no
// weights, no positive weights and Reduction Mean.
func NewBCEWithLogits() *BCEWithLogits {
	return &BCEWithLogits{}
}

// Forward returns the loss of logits against target, two matrices of the
// same shape (either may be a view), reduced by Reduction; with None it
// returns the sum of the element losses, which Losses returns one by one.
// Everything is computed in float64 and rounded at the end.
//
// Forward computes the gradient too, so that Backward costs nothing and
// logits and target may change once Forward returns. The gradient is
// w_j·((1 + (a_j − 1)·t)·σ(x) − a_j·t). An empty Mean is NaN (0/0), as in
// PyTorch.
//
// Forward panics, before computing anything, if logits or target is
// malformed, if their shapes differ, if Weight or PosWeight is not nil
// and has not one value per column, or if Reduction is unknown.
func (l *BCEWithLogits) Forward(logits, target *mat.Dense) float32 {
	n, c := check("BCEWithLogits", "logits", "target", logits, target, l.Reduction)
	checkColumns("BCEWithLogits", "weights", l.Weight, c)
	checkColumns("BCEWithLogits", "pos weights", l.PosWeight, c)
	scale := l.prepare(n, c, l.Reduction)
	var sum float64
	for i := range n {
		z, t, loss, g := row(logits, i), row(target, i), row(&l.losses, i), row(&l.grad, i)
		for j := range z {
			w, a := columnWeight(l.Weight, j), columnWeight(l.PosWeight, j)
			x, y := float64(z[j]), float64(t[j])
			m := max(-x, 0)
			sp := m + math.Log(math.Exp(-m)+math.Exp(-x-m)) // softplus(−x) = −log σ(x)
			lw := 1 + (a-1)*y
			// Forward: ℓ = w·((1 − t)·x + (1 + (a − 1)·t)·softplus(−x)).
			e := w * ((1-y)*x + lw*sp)
			loss[j] = float32(e)
			sum += e
			// Backward: ∂ℓ/∂x = w·((1 + (a − 1)·t)·σ(x) − a·t), times scale.
			g[j] = float32(w * scale * (lw*sigmoid(x) - a*y))
		}
	}
	return reduce(l.Reduction, sum, n, c)
}

// Backward returns dLoss/dlogits of the last Forward, a matrix of the
// shape of logits, for the loss that Forward returned (with None, for the
// sum of the element losses). The matrix belongs to l and is overwritten
// by the next Forward: copy it to keep it. Backward panics if no Forward
// has run.
func (l *BCEWithLogits) Backward() *mat.Dense { return l.backward("BCEWithLogits") }

// Losses returns the element losses of the last Forward, before reduction
// (PyTorch's output for reduction="none"), in a matrix of the shape of
// logits. The matrix belongs to l and is overwritten by the next Forward.
// Before the first Forward it is an empty 0×0 matrix.
func (l *BCEWithLogits) Losses() *mat.Dense { return &l.losses }

// sigmoid returns σ(x) = 1/(1 + e^−x), as e^x/(1 + e^x) for negative x so
// that nothing overflows.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
