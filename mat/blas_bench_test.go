package mat

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pente-go/pente/mat/asm"
)

// BenchmarkBLASGemm times Sgemm and Dgemm of n×n matrices side by side, on
// the default kernels and threads: Dgemm does half the work of Sgemm per
// instruction, so at the same efficiency it runs at half the GFLOP/s.
//
//	go test -run '^$' -bench BLASGemm ./mat/
func BenchmarkBLASGemm(b *testing.B) {
	for _, n := range []int{64, 256, 1024} {
		for _, tr := range transposes {
			name := fmt.Sprintf("%s/%s%s/%d", asm.Active(), tr[0].short(), tr[1].short(), n)
			b.Run("S/"+name, func(b *testing.B) { benchGemmBLAS[float32](b, tr[0], tr[1], n) })
			b.Run("D/"+name, func(b *testing.B) { benchGemmBLAS[float64](b, tr[0], tr[1], n) })
		}
	}
}

func benchGemmBLAS[T elem](b *testing.B, tA, tB Transpose, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y, c := randSlice[T](r, n*n), randSlice[T](r, n*n), randSlice[T](r, n*n)
	for b.Loop() {
		blasGemm("gemm", asm.Default(), Threads, tA, tB, n, n, n, 1, x, n, y, n, 0, c, n)
	}
	b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
