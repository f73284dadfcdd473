package mat

import "github.com/pente-go/pente/mat/asm"

// funcs64 is the float64 kernel table. Until mat/asm has float64 kernels,
// these are pure-Go loops, with a 4×4 micro-kernel.
var funcs64 = kernFuncs[float64]{
	blocks: func(asm.Kernels) asm.Blocks { return asm.Blocks{MR: 4, NR: 4, MC: 128, KC: 256, NC: 2048} },
	axpy: func(_ asm.Kernels, alpha float64, x, y []float64) {
		x = x[:len(y)]
		for i, v := range x {
			y[i] += alpha * v
		}
	},
	dot: func(_ asm.Kernels, x, y []float64) float64 {
		y = y[:len(x)]
		var s float64
		for i, v := range x {
			s += v * y[i]
		}
		return s
	},
	scal: func(_ asm.Kernels, alpha float64, x []float64) {
		for i := range x {
			x[i] *= alpha
		}
	},
	gemvN: func(_ asm.Kernels, m, n int, alpha float64, a []float64, lda int, x, y []float64) {
		for i := 0; i < m; i++ {
			var s float64
			for j, v := range a[i*lda : i*lda+n] {
				s += v * x[j]
			}
			y[i] += alpha * s
		}
	},
	gemvT: func(_ asm.Kernels, m, n int, alpha float64, a []float64, lda int, x, y []float64) {
		for i := 0; i < m; i++ {
			s := alpha * x[i]
			for j, v := range a[i*lda : i*lda+n] {
				y[j] += s * v
			}
		}
	},
	ger: func(_ asm.Kernels, m, n int, alpha float64, x, y, a []float64, lda int) {
		for i := 0; i < m; i++ {
			s := alpha * x[i]
			for j, v := range y[:n] {
				a[i*lda+j] += s * v
			}
		}
	},
	gemm: func(_ asm.Kernels, kk int, alpha float64, a, b []float64, beta float64, c []float64, ldc int) {
		const mr, nr = 4, 4
		var acc [mr * nr]float64
		for l := 0; l < kk; l++ {
			for i := 0; i < mr; i++ {
				for j := 0; j < nr; j++ {
					acc[i*nr+j] += a[l*mr+i] * b[l*nr+j]
				}
			}
		}
		for i := 0; i < mr; i++ {
			for j := 0; j < nr; j++ {
				if beta == 0 {
					c[i*ldc+j] = alpha * acc[i*nr+j]
				} else {
					c[i*ldc+j] = alpha*acc[i*nr+j] + beta*c[i*ldc+j]
				}
			}
		}
	},
	packRows: func(_ asm.Kernels, kk, w, nr int, src []float64, ld int, panel []float64) {
		for l := 0; l < kk; l++ {
			for j := 0; j < nr; j++ {
				if j < w {
					panel[l*nr+j] = src[l*ld+j]
				} else {
					panel[l*nr+j] = 0
				}
			}
		}
	},
	packCols: func(_ asm.Kernels, kk, w, nr int, src []float64, ld int, panel []float64) {
		for l := 0; l < kk; l++ {
			for j := 0; j < nr; j++ {
				if j < w {
					panel[l*nr+j] = src[j*ld+l]
				} else {
					panel[l*nr+j] = 0
				}
			}
		}
	},
	gemvRows: 4,
	gemvCols: 32,
}
