package loss_test

import (
	"math"
	"testing"

	"github.com/pente-go/pente/mat"
)

// strided returns a copy of m with Stride m.Cols+3, its padding filled
// with NaN so that a read outside the view poisons the result.
func strided(m *mat.Dense) *mat.Dense {
	big := mat.NewDense(m.Rows, m.Cols+3, nil)
	for i := range big.Data {
		big.Data[i] = float32(math.NaN())
	}
	v := big.Slice(0, m.Rows, 1, 1+m.Cols)
	for i := 0; i < m.Rows; i++ {
		copy(v.Row(i), m.Row(i))
	}
	return v
}

// checkGradient compares grad, the gradient an analytic Backward returned
// at x, with central differences of f, perturbing each element of x by
// ±h in turn (and restoring it).
//
// Tolerance: 1e-3 of the largest |grad|. f returns a float32 loss of a few
// units, rounded by at most ulp(16) ≈ 2e-6 at each end, which the
// difference divides by 2h = 2e-2: an error ≤ 2e-4 in absolute terms, and
// the losses here are built so that the largest |grad| is ≳ 0.2 (≤ 1e-3
// relative). Truncation is h²/6 ≈ 2e-5 times the third derivative, which
// is ≲ 1 for softmax and 0 for a quadratic. Measured: ≤ 7.3e-5 relative.
func checkGradient(t *testing.T, what string, x, grad *mat.Dense, f func() float64) {
	t.Helper()
	const h = 1e-2
	var big float64
	for i := 0; i < grad.Rows; i++ {
		for _, g := range grad.Row(i) {
			big = max(big, math.Abs(float64(g)))
		}
	}
	if big == 0 {
		t.Fatalf("%s: the gradient is zero: nothing is checked", what)
	}
	bad := 0
	for i := 0; i < x.Rows; i++ {
		for j := 0; j < x.Cols; j++ {
			x0 := x.At(i, j)
			hi, lo := x0+h, x0-h
			x.Set(i, j, hi)
			fhi := f()
			x.Set(i, j, lo)
			flo := f()
			x.Set(i, j, x0)
			fd := (fhi - flo) / (float64(hi) - float64(lo))
			if g := float64(grad.At(i, j)); math.Abs(fd-g) > 1e-3*big {
				if bad++; bad <= 5 {
					t.Errorf("%s: d/dx[%d,%d] = %v, central difference %v", what, i, j, g, fd)
				}
			}
		}
	}
}

// clone returns a copy of m, so that a later Forward cannot change it.
func clone(m *mat.Dense) *mat.Dense {
	c := mat.NewDense(m.Rows, m.Cols, nil)
	for i := 0; i < m.Rows; i++ {
		copy(c.Row(i), m.Row(i))
	}
	return c
}
