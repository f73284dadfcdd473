package asm

import "math"

// adamGeneric is the reference of Kernels.Adam (see its documentation for
// the loop): every operation rounded once to float32, the multiply-adds
// fused through fma32. The conversions float32(x*y) stop the compiler from
// fusing a product into the addition that follows it (which the Go spec
// allows, and the arm64 compiler does), which would round once where
// torch rounds twice.
func adamGeneric(s *AdamStep, theta, grad, m, v, vmax []float32) {
	n := len(theta)
	grad, m, v = grad[:n], m[:n], v[:n]
	if s.AMSGrad {
		vmax = vmax[:n]
	}
	for i, th := range theta {
		g := grad[i]
		if s.Maximize {
			g = -g
		}
		if s.Coupled {
			g = fma32(s.L2, th, g)
		}
		t := float32(s.Decay * th)
		mi := fma32(s.OneMinusBeta1, g, float32(m[i]*s.Beta1))
		vi := fma32(float32(s.OneMinusBeta2*g), g, float32(v[i]*s.Beta2))
		m[i], v[i] = mi, vi
		if s.AMSGrad {
			if vi > vmax[i] || vi != vi {
				vmax[i] = vi
			}
			vi = vmax[i]
		}
		d := float32(math.Sqrt(float64(vi)))/s.BC2Sqrt + s.Eps
		theta[i] = t + float32(s.Alpha*mi)/d
	}
}

// fma32 returns a·b + c rounded once to float32, as the FMA instructions
// of x86 (VFMADD231SS) and arm64 (FMADD) compute it. Go has no float32
// FMA, and float32(math.FMA(a, b, c)) would round twice (to float64, then
// to float32), which is wrong in the rare cases where the first rounding
// lands on a float32 halfway point. The product of two float32 is exact in
// float64 (48 significant bits), so only the sum rounds: it is computed in
// float64 with round-to-odd (the rounded sum, moved one ulp towards the
// exact one when it is inexact and its last bit is even), which rounds
// correctly to any format with at most 53−2 = 51 bits, float32 included.
// A float32 square root of a float64 one is correct for the same reason.
func fma32(a, b, c float32) float32 {
	p := float64(float64(a) * float64(b)) // exact; the conversion keeps it unfused
	q := float64(c)
	s := p + q
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return float32(s)
	}
	// TwoSum: e is the exact error of s = p + q.
	bv := s - p
	e := (p - (s - bv)) + (q - bv)
	if e != 0 {
		u := math.Float64bits(s)
		if u&1 == 0 {
			// Round to odd: move s one ulp towards the exact sum s + e.
			if (e > 0) == (s > 0) {
				u++
			} else {
				u--
			}
			s = math.Float64frombits(u)
		}
	}
	return float32(s)
}
