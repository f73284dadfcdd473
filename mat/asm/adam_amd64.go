//go:build !purego

package asm

// adamAVX2 is Kernels.Adam for the avx2fma and avx512 sets: adam8AVX2
// with the scalars of s. The avx512 set has no zmm version: the update is
// bound by memory (28 bytes read and written per element without AMSGrad)
// and by the divider, not by the width of the vectors, as its other
// level-1 kernels are.
func adamAVX2(s *AdamStep, theta, grad, m, v, vmax []float32) {
	adam8AVX2(s.Decay, s.L2, s.Beta1, s.OneMinusBeta1, s.Beta2, s.OneMinusBeta2, s.BC2Sqrt, s.Eps, s.Alpha,
		adamFlags(s), theta, grad, m, v, vmax)
}

// adam8AVX2 is the Adam update of adamGeneric over θ, grad, m, v and,
// when flags has adamAMSGrad, vmax, all of len(theta) elements (the
// caller checks), eight at a time. flags holds adamMaximize, adamCoupled
// and adamAMSGrad; c1 and c2 are 1 − b1 and 1 − b2.
//
// Reference: adamGeneric. Requires: AVX2, FMA.
//
//go:noescape
func adam8AVX2(decay, l2, b1, c1, b2, c2, bc2, eps, alpha float32, flags int, theta, grad, m, v, vmax []float32)
