// Package testkit holds small helpers that the tests of several packages
// share.
package testkit

import (
	"fmt"
	"math"
	"testing"
)

// PanicMessage returns what f panics with, formatted with fmt.Sprint, or ""
// if f returns normally.
func PanicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// SameBits reports whether a and b hold the same float32 values bit for
// bit: NaN payloads and the signs of zeros count.
func SameBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// AllocsPerRun is testing.AllocsPerRun, measured up to three times and
// the least kept. The runtime's own work in the same window (a timer's
// goroutine, a sync.Pool emptied by a collection that another goroutine
// set off) is counted too, and on a loaded machine it can land in one
// measurement; an allocation of f's own shows in every one.
func AllocsPerRun(runs int, f func()) float64 {
	least := math.Inf(1)
	for range 3 {
		if n := testing.AllocsPerRun(runs, f); n < least {
			least = n
		}
		if least == 0 {
			break
		}
	}
	return least
}
