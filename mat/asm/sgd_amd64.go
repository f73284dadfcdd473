//go:build !purego

package asm

// sgdAVX2 is Kernels.SGD for the avx2fma and avx512 sets: sgd8AVX2 with
// the scalars of s. The avx512 set has no zmm version: the update is bound
// by memory (θ, g and buf read, θ and buf written: 20 bytes an element with
// momentum), as its other level-1 kernels are.
func sgdAVX2(s *SGDStep, theta, grad, buf []float32) {
	sgd8AVX2(s.WeightDecay, s.Momentum, s.OneMinusDampening, s.Alpha, sgdFlags(s), theta, grad, buf)
}

// sgd8AVX2 is the SGD update of sgdGeneric over θ, grad and, when flags
// has sgdMomentum, buf, all of len(theta) elements (the caller checks),
// eight at a time. flags holds the sgd* bits that say which of its lines
// run; c is 1 − τ and alpha −γ. The usual configurations have loops of
// their own; the others select each line's result with a mask.
//
// Reference: sgdGeneric. Requires: AVX2, FMA.
//
//go:noescape
func sgd8AVX2(wd, mu, c, alpha float32, flags int, theta, grad, buf []float32)
