package asm

// sgdGeneric is the reference of Kernels.SGD (see its documentation for
// the loop): every operation rounded once to float32, the multiply-adds
// fused through fma32. The conversion float32(x*y) stops the compiler from
// fusing the product μ·buf into the addition that follows it (which the Go
// spec allows, and the arm64 compiler does): the Scal pass it stands for
// rounds it on its own.
func sgdGeneric(s *SGDStep, theta, grad, buf []float32) {
	n := len(theta)
	grad = grad[:n]
	momentum := s.Momentum != 0
	if momentum {
		buf = buf[:n]
	}
	for i, th := range theta {
		g := grad[i]
		if s.Maximize {
			g = -g
		}
		if s.WeightDecay != 0 {
			g = fma32(s.WeightDecay, th, g)
		}
		if momentum {
			b := g
			if !s.First {
				b = float32(s.Momentum * buf[i])
				if s.OneMinusDampening != 0 {
					b = fma32(s.OneMinusDampening, g, b)
				}
			}
			buf[i] = b
			if s.Nesterov {
				g = fma32(s.Momentum, b, g)
			} else {
				g = b
			}
		}
		if s.Alpha != 0 {
			theta[i] = fma32(s.Alpha, g, th)
		}
	}
}
