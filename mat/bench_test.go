package mat

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pente-go/pente/mat/asm"
)

// Gemm and Gemv on every available implementation, one goroutine, reported
// in GFLOP/s (2·m·n·k flops per Gemm):
//
//	go test -run '^$' -bench 'Gemm|Gemv' ./mat/

func benchDense(r, c int) *Dense {
	g := rand.New(rand.NewPCG(uint64(r), uint64(c)))
	m := NewDense(r, c, nil)
	for i := range m.Data {
		m.Data[i] = 2*g.Float32() - 1
	}
	return m
}

func BenchmarkGemm(b *testing.B) {
	for _, k := range asm.Available() {
		for _, n := range []int{64, 256, 1024} {
			for _, tr := range transposes {
				name := fmt.Sprintf("%s/%s%s/%d", k.Name, tr[0].short(), tr[1].short(), n)
				b.Run(name, func(b *testing.B) {
					x, y, c := benchDense(n, n), benchDense(n, n), benchDense(n, n)
					for b.Loop() {
						gemm(k, tr[0], tr[1], 1, x, y, 0, c)
					}
					b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

func BenchmarkGemv(b *testing.B) {
	for _, k := range asm.Available() {
		for _, n := range []int{64, 512, 2048} {
			for _, t := range []Transpose{NoTrans, Trans} {
				b.Run(fmt.Sprintf("%s/%s/%d", k.Name, t.short(), n), func(b *testing.B) {
					a := benchDense(n, n)
					x, y := make([]float32, n), make([]float32, n)
					for b.Loop() {
						gemv(k, t, 1, a, x, 0, y)
					}
					b.ReportMetric(2*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

func (t Transpose) short() string {
	if t == Trans {
		return "T"
	}
	return "N"
}

// BenchmarkGemmThreads times the packed product of n×n matrices on one and
// two threads with the parallel threshold lifted, which is how
// parallelFlops was chosen: below it, two threads do not beat one.
//
//	go test -run '^$' -bench GemmThreads ./mat/
func BenchmarkGemmThreads(b *testing.B) {
	defer forceParallel()()
	k := asm.Default()
	for _, n := range []int{32, 48, 64, 96, 128, 192, 256, 512, 1024} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/%d/threads=%d", k.Name, n, threads), func(b *testing.B) {
				x, y, c := benchDense(n, n), benchDense(n, n), benchDense(n, n)
				for b.Loop() {
					gemmPacked(k, threads, NoTrans, NoTrans, n, n, n, 1, x, y, 0, c)
				}
				b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
