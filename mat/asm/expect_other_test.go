//go:build purego || !(amd64 || arm64)

package asm

func expectedKernels() []string { return []string{"generic"} }
