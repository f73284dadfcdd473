package sgd

import (
	"fmt"
	"math"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// ClipGradNorm scales the gradients of params so that their norm, taken
// over all of them together, is at most maxNorm, and returns that total
// norm before scaling: torch.nn.utils.clip_grad_norm_(parameters,
// max_norm, norm_type) as torch 1.13 computes it,
//
//	‖g_i‖ = the norm of parameter i's Grad, in float32 like torch's,
//	total = ‖(‖g_1‖, …, ‖g_n‖)‖,
//	coef  = min(maxNorm·(1/(total + 1e-6)), 1)   in float32,
//	g_i   = coef·g_i                             (mat.Scal)
//
// with the p-norm ‖x‖ = (Σ|x_j|^p)^(1/p) of p = normType: 2 (the
// Euclidean norm, through mat.Dot), 1, +Inf (the largest |x_j|), or any
// other p > 0. The gradients are multiplied by coef even when it is 1
// (which changes nothing), so a total norm that is NaN or infinite makes
// coef NaN or 0 and spreads NaN through them as in torch
// (error_if_nonfinite=False).
//
// Parameters whose Grad is nil are skipped, as torch skips p.grad None;
// with no gradient at all ClipGradNorm returns 0. It allocates nothing.
// It panics if normType is not positive or is NaN, or if a parameter is
// nil or its Grad is malformed.
func ClipGradNorm(params []*layer.Param, maxNorm, normType float32) float32 {
	p := float64(normType)
	if !(p > 0) {
		panic(fmt.Sprintf("sgd: ClipGradNorm: norm type %v is not positive", normType))
	}
	var total float32
	found := false
	switch {
	case math.IsInf(p, 1):
		for i, q := range params {
			if g := grad("ClipGradNorm", i, q); g != nil {
				total = max(total, maxAbs(g))
				found = true
			}
		}
	default:
		var sum float64 // Σ ‖g_i‖^p over the float32 norms
		for i, q := range params {
			g := grad("ClipGradNorm", i, q)
			if g == nil {
				continue
			}
			found = true
			n := float64(pNorm(g, p))
			switch p {
			case 1:
				sum += n
			case 2:
				sum += n * n
			default:
				sum += math.Pow(n, p)
			}
		}
		total = float32(root(sum, p))
	}
	if !found {
		return 0
	}
	coef := maxNorm * (1 / (total + 1e-6)) // torch: max_norm / t is t.reciprocal() * max_norm
	if coef > 1 {
		coef = 1
	}
	for _, q := range params {
		if q.Grad != nil {
			for i := range q.Grad.Rows {
				mat.Scal(coef, q.Grad.Row(i))
			}
		}
	}
	return total
}

// ClipGradValue clamps every gradient element of params to [−clip, clip]:
// torch.nn.utils.clip_grad_value_(parameters, clip_value), which is
// g = min(max(g, −clip), clip) (so a negative clip sets every element to
// clip, as torch.clamp does when min > max, and NaN stays NaN).
// Parameters whose Grad is nil are skipped. It panics if a parameter is
// nil or its Grad is malformed, or if clip is NaN.
func ClipGradValue(params []*layer.Param, clip float32) {
	if clip != clip {
		panic("sgd: ClipGradValue: clip value is NaN")
	}
	for i, q := range params {
		g := grad("ClipGradValue", i, q)
		if g == nil {
			continue
		}
		for r := range g.Rows {
			x := g.Row(r)
			for j, v := range x {
				x[j] = min(max(v, -clip), clip)
			}
		}
	}
}

// grad returns parameter i's Grad, nil if it has none, after checking it.
func grad(what string, i int, q *layer.Param) *mat.Dense {
	if q == nil {
		panic(fmt.Sprintf("sgd: %s: parameter %d is nil", what, i))
	}
	if q.Grad == nil {
		return nil
	}
	if err := q.Grad.Check(); err != nil {
		panic(fmt.Sprintf("sgd: %s: %s: Grad %v", what, label(i, q), err))
	}
	return q.Grad
}

// maxAbs returns the largest |g_j|, NaN if any element is NaN (as torch's
// abs().max()).
func maxAbs(g *mat.Dense) float32 {
	var m float32
	for r := range g.Rows {
		for _, v := range g.Row(r) {
			m = max(m, float32(math.Abs(float64(v))))
		}
	}
	return m
}

// pNorm returns the p-norm of g, rounded to float32: for p = 2 the square
// root of mat.Dot(x, x) on pieces of x (x all of g if it is contiguous,
// else each row), summed in float64; for other p the sum of |g_j|^p in
// float64.
func pNorm(g *mat.Dense, p float64) float32 {
	if g.Stride == g.Cols { // one run of the kernels
		return float32(root(pSum(g.Data[:g.Rows*g.Cols], p), p))
	}
	var sum float64
	for r := range g.Rows {
		sum += pSum(g.Row(r), p)
	}
	return float32(root(sum, p))
}

// normBlock is the length of the pieces pSum gives mat.Dot for p = 2,
// adding their sums in float64: a float32 sum of 16 899 squares in one
// sequence (the generic kernel's order) is off by 5e-5 relative
// (TestClipPyTorch, "big p=2", -tags purego); in pieces of 512 it is
// torch's float32 result there, bit for bit, with every kernel.
const normBlock = 512

// pSum returns Σ|x_j|^p: for p = 2, the sum of mat.Dot(x, x) over pieces
// of normBlock elements.
func pSum(x []float32, p float64) float64 {
	var sum float64
	switch p {
	case 2:
		for lo := 0; lo < len(x); lo += normBlock {
			b := x[lo:min(lo+normBlock, len(x))]
			sum += float64(mat.Dot(b, b))
		}
	case 1:
		for _, v := range x {
			sum += math.Abs(float64(v))
		}
	default:
		for _, v := range x {
			sum += math.Pow(math.Abs(float64(v)), p)
		}
	}
	return sum
}

// root returns s^(1/p).
func root(s, p float64) float64 {
	switch p {
	case 1:
		return s
	case 2:
		return math.Sqrt(s)
	}
	return math.Pow(s, 1/p)
}
