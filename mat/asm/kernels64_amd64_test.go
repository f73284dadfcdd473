//go:build !purego

package asm

import "testing"

// TestDGemm12x16AVX512 runs the AVX-512 float64 micro-kernel, which no set
// uses yet (see dgemm12x16AVX512), through the tests of every float64
// micro-kernel, where the CPU has AVX-512F.
func TestDGemm12x16AVX512(t *testing.T) {
	if !useAVX512 {
		t.Skip("no AVX-512F on this CPU: dgemm12x16AVX512 cannot run")
	}
	blocks := Blocks{MR: 12, NR: 16, MC: 144, KC: 256, NC: 4080}
	testDGemmMicro(t, newKernels("avx512-dgemm12x16", avx512.blocks, avx512.impl, blocks, withAVX2D(dgemm12x16AVX512)))
}
