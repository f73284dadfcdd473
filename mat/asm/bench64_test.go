package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func benchVec64(n int) []float64 {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	s := make([]float64, n)
	for i := range s {
		s[i] = 2*r.Float64() - 1
	}
	return s
}

// BenchmarkDGemmMicroKernel runs the float64 micro-kernel alone on packed
// panels that stay in L1 (k = 256: 6×256 + 256×8 float64 is 28 KB for
// avx2fma), the ceiling for everything a float64 gemm driver does around
// it. The float64 FMA peak is half the float32 one: on AVX2+FMA with two
// FMA pipes, 2 pipes · 4 lanes · 2 flops = 16 flops per cycle.
//
//	go test -run '^$' -bench DGemmMicroKernel ./mat/asm/
func BenchmarkDGemmMicroKernel(b *testing.B) {
	for _, k := range all {
		mr, nr := k.dblocks.MR, k.dblocks.NR
		for _, depth := range []int{64, 256} {
			b.Run(fmt.Sprintf("%s/%dx%d/k=%d", k.name, mr, nr, depth), func(b *testing.B) {
				a, bp := benchVec64(depth*mr), benchVec64(depth*nr)
				c := benchVec64(mr * nr)
				for b.Loop() {
					k.DGemm(depth, 1, a, bp, 1, c, nr)
				}
				reportGFLOPs(b, 2*float64(mr*nr*depth))
			})
		}
	}
}

var sink64 float64

// BenchmarkDLevel12 times the float64 level-1 and level-2 kernels at a
// size in L1 (1K elements; a 64×64 matrix) and one in L2 (16K; 256×256).
func BenchmarkDLevel12(b *testing.B) {
	for _, k := range all {
		for _, n := range []int{1 << 10, 16 << 10} {
			x, y := benchVec64(n), benchVec64(n)
			b.Run(fmt.Sprintf("%s/daxpy/%d", k.name, n), func(b *testing.B) {
				b.SetBytes(int64(24 * n))
				for b.Loop() {
					k.DAxpy(1e-7, x, y)
				}
			})
			b.Run(fmt.Sprintf("%s/ddot/%d", k.name, n), func(b *testing.B) {
				b.SetBytes(int64(16 * n))
				for b.Loop() {
					sink64 += k.DDot(x, y)
				}
			})
			b.Run(fmt.Sprintf("%s/dscal/%d", k.name, n), func(b *testing.B) {
				b.SetBytes(int64(16 * n))
				for b.Loop() {
					k.DScal(1, x)
				}
			})
		}
		for _, n := range []int{64, 256} {
			a, x, y := benchVec64(n*n), benchVec64(n), benchVec64(n)
			b.Run(fmt.Sprintf("%s/dgemvN/%d", k.name, n), func(b *testing.B) {
				for b.Loop() {
					k.DGemvN(n, n, 1e-7, a, n, x, y)
				}
				reportGFLOPs(b, 2*float64(n*n))
			})
			b.Run(fmt.Sprintf("%s/dgemvT/%d", k.name, n), func(b *testing.B) {
				for b.Loop() {
					k.DGemvT(n, n, 1e-7, a, n, x, y)
				}
				reportGFLOPs(b, 2*float64(n*n))
			})
			b.Run(fmt.Sprintf("%s/dger/%d", k.name, n), func(b *testing.B) {
				for b.Loop() {
					k.DGer(n, n, 1e-7, x, y, a, n)
				}
				reportGFLOPs(b, 2*float64(n*n))
			})
		}
	}
}
