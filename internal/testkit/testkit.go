// Package testkit holds small helpers that the tests of several packages
// share.
package testkit

import (
	"fmt"
	"math"
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
