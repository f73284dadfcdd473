package sgd

import "math"

// cos returns cos x correctly rounded (but in cases closer to halfway
// between two float64 than about 2⁻⁹⁰ relative), which glibc's cos, behind
// Python's math.cos and so torch's CosineAnnealingLR, almost always is:
// math.Cos is often an ulp away from it (1455 of the 6105 arguments of
// TestCos), glibc's cos 8 times. It reduces x
// by π/2 in double-double arithmetic (π/2 to 161 bits) and sums the
// Taylor series of sin or cos of the remainder, |r| ≤ π/4, in
// double-double, then rounds once. For |x| beyond 2²⁰ or NaN, where the
// reduction would lose bits, it returns math.Cos(x): schedules stay far
// below.
func cos(x float64) float64 {
	if !(math.Abs(x) <= 1<<20) {
		return math.Cos(x)
	}
	const (
		pio2hi  = 1.5707963267948966      // π/2 rounded to float64
		pio2mid = 6.123233995736766e-17   // π/2 − pio2hi, rounded
		pio2lo  = -1.4973849048591698e-33 // π/2 − pio2hi − pio2mid, rounded
	)
	k := math.RoundToEven(x / pio2hi)
	// r = x − k·π/2, as a double-double: k·pio2hi is p + pe exactly, and
	// x − p is exact (p is within a factor 2 of x, or 0).
	p := float64(k * pio2hi) // rounded here: x − p must not be fused into an FMA
	pe := math.FMA(k, pio2hi, -p)
	r := dd{x - p, 0}
	r = r.add(dd{-pe, 0})
	r = r.add(twoProd(-k, pio2mid))
	r = r.add(dd{-k * pio2lo, 0})

	// cos(r + kπ/2) = cos r, −sin r, −cos r, sin r for k ≡ 0, 1, 2, 3 mod 4.
	var v dd
	n := int64(k) & 3
	if n&1 == 0 {
		v = cosDD(r)
	} else {
		v = sinDD(r)
	}
	if n == 1 || n == 2 {
		v = dd{-v.hi, -v.lo}
	}
	return v.hi + v.lo
}

// dd is a double-double number hi + lo, |lo| ≤ ulp(hi)/2. Every product
// is rounded by a conversion before it is added, so that Go does not fuse
// them into FMAs on arm64 (and ppc64, s390x) and every GOARCH gives the
// same bits.
type dd struct{ hi, lo float64 }

// twoSum returns a + b as s + e exactly.
func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

// twoProd returns a·b as a double-double, exactly.
func twoProd(a, b float64) dd {
	p := float64(a * b) // rounded: p must not be fused into the caller's sums
	return dd{p, math.FMA(a, b, -p)}
}

func (a dd) add(b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = twoSum(s.hi, s.lo)
	s.lo += t.lo
	return twoSum(s.hi, s.lo)
}

func (a dd) mul(b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += float64(a.hi*b.lo) + float64(a.lo*b.hi)
	return twoSum(p.hi, p.lo)
}

// div returns a/f for a double f, to double-double precision: the
// quotient q of the high parts, then the remainder a − q·f (q·f exactly,
// by twoProd) divided by f.
func (a dd) div(f float64) dd {
	q := a.hi / f
	r := twoProd(q, f)
	rem := twoSum(a.hi, -r.hi)
	rem.lo += a.lo - r.lo
	q2 := (rem.hi + rem.lo) / f
	return twoSum(q, q2)
}

// taylor sums Σ_{i≥0} (−1)^i·r^(2i+start)/(2i+start)! for |r| ≤ π/4,
// until the terms fall below 2⁻¹¹⁰ of the first.
func taylor(r dd, start int) dd {
	r2 := r.mul(r)
	term := dd{1, 0}
	if start == 1 {
		term = r
	}
	sum := term
	for n := start; n < 40; n += 2 {
		term = term.mul(r2).div(float64((n + 1) * (n + 2)))
		term = dd{-term.hi, -term.lo}
		sum = sum.add(term)
		if math.Abs(term.hi) < 0x1p-110 {
			break
		}
	}
	return sum
}

func cosDD(r dd) dd { return taylor(r, 0) }
func sinDD(r dd) dd { return taylor(r, 1) }
