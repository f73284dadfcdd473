//go:build purego || !(amd64 || arm64)

package asm

// archKernels returns no assembly implementation: this build has none.
func archKernels() []Kernels { return nil }
