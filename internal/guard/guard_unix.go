//go:build unix

package guard

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Supported reports whether Alloc places slices against protected pages.
const Supported = true

// Alloc returns a slice of n float32 (zeroed) placed flush against a
// PROT_NONE page on the given side. With n == 0 the slice is empty and its
// pointer is the protected page itself. The memory is unmapped when the test
// ends.
func Alloc(t testing.TB, n int, side Side) []float32 {
	t.Helper()
	ps := unix.Getpagesize()
	data := pages(n, ps)
	mem, err := unix.Mmap(-1, 0, (data+1)*ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("guard: mmap %s: %v", describe(n, side), err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	var guardPage []byte
	var p unsafe.Pointer
	if side == End {
		guardPage = mem[data*ps:]
		p = unsafe.Pointer(unsafe.SliceData(mem[data*ps-n*4:]))
	} else {
		guardPage = mem[:ps]
		p = unsafe.Pointer(unsafe.SliceData(mem[ps:]))
	}
	if err := unix.Mprotect(guardPage, unix.PROT_NONE); err != nil {
		t.Fatalf("guard: mprotect %s: %v", describe(n, side), err)
	}
	return unsafe.Slice((*float32)(p), n)
}
