//go:build !unix

package guard

import "testing"

// Supported reports whether Alloc places slices against protected pages.
const Supported = false

// Alloc returns a heap slice of n float32: this system has no mmap, so
// nothing guards it. Tests still run; Padded catches stray writes there.
func Alloc(t testing.TB, n int, side Side) []float32 {
	return make([]float32, n)
}
