// Package clock measures the clock of the core it runs on, for the
// benchmark's peak: a chain of dependent integer additions, written in
// assembly (clock_amd64.s, clock_arm64.s) so that nothing folds it, runs at
// one addition per cycle on every amd64 and arm64 core.
//
// It is a package of its own because the benchmark's main package uses cgo
// when built with -tags openblas, and a package using cgo cannot hold Go
// assembly.
package clock

import (
	"errors"
	"runtime"
	"time"
)

// Adds is the number of dependent additions Measure times in each of its
// runs: about 0.1 s at 3 GHz.
const Adds = 320_000_000

// Measure returns the core clock in GHz: Adds dependent additions over the
// fastest of five runs, after one run as warm-up, which lets the core leave
// any idle state. It returns an error where there is no addition chain in
// assembly (architectures other than amd64 and arm64, or -tags purego).
//
// The clock so measured is the one of scalar code. Some cores run wide
// vector code at a lower clock, so a peak derived from it is an upper
// bound.
func Measure() (float64, error) {
	if adder == nil {
		return 0, errors.New("no clock measurement on " + runtime.GOARCH + " (or with -tags purego)")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const n = Adds / 16
	adder(n, 1)
	best := time.Duration(1<<63 - 1)
	for range 5 {
		start := time.Now()
		if adder(n, 1) != 16*n {
			return 0, errors.New("the addition chain returned a wrong sum")
		}
		best = min(best, time.Since(start))
	}
	return float64(Adds) / best.Seconds() / 1e9, nil
}
