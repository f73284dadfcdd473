//go:build !race

package asm

// Without the race detector there is nothing to tell it (see race.go).

func raceRead[T float](s []T, n int) {}

func raceWrite[T float](s []T, n int) {}

func raceMat[T float](rows, cols int, a []T, ld int, write bool) {}
