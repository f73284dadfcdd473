package asm

import "fmt"

// AdamStep holds the scalars of one step of Adam or AdamW, as
// torch.optim's _single_tensor_adam and _single_tensor_adamw give them to
// their float32 kernels: every one is computed in float64 from the Python
// floats (lr γ, betas β1 and β2, eps ε, weight decay λ and the step t)
// and rounded once to float32.
type AdamStep struct {
	Decay    float32 // θ ← Decay·θ before the update: 1 − γλ for AdamW, 1 for Adam
	L2       float32 // Adam's weight decay λ, g ← g + λ·θ, applied only if Coupled
	Coupled  bool    // whether to add L2·θ to the gradient (Adam with λ ≠ 0)
	Maximize bool    // whether to negate the gradient first
	AMSGrad  bool    // whether to keep the running maximum of v in vmax and use it

	Beta1, OneMinusBeta1 float32 // β1 and 1 − β1 (rounded from float64)
	Beta2, OneMinusBeta2 float32 // β2 and 1 − β2
	BC2Sqrt              float32 // √(1 − β2ᵗ), the square root in float64
	Eps                  float32 // ε
	Alpha                float32 // −γ/(1 − β1ᵗ), the value of torch's addcdiv_
}

// Adam is one fused step of Adam over parameters θ (theta) with gradients
// g (grad), first moments m and second moments v (and, with AMSGrad, their
// running maximum vmax), in one pass over them:
//
//	for i := range theta {
//		g := grad[i]
//		if s.Maximize {
//			g = -g
//		}
//		if s.Coupled {
//			g = fma(s.L2, theta[i], g)             // grad.add(param, alpha=λ)
//		}
//		t := s.Decay * theta[i]                    // param.mul_(1 − γλ)
//		m[i] = fma(s.OneMinusBeta1, g, m[i]*s.Beta1)  // exp_avg.mul_(β1).add_(g, alpha=1−β1)
//		v[i] = fma(s.OneMinusBeta2*g, g, v[i]*s.Beta2) // exp_avg_sq.mul_(β2).addcmul_(g, g, value=1−β2)
//		w := v[i]
//		if s.AMSGrad {
//			if w > vmax[i] || w != w {            // torch.maximum: NaN wins
//				vmax[i] = w
//			}
//			w = vmax[i]
//		}
//		d := sqrt(w)/s.BC2Sqrt + s.Eps             // (v.sqrt() / √bc2).add_(ε)
//		theta[i] = t + (s.Alpha*m[i])/d            // param.addcdiv_(m, d, value=α)
//	}
//
// where every operation is one float32 rounding and fma(a, b, c) is a·b + c
// rounded once. These are the roundings of Debian's torch 1.13 on AVX2
// (its CPU kernels fuse the multiply-adds of add with alpha and of
// addcmul, and divide by the scalar rather than multiply by its inverse):
// sgd/testdata/adam.json holds the fixtures that show it.
//
// Every implementation gives the same bits as the reference adamGeneric,
// except that which NaN a NaN result is may differ.
//
// It panics unless grad, m and v have the length of theta and, with
// AMSGrad, so has vmax; without AMSGrad, vmax is not used.
func (k Kernels) Adam(s *AdamStep, theta, grad, m, v, vmax []float32) {
	n := len(theta)
	if len(grad) != n || len(m) != n || len(v) != n || s.AMSGrad && len(vmax) != n {
		failAdam(s.AMSGrad, theta, grad, m, v, vmax)
	}
	raceRead(grad, n)
	raceWrite(theta, n)
	raceWrite(m, n)
	raceWrite(v, n)
	if s.AMSGrad {
		raceWrite(vmax, n)
	}
	k.impl.adam(s, theta, grad, m, v, vmax)
}

// failAdam: Adam.
func failAdam(ams bool, theta, grad, m, v, vmax []float32) {
	lens := fmt.Sprintf("len(theta) = %d, len(grad) = %d, len(m) = %d, len(v) = %d", len(theta), len(grad), len(m), len(v))
	if ams {
		lens += fmt.Sprintf(", len(vmax) = %d (AMSGrad)", len(vmax))
	}
	fail("adam", lens+": all must be equal")
}

// adamFlags packs the booleans of s into the flags argument of the
// assembly kernels.
func adamFlags(s *AdamStep) int {
	f := 0
	if s.Maximize {
		f |= adamMaximize
	}
	if s.Coupled {
		f |= adamCoupled
	}
	if s.AMSGrad {
		f |= adamAMSGrad
	}
	return f
}

// The bits of the flags argument of the assembly kernels.
const (
	adamMaximize = 1 << iota
	adamCoupled
	adamAMSGrad
)
