package approx

import "math"

// U64 is the unit roundoff of float64, 2⁻⁵³.
const U64 = 0x1p-53

// Bound64 is Bound for a float64 result: the tolerance of a float64 sum of
// k products whose magnitudes (|alpha|·Σ|aᵢ·bᵢ| + |beta·c|) add up to
// magnitude, compared with the exact value (or one far more accurate, such
// as a double-double sum):
//
//	|got − want| ≤ 2·(k+3)·u·magnitude, u = 2⁻⁵³
func Bound64(k int, magnitude float64) float64 {
	return 2 * float64(k+3) * U64 * magnitude
}

// Close64 is Close for a float64 result: got within tol of want, NaN
// matching NaN and ±Inf the same Inf.
func Close64(got, want, tol float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0):
		return got == want
	}
	return math.Abs(got-want) <= tol
}
