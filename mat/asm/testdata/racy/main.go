// Command racy is the program that TestRaceDetectorSeesAssembly builds with
// -race and runs: one goroutine calls a kernel of the fastest available set
// (assembly wherever there is any) while another reads or writes the same
// memory in plain Go. Unsynchronised, that is a data race the detector sees
// only through the wrappers of package asm, since it cannot see into
// assembly; synchronised, there is none to see.
//
//	racy axpy|dot|gemm race|sync
package main

import (
	"fmt"
	"os"
	"sync"

	"github.com/pente-go/pente/mat/asm"
)

var sink float32

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: racy axpy|dot|gemm race|sync")
		os.Exit(2)
	}
	k := asm.Default()
	bl := k.Blocks()
	x, y := make([]float32, 64), make([]float32, 64)
	a, b, c := make([]float32, 4*bl.MR), make([]float32, 4*bl.NR), make([]float32, bl.MR*bl.NR)

	// The kernel and the access in Go touch an element in the middle of a
	// slice, not its first or last one.
	var kernel, other func()
	switch os.Args[1] {
	case "axpy": // the kernel writes y, Go writes y
		kernel = func() { k.Axpy(2, x, y) }
		other = func() { y[37] = 1 }
	case "dot": // the kernel reads x, Go writes x
		kernel = func() { sink = k.Dot(x, y) }
		other = func() { x[37] = 1 }
	case "gemm": // the kernel writes C, Go reads C
		kernel = func() { k.Gemm(4, 1, a, b, 0, c, bl.NR) }
		other = func() { sink = c[bl.NR+1] }
	default:
		fmt.Fprintf(os.Stderr, "racy: no kernel %q\n", os.Args[1])
		os.Exit(2)
	}

	// With sync, the Go access waits until the kernel has returned.
	synced := os.Args[2] == "sync"
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		kernel()
		close(done)
	}()
	go func() {
		defer wg.Done()
		if synced {
			<-done
		}
		other()
	}()
	wg.Wait()
	fmt.Printf("racy: %s %s on %s: done\n", os.Args[1], os.Args[2], k.Name())
}
