// Package guard gives tests float32 slices that end, or start, flush against
// a page the process may not touch, so that a kernel that reads or writes a
// single element outside its slice faults instead of passing by luck.
//
// Where the operating system has no mmap (Windows, wasm) the slices come
// from the Go heap with sentinel padding instead, and [Supported] is false.
package guard

import (
	"fmt"
	"math"
	"runtime/debug"
	"testing"
)

// Side says where the protected page lies.
type Side int

const (
	// End places the slice so that its last element is the last float32
	// before a protected page: one element past the end faults.
	End Side = iota
	// Start places the slice so that its first element is the first float32
	// after a protected page: one element before the start faults.
	Start
)

func (s Side) String() string {
	if s == Start {
		return "guard-start"
	}
	return "guard-end"
}

// Do runs f with faults turned into panics (debug.SetPanicOnFault) and
// reports a fault or any other panic in f as a test failure naming what.
// The setting is per goroutine, so every test that touches guarded memory
// calls its kernels through Do.
func Do(t testing.TB, what string, f func()) {
	t.Helper()
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: panic: %v", what, r)
		}
	}()
	f()
}

// Sentinel is the bit pattern written around heap-allocated test slices:
// a NaN with a payload no arithmetic produces.
var Sentinel = math.Float32frombits(0x7fa5a5a5)

// Padded returns a heap slice of n elements starting off elements into its
// backing array, with pad sentinel elements on both sides, and a function
// that fails the test if any sentinel changed. The slice's capacity is n.
func Padded(t testing.TB, n, off, pad int) ([]float32, func()) {
	t.Helper()
	buf := make([]float32, off+n+pad+pad)
	for i := range buf {
		buf[i] = Sentinel
	}
	lo, hi := pad+off, pad+off+n
	check := func() {
		t.Helper()
		for i, v := range buf {
			if (i < lo || i >= hi) && math.Float32bits(v) != math.Float32bits(Sentinel) {
				t.Fatalf("element %d outside the slice [%d:%d] was overwritten with %v", i-lo, lo, hi, v)
			}
		}
	}
	return buf[lo:hi:hi], check
}

func pages(n, pageSize int) int {
	bytes := n * 4
	return (bytes + pageSize - 1) / pageSize
}

func describe(n int, side Side) string { return fmt.Sprintf("%d floats, %v", n, side) }
