package approx

import (
	"math"
	"testing"
)

func TestClose(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		got       float32
		want, tol float64
		ok        bool
	}{
		{1, 1, 0, true},
		{1, 1 + 1e-7, 1e-6, true},
		{1, 1.1, 1e-6, false},
		{float32(nan), nan, 0, true},
		{1, nan, 1, false},
		{float32(nan), 1, 1e9, false},
		{float32(inf), inf, 0, true},
		{float32(-inf), inf, 1e9, false},
		{float32(inf), 1, 1e9, false},
		{3e38, inf, 1e9, false},
	} {
		if got := Close(c.got, c.want, c.tol); got != c.ok {
			t.Errorf("Close(%v, %v, %v) = %v", c.got, c.want, c.tol, got)
		}
	}
}

// TestBoundHolds sums float32 products in a bad order (the largest first,
// then many small ones), so that rounding errors really occur, and checks
// that the error stays within Bound.
func TestBoundHolds(t *testing.T) {
	const k = 4096
	var s32 float32
	var s64, mag float64
	for i := range k {
		p := float32(1.0 / float64(1+i%7)) // products of varied magnitude
		if i == 0 {
			p = 1 << 12
		}
		s32 += p
		s64 += float64(p)
		mag += math.Abs(float64(p))
	}
	err := math.Abs(float64(s32) - s64)
	if err > Bound(k, mag) {
		t.Fatalf("error %g beyond Bound %g", err, Bound(k, mag))
	}
	if err == 0 {
		t.Fatal("the float32 sum is exact: the test checks nothing")
	}
}
