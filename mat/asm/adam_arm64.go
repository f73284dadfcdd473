//go:build !purego

package asm

// adamNEON is Kernels.Adam for the neon set: adam4NEON with the scalars
// of s.
func adamNEON(s *AdamStep, theta, grad, m, v, vmax []float32) {
	adam4NEON(s.Decay, s.L2, s.Beta1, s.OneMinusBeta1, s.Beta2, s.OneMinusBeta2, s.BC2Sqrt, s.Eps, s.Alpha,
		adamFlags(s), theta, grad, m, v, vmax)
}

// adam4NEON is the Adam update of adamGeneric over θ, grad, m, v and,
// when flags has adamAMSGrad, vmax, all of len(theta) elements (the
// caller checks), four at a time. flags holds adamMaximize, adamCoupled
// and adamAMSGrad; c1 and c2 are 1 − b1 and 1 − b2.
//
// Reference: adamGeneric
// Requires: NEON
//
//go:noescape
func adam4NEON(decay, l2, b1, c1, b2, c2, bc2, eps, alpha float32, flags int, theta, grad, m, v, vmax []float32)
