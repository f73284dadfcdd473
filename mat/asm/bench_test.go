package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmarks run every available implementation at sizes that live in L1,
// in L2 and in memory. Level-1 kernels report GB/s (b.SetBytes: the bytes
// each call reads and writes); gemv and the micro-kernel report GFLOP/s,
// the packers elements packed per nanosecond.
//
//	go test -run '^$' -bench . ./mat/asm/

func benchVec(n int) []float32 {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	s := make([]float32, n)
	for i := range s {
		s[i] = 2*r.Float32() - 1
	}
	return s
}

var vecBenchSizes = []struct {
	name string
	n    int
}{{"1K", 1 << 10}, {"16K", 16 << 10}, {"1M", 1 << 20}, {"16M", 16 << 20}}

func reportGFLOPs(b *testing.B, flopsPerOp float64) {
	b.ReportMetric(flopsPerOp*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkAxpy(b *testing.B) {
	for _, k := range all {
		for _, s := range vecBenchSizes {
			b.Run(k.name+"/"+s.name, func(b *testing.B) {
				x, y := benchVec(s.n), benchVec(s.n)
				b.SetBytes(int64(12 * s.n)) // read x and y, write y
				for b.Loop() {
					k.Axpy(1e-7, x, y)
				}
			})
		}
	}
}

var sink float32

func BenchmarkDot(b *testing.B) {
	for _, k := range all {
		for _, s := range vecBenchSizes {
			b.Run(k.name+"/"+s.name, func(b *testing.B) {
				x, y := benchVec(s.n), benchVec(s.n)
				b.SetBytes(int64(8 * s.n))
				for b.Loop() {
					sink += k.Dot(x, y)
				}
			})
		}
	}
}

func BenchmarkScal(b *testing.B) {
	for _, k := range all {
		for _, s := range vecBenchSizes {
			b.Run(k.name+"/"+s.name, func(b *testing.B) {
				x := benchVec(s.n)
				b.SetBytes(int64(8 * s.n))
				for b.Loop() {
					k.Scal(1, x)
				}
			})
		}
	}
}

func BenchmarkGemv(b *testing.B) {
	for _, k := range all {
		for _, trans := range []bool{false, true} {
			kernel, op := k.GemvN, "N"
			if trans {
				kernel, op = k.GemvT, "T"
			}
			// 64² floats (16 KB) fit L1, 512² (1 MB) L2, 2048² (16 MB) neither.
			for _, n := range []int{64, 512, 2048} {
				b.Run(fmt.Sprintf("%s/%s/%d", k.name, op, n), func(b *testing.B) {
					a, x, y := benchVec(n*n), benchVec(n), benchVec(n)
					for b.Loop() {
						kernel(n, n, 1e-7, a, n, x, y)
					}
					reportGFLOPs(b, 2*float64(n)*float64(n))
				})
			}
		}
	}
}

// BenchmarkGemmMicroKernel runs the micro-kernel alone on packed panels
// that stay in L1 (k = 256: 6×256 + 256×16 floats is 22 KB for avx2fma,
// 12×256 + 256×32 floats 44 KB for avx512), the ceiling for everything the
// gemm driver does around it.
func BenchmarkGemmMicroKernel(b *testing.B) {
	for _, k := range all {
		for _, depth := range []int{64, 256} {
			b.Run(fmt.Sprintf("%s/%dx%d/k=%d", k.name, k.blocks.MR, k.blocks.NR, depth), func(b *testing.B) {
				a, bp := benchVec(depth*k.blocks.MR), benchVec(depth*k.blocks.NR)
				c := benchVec(k.blocks.MR * k.blocks.NR)
				for b.Loop() {
					k.Gemm(depth, 1, a, bp, 1, c, k.blocks.NR)
				}
				reportGFLOPs(b, 2*float64(k.blocks.MR*k.blocks.NR*depth))
			})
		}
	}
}

// BenchmarkPack packs a KC×n block of an n×n matrix into panels of the
// micro-kernel's widths, MR and NR, as the gemm driver packs op(B) = B
// (rows) and op(B) = Bᵀ (cols), or op(A) = Aᵀ and A, of a product of size
// n. At n = 256 the block and its panels stay in L2; at n = 2048 they do
// not, and each row of the matrix is a page of its own. It reports elements
// packed per nanosecond.
func BenchmarkPack(b *testing.B) {
	for _, k := range all {
		for _, trans := range []bool{false, true} {
			pack, op := k.PackRows, "rows"
			if trans {
				pack, op = k.PackCols, "cols"
			}
			for _, nr := range []int{k.blocks.MR, k.blocks.NR} {
				for _, n := range []int{256, 2048} {
					b.Run(fmt.Sprintf("%s/%s/nr=%d/n=%d", k.name, op, nr, n), func(b *testing.B) {
						kc := min(k.blocks.KC, n)
						src, panel := benchVec(n*n), make([]float32, kc*roundUp(n, nr))
						for b.Loop() {
							for s := 0; s < n; s += nr {
								w := min(nr, n-s)
								if trans {
									pack(kc, w, nr, src[s*n:], n, panel[s*kc:])
								} else {
									pack(kc, w, nr, src[s:], n, panel[s*kc:])
								}
							}
						}
						b.ReportMetric(float64(kc*n)*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "elem/ns")
					})
				}
			}
		}
	}
}

func roundUp(n, to int) int { return (n + to - 1) / to * to }

// BenchmarkSmallCalls times each kernel on the smallest shapes, where the
// checks of check.go and the call through the set are most of the time: a
// depth-1 micro-tile, a 4×4 gemv and ger, an axpy of 4 elements, a
// one-row pack.
func BenchmarkSmallCalls(b *testing.B) {
	for _, k := range all {
		mr, nr := k.blocks.MR, k.blocks.NR
		a, p, c := benchVec(mr), benchVec(nr), benchVec(mr*nr)
		m, x, y := benchVec(16), benchVec(4), benchVec(4)
		b.Run(k.name+"/gemm/k=1", func(b *testing.B) {
			for b.Loop() {
				k.Gemm(1, 1, a, p, 0, c, nr)
			}
		})
		b.Run(k.name+"/gemvN/4x4", func(b *testing.B) {
			for b.Loop() {
				k.GemvN(4, 4, 1e-7, m, 4, x, y)
			}
		})
		b.Run(k.name+"/ger/4x4", func(b *testing.B) {
			for b.Loop() {
				k.Ger(4, 4, 1e-7, x, y, m, 4)
			}
		})
		b.Run(k.name+"/axpy/4", func(b *testing.B) {
			for b.Loop() {
				k.Axpy(1e-7, x, y)
			}
		})
		b.Run(k.name+"/packRows/k=1", func(b *testing.B) {
			for b.Loop() {
				k.PackRows(1, nr, nr, c, nr, p)
			}
		})
	}
}
