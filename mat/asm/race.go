//go:build race

package asm

import (
	"runtime"
	"unsafe"
)

// Under the race detector, the wrappers tell it about the memory each
// kernel is about to read and write, since it cannot see into assembly:
// a kernel racing with Go code, or with another kernel, on the same
// elements is then reported like any other data race. The wrappers call
// these after their checks, so the ranges are within the slices.

// raceRead reports a read of s[:n].
func raceRead[T float](s []T, n int) {
	if n > 0 {
		runtime.RaceReadRange(unsafe.Pointer(unsafe.SliceData(s)), n*int(unsafe.Sizeof(s[0])))
	}
}

// raceWrite reports a write of s[:n].
func raceWrite[T float](s []T, n int) {
	if n > 0 {
		runtime.RaceWriteRange(unsafe.Pointer(unsafe.SliceData(s)), n*int(unsafe.Sizeof(s[0])))
	}
}

// raceMat reports a read, or a write when write is true, of every row of
// the rows×cols matrix a with leading dimension ld, row by row so that the
// elements between rows (another view's) are not touched.
func raceMat[T float](rows, cols int, a []T, ld int, write bool) {
	if rows <= 0 || cols <= 0 {
		return
	}
	for i := 0; i < rows; i++ {
		p := unsafe.Pointer(&a[i*ld])
		if write {
			runtime.RaceWriteRange(p, cols*int(unsafe.Sizeof(a[0])))
		} else {
			runtime.RaceReadRange(p, cols*int(unsafe.Sizeof(a[0])))
		}
	}
}
