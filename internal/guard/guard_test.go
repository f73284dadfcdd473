package guard

import (
	"runtime/debug"
	"testing"
	"unsafe"
)

// TestGuardFaults proves the mechanism the kernel tests rely on: touching one
// element past the end, or before the start, of a guarded slice panics
// under Do instead of passing silently.
func TestGuardFaults(t *testing.T) {
	if !Supported {
		t.Skip("no protected pages on this system")
	}
	for _, n := range []int{0, 1, 7, 1024, 1025} {
		for _, side := range []Side{End, Start} {
			s := Alloc(t, n, side)
			for i := range s {
				s[i] = float32(i) // the whole slice is writable
			}
			off := n // one past the end
			if side == Start {
				off = -1
			}
			p := (*float32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), off*4))
			if !faults(func() { _ = *p }) {
				t.Errorf("n=%d %v: reading element %d did not fault", n, side, off)
			}
			if !faults(func() { *p = 1 }) {
				t.Errorf("n=%d %v: writing element %d did not fault", n, side, off)
			}
		}
	}
}

func faults(f func()) (faulted bool) {
	defer func() { faulted = recover() != nil }()
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	f()
	return false
}

// fakeT records Fatalf instead of ending the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Fatalf(string, ...any) { f.failed = true }

func TestPaddedCatchesStrayWrite(t *testing.T) {
	for _, off := range []int{-1, 5} { // just before and just after the slice
		ft := &fakeT{TB: t}
		s, check := Padded(ft, 5, 3, 4)
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
		*(*float32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), off*4)) = 2
		check()
		if !ft.failed {
			t.Errorf("a write to element %d went unnoticed", off)
		}
	}
}
