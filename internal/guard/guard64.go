package guard

import (
	"math"
	"testing"
	"unsafe"
)

// Sentinel64 is the float64 twin of Sentinel: a NaN with a payload no
// arithmetic produces, written around heap-allocated float64 test slices.
var Sentinel64 = math.Float64frombits(0x7ff4a5a5a5a5a5a5)

// Alloc64 is Alloc for float64: a slice of n float64 (zeroed) flush
// against a protected page on the given side (where Supported; a heap
// slice elsewhere). It is the memory of Alloc(t, 2n, side), whose start
// is 8-byte aligned on both sides: a page boundary, or the page's end less
// 8n bytes.
func Alloc64(t testing.TB, n int, side Side) []float64 {
	t.Helper()
	s := Alloc(t, 2*n, side)
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), n)
}

// Padded64 is Padded for float64: a heap slice of n elements starting off
// elements into its backing array, with pad Sentinel64 elements on both
// sides, and a function that fails the test if any of them changed. The
// slice's capacity is n.
func Padded64(t testing.TB, n, off, pad int) ([]float64, func()) {
	t.Helper()
	buf := make([]float64, off+n+pad+pad)
	for i := range buf {
		buf[i] = Sentinel64
	}
	lo, hi := pad+off, pad+off+n
	check := func() {
		t.Helper()
		for i, v := range buf {
			if (i < lo || i >= hi) && math.Float64bits(v) != math.Float64bits(Sentinel64) {
				t.Fatalf("element %d outside the slice [%d:%d] was overwritten with %v", i-lo, lo, hi, v)
			}
		}
	}
	return buf[lo:hi:hi], check
}
