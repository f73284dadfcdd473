package guard

import (
	"testing"
	"unsafe"
)

// TestGuard64Faults: one float64 past the end, or before the start, of an
// Alloc64 slice faults, and the whole slice is usable.
func TestGuard64Faults(t *testing.T) {
	if !Supported {
		t.Skip("no protected pages on this system")
	}
	for _, n := range []int{0, 1, 7, 512, 513} {
		for _, side := range []Side{End, Start} {
			s := Alloc64(t, n, side)
			for i := range s {
				s[i] = float64(i)
			}
			off := n
			if side == Start {
				off = -1
			}
			p := (*float64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), off*8))
			if !faults(func() { _ = *p }) {
				t.Errorf("n=%d %v: reading element %d did not fault", n, side, off)
			}
		}
	}
}

func TestPadded64CatchesStrayWrite(t *testing.T) {
	for _, off := range []int{-1, 5} {
		ft := &fakeT{TB: t}
		s, check := Padded64(ft, 5, 3, 4)
		if len(s) != 5 || cap(s) != 5 {
			t.Fatalf("len %d cap %d, want 5 5", len(s), cap(s))
		}
		for i := range s {
			s[i] = 1
		}
		check()
		if ft.failed {
			t.Fatal("writes inside the slice reported as stray")
		}
		*(*float64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), off*8)) = 2
		check()
		if !ft.failed {
			t.Errorf("a write to element %d went unnoticed", off)
		}
	}
}
