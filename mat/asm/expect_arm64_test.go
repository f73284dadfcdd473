//go:build !purego

package asm

func expectedKernels() []string { return []string{"neon", "generic"} }
