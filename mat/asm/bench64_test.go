package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
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

// BenchmarkDPack is BenchmarkPack for the float64 packers: a KC×n block
// of an n×n matrix into panels of the float64 micro-kernels' widths, MR
// and NR (DBlocks) of every set, so that each set, generic included, is
// timed on the widths the others pack too, by rows and by columns, at
// n = 256 (in L2) and 2048 (not). It reports elements packed per
// nanosecond.
func BenchmarkDPack(b *testing.B) {
	var widths []int
	for _, k := range all {
		for _, nr := range []int{k.dblocks.MR, k.dblocks.NR} {
			if !slices.Contains(widths, nr) {
				widths = append(widths, nr)
			}
		}
	}
	for _, k := range all {
		for _, trans := range []bool{false, true} {
			pack, op := k.DPackRows, "rows"
			if trans {
				pack, op = k.DPackCols, "cols"
			}
			for _, nr := range widths {
				for _, n := range []int{256, 2048} {
					b.Run(fmt.Sprintf("%s/%s/nr=%d/n=%d", k.name, op, nr, n), func(b *testing.B) {
						kc := min(256, n)
						src, panel := benchVec64(n*n), make([]float64, kc*roundUp(n, nr))
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

// dgemmBlocked is C = A·B for n×n row-major matrices by the BLIS loops
// (NC, KC, MC, then NR and MR) on k's float64 packers and micro-kernel,
// with block sizes bl: the float64 driver of package mat reduced to what
// a benchmark of the block sizes needs. n must be a multiple of bl.MR and
// bl.NR, and bl.MC of bl.MR, so that there are no edge tiles.
func dgemmBlocked(k Kernels, bl Blocks, n int, a, b, c, pa, pb []float64) {
	mr, nr := bl.MR, bl.NR
	for jc := 0; jc < n; jc += bl.NC {
		nc := min(bl.NC, n-jc)
		for pc := 0; pc < n; pc += bl.KC {
			kc := min(bl.KC, n-pc)
			beta := 1.0
			if pc == 0 {
				beta = 0
			}
			for jr := 0; jr < nc; jr += nr {
				k.DPackRows(kc, nr, nr, b[pc*n+jc+jr:], n, pb[jr*kc:])
			}
			for ic := 0; ic < n; ic += bl.MC {
				mc := min(bl.MC, n-ic)
				for ir := 0; ir < mc; ir += mr {
					k.DPackCols(kc, mr, mr, a[(ic+ir)*n+pc:], n, pa[ir*kc:])
				}
				for jr := 0; jr < nc; jr += nr {
					for ir := 0; ir < mc; ir += mr {
						k.DGemm(kc, 1, pa[ir*kc:], pb[jr*kc:], beta, c[(ic+ir)*n+jc+jr:], n)
					}
				}
			}
		}
	}
}

// BenchmarkDGemmBlocks times dgemmBlocked, one thread, with the set's
// float64 block sizes and with others: MC and KC from the analytical
// model of Low et al. (2016) on the cache sizes cpuid reports (a KC×NR
// micro-panel of B in half of L1d, an MC×KC block of A in half of L2),
// and a few around them. n = 960 is a multiple of every tile side.
//
//	go test -run '^$' -bench DGemmBlocks ./mat/asm/
func BenchmarkDGemmBlocks(b *testing.B) {
	const n = 960
	l1, l2 := cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2
	for _, k := range all {
		bl := k.dblocks
		if n%bl.MR != 0 || n%bl.NR != 0 {
			continue
		}
		cands := []Blocks{bl}
		if l1 > 0 && l2 > 0 {
			kc := l1 / 2 / (8 * bl.NR)
			mc := l2 / 2 / (8 * kc) / bl.MR * bl.MR
			cands = append(cands, Blocks{MR: bl.MR, NR: bl.NR, MC: mc, KC: kc, NC: bl.NC})
		}
		for _, mk := range [][2]int{{72, 256}, {120, 256}, {144, 256}, {96, 384}, {72, 512}, {48, 512}} {
			cands = append(cands, Blocks{MR: bl.MR, NR: bl.NR, MC: mk[0] / bl.MR * bl.MR, KC: mk[1], NC: bl.NC})
		}
		a, bm, c := benchVec64(n*n), benchVec64(n*n), make([]float64, n*n)
		seen := map[Blocks]bool{}
		for _, cb := range cands {
			if seen[cb] || cb.MC <= 0 || cb.KC <= 0 {
				continue
			}
			seen[cb] = true
			pa, pb := make([]float64, cb.MC*cb.KC), make([]float64, cb.KC*min(cb.NC, n))
			dgemmBlocked(k, cb, n, a, bm, c, pa, pb)
			for _, e := range [][2]int{{0, 0}, {n - 1, n - 1}, {n / 3, n / 2}} {
				var want float64
				for l := 0; l < n; l++ {
					want += a[e[0]*n+l] * bm[l*n+e[1]]
				}
				if got := c[e[0]*n+e[1]]; math.Abs(got-want) > 1e-9*n {
					b.Fatalf("%+v: C(%d,%d) = %v, want %v", cb, e[0], e[1], got, want)
				}
			}
			b.Run(fmt.Sprintf("%s/L1d=%dK,L2=%dK/MC=%d,KC=%d", k.name, l1>>10, l2>>10, cb.MC, cb.KC), func(b *testing.B) {
				for b.Loop() {
					dgemmBlocked(k, cb, n, a, bm, c, pa, pb)
				}
				reportGFLOPs(b, 2*float64(n)*n*n)
			})
		}
	}
}
