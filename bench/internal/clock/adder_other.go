//go:build !(amd64 || arm64) || purego

package clock

// adder is nil where no assembly chain exists: the clock cannot be
// measured and -peak must be given.
var adder func(n, inc int) int
