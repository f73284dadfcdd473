package asm

import "fmt"

// SGDStep holds the scalars and options of one step of torch.optim.SGD
// (_single_tensor_sgd), as float32 values: learning rate γ, momentum μ,
// dampening τ and weight decay λ.
type SGDStep struct {
	WeightDecay       float32 // λ: g ← g + λ·θ when non-zero
	Momentum          float32 // μ: the momentum buffer is kept when non-zero
	OneMinusDampening float32 // 1 − τ (rounded in float32), the weight of g in the buffer
	Alpha             float32 // −γ: θ ← θ + Alpha·g when non-zero
	Nesterov          bool    // whether g ← g + μ·buf (else g ← buf)
	Maximize          bool    // whether to negate the gradient first
	First             bool    // whether buf is new: buf ← g, without reading it
}

// SGD is one fused step of SGD over parameters θ (theta) with gradients
// grad and, when s.Momentum is non-zero, momentum buffers buf, in one
// pass over them:
//
//	for i := range theta {
//		g := grad[i]
//		if s.Maximize {
//			g = -g
//		}
//		if s.WeightDecay != 0 {
//			g = fma(s.WeightDecay, theta[i], g)          // g.add(θ, alpha=λ)
//		}
//		if s.Momentum != 0 {
//			b := g                                       // buf = clone(g) at the first step
//			if !s.First {
//				b = s.Momentum * buf[i]                  // buf.mul_(μ)
//				if s.OneMinusDampening != 0 {
//					b = fma(s.OneMinusDampening, g, b)   // .add_(g, alpha=1−τ)
//				}
//			}
//			buf[i] = b
//			if s.Nesterov {
//				g = fma(s.Momentum, b, g)                // g.add(buf, alpha=μ)
//			} else {
//				g = b
//			}
//		}
//		if s.Alpha != 0 {
//			theta[i] = fma(s.Alpha, g, theta[i])         // θ.add_(g, alpha=−γ)
//		}
//	}
//
// where every operation is one float32 rounding and fma(a, b, c) is a·b + c
// rounded once. These are the roundings of the passes it replaces, one
// Axpy (y = fma(alpha, x, y)) or Scal per line, which skip their work when
// alpha is zero, and of torch 1.13's AVX2 kernels, which fuse add with
// alpha (sgd/testdata/sgd.json holds the fixtures that show it).
//
// Every implementation gives the same bits as the reference sgdGeneric,
// except that which NaN a NaN result is may differ. grad is only read;
// the values in buf do not matter at the first step (an implementation
// may read them), and buf is not used at all without momentum.
//
// It panics unless grad has the length of theta and, with momentum, so
// has buf.
func (k Kernels) SGD(s *SGDStep, theta, grad, buf []float32) {
	n := len(theta)
	momentum := s.Momentum != 0
	if len(grad) != n || momentum && len(buf) != n {
		failSGD(momentum, theta, grad, buf)
	}
	raceRead(grad, n)
	raceWrite(theta, n)
	if momentum {
		raceWrite(buf, n)
	}
	k.impl.sgd(s, theta, grad, buf)
}

// failSGD: SGD.
func failSGD(momentum bool, theta, grad, buf []float32) {
	lens := fmt.Sprintf("len(theta) = %d, len(grad) = %d", len(theta), len(grad))
	if momentum {
		lens += fmt.Sprintf(", len(buf) = %d (momentum)", len(buf))
	}
	fail("sgd", lens+": all must be equal")
}

// sgdFlags packs the options of s into the flags argument of the assembly
// kernels, each a test of the reference's: a kernel tests one bit where
// sgdGeneric compares a scalar with zero.
func sgdFlags(s *SGDStep) int {
	f := 0
	if s.Maximize {
		f |= sgdMaximize
	}
	if s.WeightDecay != 0 {
		f |= sgdDecay
	}
	if s.Momentum != 0 {
		f |= sgdMomentum
		if s.First {
			f |= sgdFirst
		}
		if s.OneMinusDampening != 0 {
			f |= sgdDampen
		}
		if s.Nesterov {
			f |= sgdNesterov
		}
	}
	if s.Alpha != 0 {
		f |= sgdUpdate
	}
	return f
}

// The bits of the flags argument of the assembly kernels.
const (
	sgdMaximize = 1 << iota // g = −g
	sgdDecay                // g += λ·θ
	sgdMomentum             // keep buf
	sgdFirst                // buf = g (with sgdMomentum)
	sgdDampen               // buf += (1−τ)·g (with sgdMomentum, not sgdFirst)
	sgdNesterov             // g += μ·buf (with sgdMomentum), else g = buf
	sgdUpdate               // θ += α·g
)
