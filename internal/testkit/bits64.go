package testkit

import "math"

// SameBits64 is SameBits for float64: a and b hold the same values bit
// for bit, NaN payloads and the signs of zeros included.
func SameBits64(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
