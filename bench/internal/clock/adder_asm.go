//go:build (amd64 || arm64) && !purego

package clock

// addChain returns 16·n·inc (0 if n ≤ 0), computed as 16·n additions of inc to one
// register, each depending on the one before:
//
//	for i := 0; i < 16*n; i++ {
//		sum += inc
//	}
//	return sum
//
// Implemented in clock_amd64.s and clock_arm64.s.
//
//go:noescape
func addChain(n, inc int) int

// adder is the dependent-add chain that Measure times.
var adder = addChain
