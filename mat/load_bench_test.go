package mat_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pente-go/pente/mat"
)

// Gemm on a loaded machine, through the public entry point, in GFLOP/s
// (2·n³ flops per call) summed over all callers:
//
//	go test -run '^$' -bench 'Oversubscribed|Concurrent' -count 5 ./mat/
//
// BenchmarkGemmOversubscribed runs one caller at GOMAXPROCS 1, 2 and 8:
// on a machine of two CPUs, 1 against 2 is the two-thread speed-up, and 8
// has four Ps per CPU, so that the parts of a split product compete with
// idle Ps' threads for the CPUs; it should not run slower than at 2.
// BenchmarkGemmConcurrent runs 1 or 64 callers at once, each with its own
// C: the total should not fall below one caller's.

func loadDense(r, c int) *mat.Dense {
	g := rand.New(rand.NewPCG(uint64(r), uint64(c)))
	m := mat.NewDense(r, c, nil)
	for i := range m.Data {
		m.Data[i] = 2*g.Float32() - 1
	}
	return m
}

func gflops(b *testing.B, n int) {
	b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkGemmOversubscribed(b *testing.B) {
	for _, procs := range []int{1, 2, 8} {
		for _, n := range []int{128, 256, 1024} {
			b.Run(fmt.Sprintf("gomaxprocs=%d/n=%d", procs, n), func(b *testing.B) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				x, y, c := loadDense(n, n), loadDense(n, n), loadDense(n, n)
				for b.Loop() {
					mat.Gemm(mat.NoTrans, mat.NoTrans, 1, x, y, 0, c)
				}
				gflops(b, n)
			})
		}
	}
}

func BenchmarkGemmConcurrent(b *testing.B) {
	const n = 256
	for _, callers := range []int{1, 64} {
		b.Run(fmt.Sprintf("callers=%d/n=%d", callers, n), func(b *testing.B) {
			x, y := loadDense(n, n), loadDense(n, n)
			cs := make([]*mat.Dense, callers)
			for i := range cs {
				cs[i] = loadDense(n, n)
				mat.Gemm(mat.NoTrans, mat.NoTrans, 1, x, y, 0, cs[i]) // warm-up
			}
			b.ResetTimer()
			var calls atomic.Int64 // calls started, of b.N
			var wg sync.WaitGroup
			for _, c := range cs {
				wg.Go(func() {
					for calls.Add(1) <= int64(b.N) {
						mat.Gemm(mat.NoTrans, mat.NoTrans, 1, x, y, 0, c)
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			gflops(b, n)
		})
	}
}
