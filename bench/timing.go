package main

import (
	"fmt"
	"math"
	"time"
)

// batches is the number of timed batches of each measurement; the best
// one is reported.
const batches = 3

// measure times f and returns its best time per call, in nanoseconds.
//
// It calls f once as a warm-up (page faults, packing buffers, thread
// pools), then check, if not nil, which looks at what that call computed:
// a failed check is returned as an error and nothing is timed. Then it runs
// batches of calls, growing the number of calls per batch until one lasts
// at least minTime/batches, and keeps going until it has that many batches
// of that length (so the op runs for at least minTime in all); the time per
// call of the fastest batch is the result: the best of 3, which shrugs off
// interruptions by other processes better than a mean.
func measure(minTime time.Duration, f func(), check func() error) (float64, error) {
	f()
	if check != nil {
		if err := check(); err != nil {
			return 0, err
		}
	}
	target := minTime / batches
	calls, done := 1, 0
	best := math.Inf(1)
	for done < batches {
		start := time.Now()
		for range calls {
			f()
		}
		d := time.Since(start)
		if d < target {
			calls = nextCalls(calls, d, target)
			continue
		}
		done++
		best = min(best, float64(d.Nanoseconds())/float64(calls))
	}
	return best, nil
}

// nextCalls is the number of calls to try after calls took d, short of
// target: enough to reach it with a fifth to spare, at least one more and
// at most a hundred times more.
func nextCalls(calls int, d, target time.Duration) int {
	next := 100 * calls
	if d > 0 {
		next = min(next, int(1.2*float64(calls)*float64(target)/float64(d))+1)
	}
	return max(next, calls+1)
}

// checkClose returns an error unless |got − want| ≤ tol, naming what was
// checked.
func checkClose(what string, got float32, want, tol float64) error {
	if d := math.Abs(float64(got) - want); !(d <= tol) {
		return fmt.Errorf("%s is %g, want %g (float64 reference; |difference| %.3g > tolerance %.3g)", what, got, want, d, tol)
	}
	return nil
}
