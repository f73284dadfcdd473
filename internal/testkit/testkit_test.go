package testkit

import (
	"errors"
	"math"
	"testing"
)

func TestPanicMessage(t *testing.T) {
	if got := PanicMessage(func() {}); got != "" {
		t.Errorf("no panic gave %q", got)
	}
	if got := PanicMessage(func() { panic("boom 3×4") }); got != "boom 3×4" {
		t.Errorf("got %q", got)
	}
	if got := PanicMessage(func() { panic(errors.New("err")) }); got != "err" {
		t.Errorf("got %q", got)
	}
}

func TestSameBits(t *testing.T) {
	nan := float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	for _, c := range []struct {
		a, b []float32
		want bool
	}{
		{nil, nil, true},
		{[]float32{1, nan}, []float32{1, nan}, true},
		{[]float32{0}, []float32{negZero}, false},
		{[]float32{1, 2}, []float32{1}, false},
		{[]float32{1, 2}, []float32{1, 2.0000002}, false},
	} {
		if got := SameBits(c.a, c.b); got != c.want {
			t.Errorf("SameBits(%v, %v) = %v", c.a, c.b, got)
		}
	}
}
