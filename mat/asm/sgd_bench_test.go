package asm

import "testing"

// BenchmarkSGD runs one SGD step with momentum 0.9 (past the first) over
// n parameters, the 235,146 of a 784-256-128-10 MLP and 16M, fused
// ("fused": θ, g, buf read, θ and buf written, 20 bytes a parameter) and
// as the passes of Scal and Axpy it replaces ("passes": 32 bytes a
// parameter), on every implementation:
//
//	go test -run '^$' -bench 'SGD' ./mat/asm/
func BenchmarkSGD(b *testing.B) {
	s := SGDStep{Momentum: 0.9, OneMinusDampening: 1, Alpha: -0.01}
	for _, k := range all {
		for _, n := range adamBenchSizes {
			theta, g, buf := benchVec(n.n), benchVec(n.n), benchVec(n.n)
			b.Run(k.name+"/fused/"+n.name, func(b *testing.B) {
				b.SetBytes(int64(20 * n.n))
				for b.Loop() {
					k.SGD(&s, theta, g, buf)
				}
			})
			b.Run(k.name+"/passes/"+n.name, func(b *testing.B) {
				b.SetBytes(int64(20 * n.n))
				for b.Loop() {
					k.Scal(s.Momentum, buf)
					k.Axpy(s.OneMinusDampening, g, buf)
					k.Axpy(s.Alpha, buf, theta)
				}
			})
		}
	}
}
