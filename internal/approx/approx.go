// Package approx compares float32 results with float64 references, for
// tests.
//
// A float32 sum of k products differs from the exact sum by at most
// γ_k·Σ|aᵢ·bᵢ|, with γ_k ≈ k·u and u = 2⁻²⁴ (Higham, Accuracy and Stability
// of Numerical Algorithms, §3.1), whatever the order of the additions and
// with or without FMA; scaling by alpha and adding beta·c adds a few u more.
// [Bound] allows twice that:
//
//	|got − want| ≤ 2·(k+3)·u·(|alpha|·Σ|aᵢ·bᵢ| + |beta·c|)
package approx

import "math"

// U is the unit roundoff of float32, 2⁻²⁴.
const U = 0x1p-24

// Bound returns the tolerance of a float32 result of k accumulated products
// whose magnitudes (|alpha|·Σ|aᵢ·bᵢ| + |beta·c|) add up to magnitude.
func Bound(k int, magnitude float64) float64 {
	return 2 * float64(k+3) * U * magnitude
}

// Close reports whether got is within tol of want. NaN must match NaN and
// ±Inf the same Inf; a finite want needs a finite got.
func Close(got float32, want, tol float64) bool {
	g := float64(got)
	switch {
	case math.IsNaN(want):
		return math.IsNaN(g)
	case math.IsInf(want, 0):
		return g == want
	}
	return math.Abs(g-want) <= tol
}
