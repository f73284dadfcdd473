package sgd

import (
	"math/big"
	"testing"
)

// TestPowInt checks powInt against x**n computed with 300 bits
// (math/big, by squaring) and rounded to float64: exactly, for torch's
// betas and others, up to n = 10⁵. (Go's math.Pow is several ulps off for
// such n; C's pow, which Python uses, is correctly rounded but for rare
// hard cases.)
func TestPowInt(t *testing.T) {
	exact := func(x float64, n int64) float64 {
		r := new(big.Float).SetPrec(300).SetFloat64(1)
		b := new(big.Float).SetPrec(300).SetFloat64(x)
		for ; n > 0; n >>= 1 {
			if n&1 != 0 {
				r.Mul(r, b)
			}
			b.Mul(b, b)
		}
		f, _ := r.Float64()
		return f
	}
	// (β and γ values of torch's defaults and of the fixtures.)
	for _, x := range []float64{0.9, 0.999, 0.95, 0.5, 0.85, 0.99, 0.9999, 0.3, 0, 1e-3, 0.1, 0.7, 0.9999999} {
		for n := int64(1); n < 100000; n = n*3 + 1 {
			if got, want := powInt(x, n), exact(x, n); got != want {
				t.Errorf("powInt(%v, %d) = %v, want %v", x, n, got, want)
			}
		}
	}
	// Powers above 1, and of a negative base, for the few steps of a
	// MultiStepLR.
	for _, x := range []float64{1 + 0x1p-26, 3, -2} {
		for n := int64(1); n <= 9; n++ {
			if got, want := powInt(x, n), exact(x, n); got != want {
				t.Errorf("powInt(%v, %d) = %v, want %v", x, n, got, want)
			}
		}
	}
}
