package loss

import (
	"fmt"
	"math"

	"github.com/pente-go/pente/mat"
)

// CrossEntropy is PyTorch's nn.CrossEntropyLoss: for each row z of logits
// (one sample, one column per class) and its target class y, the loss is
//
//	ℓ = −w_y·log p_y,   p = softmax(z),   log p_c = z_c − log Σ_k exp(z_k)
//
// and Reduction combines the rows: Mean divides their sum by Σ w_y over the
// rows that are not ignored, Sum adds them, None keeps them for Losses.
// With label smoothing ε the target is (1−ε)·onehot(y) + ε/C, which gives
//
//	ℓ = (1−ε)·w_y·(−log p_y) + (ε/C)·Σ_c w_c·(−log p_c)
//
// and Mean still divides by Σ w_y. ForwardProbs takes class probabilities
// instead of classes.
//
// Log-softmax is computed in float64 with the row maximum subtracted, so
// logits of ±1e4 give exact losses. A CrossEntropy keeps the buffers it
// returns and is not safe for concurrent use.
type CrossEntropy struct {
	// Weight holds one weight per class (torch: weight). nil weighs every
	// class 1.
	Weight []float32

	// IgnoreIndex is a target value whose rows add neither loss nor
	// gradient (torch: ignore_index, default -100). It may be a valid
	// class. It does not apply to ForwardProbs.
	IgnoreIndex int

	// Reduction is Mean (the default), Sum or None (torch: reduction).
	Reduction Reduction

	// LabelSmoothing is ε in [0, 1] (torch: label_smoothing).
	LabelSmoothing float32

	losses []float32 // ℓ_i of the last Forward
	grad   mat.Dense // dLoss/dlogits of the last Forward
	done   bool      // whether a Forward has run
}

// NewCrossEntropy returns a CrossEntropy with PyTorch's defaults: no class
// weights, IgnoreIndex -100, Reduction Mean and no label smoothing.
func NewCrossEntropy() *CrossEntropy {
	return &CrossEntropy{IgnoreIndex: -100}
}

// Forward returns the loss of logits (N×C, one sample per row; it may be a
// view) for the target classes (N of them, each in [0, C) or IgnoreIndex),
// reduced by Reduction; with None it returns the sum of the per-sample
// losses, which Losses returns one by one.
//
// Forward computes the gradient too, so that Backward costs nothing and
// logits and target may change once Forward returns. When every row is
// ignored, Mean is NaN (0/0) and the gradient is zero, as in PyTorch.
//
// Forward panics, before computing anything, if logits is malformed or has
// no columns, if len(target) is not N, if a target is outside [0, C) and
// not IgnoreIndex, if Weight is not nil and has not C elements, if
// LabelSmoothing is outside [0, 1] or if Reduction is unknown.
func (ce *CrossEntropy) Forward(logits *mat.Dense, target []int) float32 {
	n, c := ce.check(logits)
	if len(target) != n {
		panic(fmt.Sprintf("loss.CrossEntropy: %d targets for %d rows of logits", len(target), n))
	}
	var norm float64 // Σ w_y over the rows not ignored: the divisor of Mean
	for i, y := range target {
		if y == ce.IgnoreIndex {
			continue
		}
		if uint(y) >= uint(c) {
			panic(fmt.Sprintf("loss.CrossEntropy: target %d of sample %d is out of range for %d classes", y, i, c))
		}
		norm += ce.weight(y)
	}
	ce.prepare(n, c)

	scale := 1.0 // the derivative of the reduced loss by each ℓ_i
	if ce.Reduction == Mean {
		scale = 1 / norm // +Inf if norm is 0: then every row is ignored or weighs 0
	}
	eps := float64(ce.LabelSmoothing)
	uniform := eps / float64(c)
	wsum := ce.weightSum(c)
	var nll, smooth float64 // Σ_i w_y·(−log p_y) and Σ_i Σ_c w_c·(−log p_c)
	for i, y := range target {
		g := row(&ce.grad, i)
		if y == ce.IgnoreIndex {
			ce.losses[i] = 0
			clear(g)
			continue
		}
		z := row(logits, i)
		lse, sum := expShift(z, g) // g_j = exp(z_j − max z); −log p_c = lse − z_c
		wy := ce.weight(y)

		// Forward: ℓ = (1−ε)·w_y·(lse − z_y) + (ε/C)·Σ_c w_c·(lse − z_c).
		a := wy * (lse - float64(z[y]))
		var b float64
		if eps != 0 {
			for j, zj := range z {
				b += ce.weight(j) * (lse - float64(zj))
			}
		}
		nll += a
		smooth += b
		ce.losses[i] = float32((1-eps)*a + uniform*b)

		// Backward: ∂ℓ/∂z_j = (1−ε)·w_y·(p_j − [j=y]) + (ε/C)·(p_j·Σ_c w_c − w_j),
		// times scale. Multiplying scale into w_y first makes a row whose
		// weight is 0 NaN when scale is +Inf, as in PyTorch.
		cy := scale * (1 - eps) * wy
		cw := scale * uniform
		cp := (cy + cw*wsum) / sum // the coefficient of g_j = p_j·sum
		for j, e := range g {
			d := cp*float64(e) - cw*ce.weight(j)
			if j == y {
				d -= cy
			}
			g[j] = float32(d)
		}
	}

	switch ce.Reduction {
	case Mean:
		// PyTorch divides both parts by norm, so 0/0 in either is NaN.
		return float32((1-eps)*(nll/norm) + uniform*(smooth/norm))
	default:
		return float32((1-eps)*nll + uniform*smooth)
	}
}

// ForwardProbs is Forward for class-probability targets, PyTorch's
// CrossEntropyLoss with a float target of the shape of logits: for each row
// z of logits and t of target (either may be a view),
//
//	ℓ = −Σ_c w_c·t'_c·log p_c,   t' = (1−ε)·t + ε/C,   p = softmax(z).
//
// Mean divides the sum of the rows by N, the number of rows, whatever the
// weights, and IgnoreIndex does not apply. The rows of target need not sum
// to 1.
//
// ForwardProbs panics as Forward does, and if target is malformed or not
// N×C.
func (ce *CrossEntropy) ForwardProbs(logits, target *mat.Dense) float32 {
	n, c := ce.check(logits)
	checkMatrix("CrossEntropy", "target", target)
	if target.Rows != n || target.Cols != c {
		panic(fmt.Sprintf("loss.CrossEntropy: target is %d×%d but logits are %d×%d", target.Rows, target.Cols, n, c))
	}
	ce.prepare(n, c)

	scale := 1.0
	if ce.Reduction == Mean {
		scale = 1 / float64(n)
	}
	eps := float64(ce.LabelSmoothing)
	uniform := eps / float64(c)
	var total float64
	for i := range n {
		z, t, g := row(logits, i), row(target, i), row(&ce.grad, i)
		lse, sum := expShift(z, g)

		// Forward: ℓ = Σ_c w_c·t'_c·(lse − z_c).
		var l, wt float64 // ℓ and Σ_c w_c·t'_c
		for j, zj := range z {
			wtj := ce.weight(j) * ((1-eps)*float64(t[j]) + uniform)
			l += wtj * (lse - float64(zj))
			wt += wtj
		}
		ce.losses[i] = float32(l)
		total += l

		// Backward: ∂ℓ/∂z_j = p_j·Σ_c w_c·t'_c − w_j·t'_j, times scale.
		cp := scale * wt / sum
		for j, e := range g {
			wtj := ce.weight(j) * ((1-eps)*float64(t[j]) + uniform)
			g[j] = float32(cp*float64(e) - scale*wtj)
		}
	}
	return float32(total * scale)
}

// Backward returns dLoss/dlogits of the last Forward or ForwardProbs: an
// N×C matrix for the loss that call returned (with None, for the sum of
// the per-sample losses). The matrix belongs to ce and is overwritten by
// the next Forward: copy it to keep it. Backward panics if no Forward has
// run.
func (ce *CrossEntropy) Backward() *mat.Dense {
	if !ce.done {
		panic("loss.CrossEntropy: Backward before Forward")
	}
	return &ce.grad
}

// Losses returns the N per-sample losses ℓ_i of the last Forward or
// ForwardProbs, before reduction (PyTorch's output for reduction="none"):
// 0 for ignored rows. The slice belongs to ce and is overwritten by the
// next Forward. It is nil before the first Forward.
func (ce *CrossEntropy) Losses() []float32 {
	return ce.losses
}

// check panics unless the options are valid and logits is a well-formed
// matrix with at least one column, and returns its dimensions.
func (ce *CrossEntropy) check(logits *mat.Dense) (n, c int) {
	checkMatrix("CrossEntropy", "logits", logits)
	n, c = logits.Rows, logits.Cols
	if c == 0 {
		panic(fmt.Sprintf("loss.CrossEntropy: logits are %d×0: no classes", n))
	}
	ce.Reduction.check("CrossEntropy")
	if !(ce.LabelSmoothing >= 0 && ce.LabelSmoothing <= 1) {
		panic(fmt.Sprintf("loss.CrossEntropy: LabelSmoothing %v is outside [0, 1]", ce.LabelSmoothing))
	}
	if ce.Weight != nil && len(ce.Weight) != c {
		panic(fmt.Sprintf("loss.CrossEntropy: %d class weights for %d classes", len(ce.Weight), c))
	}
	return n, c
}

// prepare sizes the buffers for n samples of c classes.
func (ce *CrossEntropy) prepare(n, c int) {
	if cap(ce.losses) < n {
		ce.losses = make([]float32, n)
	}
	ce.losses = ce.losses[:n]
	ce.grad.Resize(n, c)
	ce.done = true
}

// weight returns the weight of class j.
func (ce *CrossEntropy) weight(j int) float64 {
	if ce.Weight == nil {
		return 1
	}
	return float64(ce.Weight[j])
}

// weightSum returns Σ_c w_c over c classes.
func (ce *CrossEntropy) weightSum(c int) float64 {
	if ce.Weight == nil {
		return float64(c)
	}
	var s float64
	for _, w := range ce.Weight {
		s += float64(w)
	}
	return s
}

// expShift sets e_j = exp(z_j − max z) and returns lse = log Σ_j exp(z_j)
// and sum = Σ_j e_j, so that softmax(z)_j = e_j/sum and
// log softmax(z)_j = z_j − lse. Subtracting the maximum keeps every
// exponent ≤ 0: nothing overflows, and sum ≥ 1.
func expShift(z, e []float32) (lse, sum float64) {
	m := z[0]
	for _, v := range z[1:] {
		m = max(m, v)
	}
	for j, v := range z {
		x := 1.0 // exp(0), exactly, for the maximum: one call of math.Exp fewer
		if d := float64(v) - float64(m); d != 0 {
			x = math.Exp(d)
		}
		e[j] = float32(x)
		sum += x
	}
	return float64(m) + math.Log(sum), sum
}
