//go:build !purego

package asm

import "golang.org/x/sys/cpu"

func expectedKernels() string {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		return "avx2fma"
	}
	return "generic"
}
