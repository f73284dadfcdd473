//go:build !race

package asm

// Without the race detector there is nothing to tell it (see race.go).

func raceRead(s []float32, n int) {}

func raceWrite(s []float32, n int) {}

func raceMat(rows, cols int, a []float32, ld int, write bool) {}
