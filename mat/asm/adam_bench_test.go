package asm

import (
	"math"
	"testing"
)

// BenchmarkAdam runs one Adam step (AdamW defaults at step 10, no
// AMSGrad) over n parameters, the 235,146 of a 784-256-128-10 MLP and 16M,
// reporting the bytes it moves (θ, g, m, v read, θ, m, v written: 28 per
// parameter); BenchmarkAdamCopy is copy() of n floats (8 bytes a float,
// read and written), the machine's copy bandwidth to compare it with:
//
//	go test -run '^$' -bench 'Adam' ./mat/asm/
func BenchmarkAdam(b *testing.B) {
	s := AdamStep{Decay: float32(1 - 1e-3*1e-2), Beta1: 0.9, OneMinusBeta1: float32(1 - 0.9), Beta2: 0.999,
		OneMinusBeta2: float32(1 - 0.999), BC2Sqrt: float32(math.Sqrt(1 - math.Pow(0.999, 10))), Eps: 1e-8,
		Alpha: float32(-1e-3 / (1 - math.Pow(0.9, 10)))}
	for _, k := range all {
		for _, n := range adamBenchSizes {
			b.Run(k.name+"/"+n.name, func(b *testing.B) {
				theta, g, m, v := benchVec(n.n), benchVec(n.n), benchVec(n.n), benchVec(n.n)
				for i := range v {
					v[i] *= v[i]
				}
				b.SetBytes(int64(28 * n.n))
				for b.Loop() {
					k.Adam(&s, theta, g, m, v, nil)
				}
			})
		}
	}
}

func BenchmarkAdamCopy(b *testing.B) {
	for _, n := range adamBenchSizes {
		b.Run(n.name, func(b *testing.B) {
			x, y := benchVec(n.n), benchVec(n.n)
			b.SetBytes(int64(8 * n.n))
			for b.Loop() {
				copy(y, x)
			}
		})
	}
}

var adamBenchSizes = []struct {
	name string
	n    int
}{{"235K", 235146}, {"16M", 16 << 20}}
