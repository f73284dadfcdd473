package layer_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// inferenceModels are the networks of the inference benchmarks: ReLU MLPs
// as bench/ builds them, from layer.ManualSeed(0).
var inferenceModels = [][]int{{784, 256, 128, 10}, {1024, 1024, 1024, 10}}

func mlp(sizes []int) *layer.Sequential {
	g := layer.ManualSeed(0)
	var ls []layer.Layer
	for i := 1; i < len(sizes); i++ {
		if i > 1 {
			ls = append(ls, layer.NewReLU())
		}
		ls = append(ls, layer.NewLinear(sizes[i-1], sizes[i], g))
	}
	return layer.NewSequential(ls...)
}

// BenchmarkPredict times Sequential.Predict into a caller's dst, one and
// two threads (mat.SetThreads), as bench -ops infer times it against
// PyTorch under torch.inference_mode():
//
//	go test -run '^$' -bench Predict ./layer/
func BenchmarkPredict(b *testing.B) {
	for _, sizes := range inferenceModels {
		model := mlp(sizes)
		for _, batch := range []int{1, 32, 256} {
			x := layer.ManualSeed(1).Rand(batch, sizes[0])
			dst := mat.NewDense(batch, sizes[len(sizes)-1], nil)
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%v/batch=%d/threads=%d", sizes, batch, threads), func(b *testing.B) {
					defer mat.SetThreads(mat.SetThreads(threads))
					b.ReportAllocs()
					for b.Loop() {
						model.Predict(x, dst)
					}
				})
			}
		}
	}
}

// BenchmarkServe has 1, 8 and 64 goroutines predict one sample each,
// over and over, on one model, as a server answering requests does, and
// reports the predictions per second of all of them together and the
// 99th percentile of the time of one Predict call.
//
//	go test -run '^$' -bench Serve ./layer/
func BenchmarkServe(b *testing.B) {
	for _, sizes := range inferenceModels {
		model := mlp(sizes)
		for _, clients := range []int{1, 8, 64} {
			b.Run(fmt.Sprintf("%v/goroutines=%d", sizes, clients), func(b *testing.B) {
				serve(b, model, sizes, clients)
			})
		}
	}
}

func serve(b *testing.B, model *layer.Sequential, sizes []int, clients int) {
	xs := make([]*mat.Dense, clients)
	dsts := make([]*mat.Dense, clients)
	for i := range xs {
		xs[i] = layer.ManualSeed(uint64(i)).Rand(1, sizes[0])
		dsts[i] = mat.NewDense(1, sizes[len(sizes)-1], nil)
		model.Predict(xs[i], dsts[i])
	}
	// Each goroutine makes its share of b.N calls and records the time of
	// each in its own slice.
	lat := make([][]time.Duration, clients)
	for i := range lat {
		lat[i] = make([]time.Duration, 0, b.N/clients+1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i := range clients {
		n := b.N / clients
		if i < b.N%clients {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				t0 := time.Now()
				model.Predict(xs[i], dsts[i])
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "predictions/s")
	b.ReportMetric(float64(all[len(all)*99/100].Nanoseconds())/1e3, "p99-µs")
	b.ReportMetric(0, "ns/op") // the elapsed time over b.N says nothing more than predictions/s
}
