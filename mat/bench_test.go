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
	for _, k := range kernelSets() {
		for _, n := range []int{64, 256, 1024} {
			for _, tr := range transposes {
				name := fmt.Sprintf("%s/%s%s/%d", k.Name(), tr[0].short(), tr[1].short(), n)
				b.Run(name, func(b *testing.B) {
					x, y, c := benchDense(n, n), benchDense(n, n), benchDense(n, n)
					for b.Loop() {
						gemmOn(k, Threads, tr[0], tr[1], 1, x, y, 0, c)
					}
					b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

func BenchmarkGemv(b *testing.B) {
	for _, k := range kernelSets() {
		for _, n := range []int{64, 512, 2048} {
			for _, t := range []Transpose{NoTrans, Trans} {
				b.Run(fmt.Sprintf("%s/%s/%d", k.Name(), t.short(), n), func(b *testing.B) {
					a := benchDense(n, n)
					x, y := make([]float32, n), make([]float32, n)
					for b.Loop() {
						gemvOn(k, Threads, t, 1, a, x, 0, y)
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
// two threads whatever the size, which is how parallelMACs was chosen:
// below it, two threads do not beat one.
//
//	go test -run '^$' -bench GemmThreads ./mat/
func BenchmarkGemmThreads(b *testing.B) {
	k := asm.Default()
	for _, n := range []int{32, 48, 64, 96, 128, 192, 256, 512, 1024} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/%d/threads=%d", k.Name(), n, threads), func(b *testing.B) {
				x, y, c := benchDense(n, n), benchDense(n, n), benchDense(n, n)
				for b.Loop() {
					gemmSplit(k, threads, NoTrans, NoTrans, 1, x, y, 0, c)
				}
				b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkGemmBatch1Threads times a Gemm with m = 1, the forward x·Wᵀ
// (tB = Trans) and the backward dy·W (tB = NoTrans) of an n-wide layer fed
// one sample, on one and two threads: it is split as Gemv is.
//
//	go test -run '^$' -bench GemmBatch1Threads ./mat/
func BenchmarkGemmBatch1Threads(b *testing.B) {
	k := asm.Default()
	for _, n := range []int{256, 512, 1024, 2048} {
		for _, tB := range []Transpose{Trans, NoTrans} {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%d/N%s/threads=%d", k.Name(), n, tB.short(), threads), func(b *testing.B) {
					x, w, y := benchDense(1, n), benchDense(n, n), benchDense(1, n)
					for b.Loop() {
						gemmOn(k, threadsOf(threads), NoTrans, tB, 1, x, w, 0, y)
					}
					b.ReportMetric(2*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkGemmSmall times small products by gemmRows (a gemv per row of C)
// against packing, which is how planGemm's routeRows was chosen. The
// shapes are m×n×k; the mixed ones are those of a 64-32-10 network at batch
// 32 and of a 10-class output layer at batch 128.
//
//	go test -run '^$' -bench GemmSmall ./mat/
func BenchmarkGemmSmall(b *testing.B) {
	k := asm.Default()
	shapes := [][3]int{{4, 4, 4}, {8, 8, 8}, {12, 12, 12}, {16, 16, 16}, {32, 32, 32}, {64, 64, 64},
		{32, 32, 64}, {32, 10, 32}, {10, 32, 32}, {128, 10, 128}, {10, 128, 128}, {128, 16, 256}, {3, 200, 100}}
	for _, sh := range shapes {
		m, n, kk := sh[0], sh[1], sh[2]
		for _, tB := range []Transpose{NoTrans, Trans} {
			a, bb, c := benchDense(m, kk), benchOperandDims(tB, kk, n), benchDense(m, n)
			for _, path := range []string{"rows", "packed"} {
				b.Run(fmt.Sprintf("%s/%dx%dx%d/N%s/%s", k.Name(), m, n, kk, tB.short(), path), func(b *testing.B) {
					for b.Loop() {
						if path == "rows" {
							gemmRows(k, tB, m, n, kk, 1, a, bb, 0, c)
						} else {
							gemmSplit(k, 1, NoTrans, tB, 1, a, bb, 0, c)
						}
					}
					b.ReportMetric(2*float64(m*n*kk)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// benchOperandDims returns a random matrix that is rows×cols after op t.
func benchOperandDims(t Transpose, rows, cols int) *Dense {
	if t == Trans {
		return benchDense(cols, rows)
	}
	return benchDense(rows, cols)
}

// BenchmarkGemvThreads times Gemv of n×n matrices on one and two threads
// whatever the size, which is how parallelGemv was chosen.
//
//	go test -run '^$' -bench GemvThreads ./mat/
func BenchmarkGemvThreads(b *testing.B) {
	k := asm.Default()
	for _, n := range []int{256, 512, 1024, 2048} {
		for _, t := range []Transpose{NoTrans, Trans} {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%s/%d/threads=%d", k.Name(), t.short(), n, threads), func(b *testing.B) {
					a := benchDense(n, n)
					x, y := make([]float32, n), make([]float32, n)
					for b.Loop() {
						gemv(k, threads, t, 1, a, x, y)
					}
					b.ReportMetric(2*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkVectorThreads times Axpy and Dot of n elements on one and two
// threads whatever the length, which is how parallelVector was chosen.
//
//	go test -run '^$' -bench VectorThreads ./mat/
func BenchmarkVectorThreads(b *testing.B) {
	k := asm.Default()
	for _, n := range []int{1 << 16, 1 << 18, 1 << 20, 1 << 24} {
		x, y := benchDense(1, n).Data, benchDense(1, n).Data
		for _, op := range []vecOp{vecAxpy, vecDot} {
			for _, threads := range []int{1, 2} {
				name := map[vecOp]string{vecAxpy: "axpy", vecDot: "dot"}[op]
				b.Run(fmt.Sprintf("%s/%s/%d/threads=%d", k.Name(), name, n, threads), func(b *testing.B) {
					for b.Loop() {
						vector(k, threads, op, 1e-3, x, y)
					}
					b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
				})
			}
		}
	}
}
