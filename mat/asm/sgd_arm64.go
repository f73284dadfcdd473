//go:build !purego

package asm

// sgdNEON is Kernels.SGD for the neon set: sgd8NEON with the scalars of s.
func sgdNEON(s *SGDStep, theta, grad, buf []float32) {
	sgd8NEON(s.WeightDecay, s.Momentum, s.OneMinusDampening, s.Alpha, sgdFlags(s), theta, grad, buf)
}

// sgd8NEON is the SGD update of sgdGeneric over θ, grad and, when flags
// has sgdMomentum, buf, all of len(theta) elements (the caller checks),
// eight at a time. flags holds the sgd* bits that say which of its lines
// run; c is 1 − τ and alpha −γ.
//
// Reference: sgdGeneric
// Requires: NEON
//
//go:noescape
func sgd8NEON(wd, mu, c, alpha float32, flags int, theta, grad, buf []float32)
