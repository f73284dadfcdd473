package layer

import "math"

// PyTorch's CPU kernels evaluate exp and erf on float32 with their
// Vectorized<float> code, and Debian's build runs its AVX2 variant: exp is
// SLEEF's Sleef_expf8_u10 (within 1 ulp, not always correctly rounded) and
// erf a polynomial of Abramowitz and Stegun (7.1.26, within 1.5e-7) in
// ATen's vec256_float.h. The functions below are those computations step by
// step, each multiply-add fused as AVX2's vfmadd, so that the activations
// give PyTorch's bits rather than the (more accurate) correctly rounded
// values; TestActivationsTorch checks them.

const (
	sleefRLn2 = float32(1.442695040888963407359924681001892137426645954152985934135449406931)
	sleefL2U  = float32(0.693145751953125)
	sleefL2L  = float32(1.428606765330187045e-06)
)

// pow2i returns 2^q for a q that gives a normal float32.
func pow2i(q int32) float32 { return math.Float32frombits(uint32(q+0x7f) << 23) }

// vexp is SLEEF 3's xexpf (Sleef_expf8_u10 with FMA).
func vexp(d float32) float32 {
	switch {
	case d != d:
		return d
	case d < -104:
		return 0
	case d > 100:
		return float32(math.Inf(1))
	}
	q := int32(math.RoundToEven(float64(float32(d * sleefRLn2))))
	qf := float32(q)
	s := fma32(qf, -sleefL2U, d)
	s = fma32(qf, -sleefL2L, s)
	u := float32(0.000198527617612853646278381)
	u = fma32(u, s, 0.00139304355252534151077271)
	u = fma32(u, s, 0.00833336077630519866943359)
	u = fma32(u, s, 0.0416664853692054748535156)
	u = fma32(u, s, 0.166666671633720397949219)
	u = fma32(u, s, 0.5)
	u = 1 + fma32(float32(s*s), u, s)
	return float32(u*pow2i(q>>1)) * pow2i(q-q>>1)
}

// verf is Vectorized<float>::erf of ATen's AVX2 code: with t = 1/(1 + p·|x|),
// erf x = sign(x)·(1 − r(t)·t·exp(−x²)), r a polynomial of degree 4.
func verf(x float32) float32 {
	sign := math.Float32bits(x) & (1 << 31)
	abs := math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	t := 1 / fma32(0.3275911, abs, 1)
	r := fma32(1.061405429, t, -1.453152027)
	r = fma32(r, t, 1.421413741)
	r = fma32(r, t, -0.284496736)
	r = fma32(r, t, 0.254829592)
	e := -vexp(-float32(x * x))
	v := fma32(float32(e*t), r, 1)
	return math.Float32frombits(math.Float32bits(v) ^ sign)
}
