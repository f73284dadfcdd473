//go:build !purego

package asm

import "golang.org/x/sys/cpu"

// expectedKernels returns the implementations this machine should have,
// fastest first: avx512 where the CPU and the OS support AVX-512F besides
// AVX2 and FMA, then avx2fma where they support AVX2 and FMA, then generic.
func expectedKernels() []string {
	var want []string
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		if cpu.X86.HasAVX512F {
			want = append(want, "avx512")
		}
		want = append(want, "avx2fma")
	}
	return append(want, "generic")
}
