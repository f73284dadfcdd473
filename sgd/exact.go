package sgd

import "math"

// Exact arithmetic in float64 for the scalars torch computes in Python
// floats: Adam's bias corrections β**step and MultiStepLR's γ**k. Go's
// math.Pow is several ulps off for such powers, where C's pow, which
// Python calls, is correctly rounded.

// powInt returns x**n for n ≥ 1 rounded to the nearest float64, as
// Python's beta ** step (C's pow, which glibc rounds correctly but for
// rare cases within 0.02 ulp of a halfway point): by squaring in
// double-double arithmetic, whose error (about 2⁻¹⁰⁰ relative per
// multiplication) is far below half an ulp of the result.
func powInt(x float64, n int64) float64 {
	rh, rl := 1.0, 0.0 // the result, rh + rl
	bh, bl := x, 0.0   // x^(2^k)
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			rh, rl = mulDD(rh, rl, bh, bl)
		}
		bh, bl = mulDD(bh, bl, bh, bl)
	}
	return rh + rl
}

// mulDD returns the double-double product (ah + al)·(bh + bl). The
// conversions float64(x*y) keep the compiler from fusing products into
// the sums (arm64 would), which would break the error terms.
func mulDD(ah, al, bh, bl float64) (float64, float64) {
	p := float64(ah * bh)
	e := math.FMA(ah, bh, -p) // the exact error of p
	e += float64(ah*bl) + float64(al*bh)
	h := p + e
	return h, e - (h - p)
}
