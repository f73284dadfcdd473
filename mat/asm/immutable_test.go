package asm_test

import (
	"slices"
	"testing"

	"github.com/pente-go/pente/mat/asm"
	"github.com/stretchr/testify/require"
)

// TestKernelsImmutable tries, through the exported API alone, what a
// careless or hostile caller can do to a kernel set, and checks that no
// kernel and no block size changes: Blocks and Available return copies, and
// overwriting a Kernels that Default or Lookup returned changes only that
// copy.
func TestKernelsImmutable(t *testing.T) {
	names := asm.Available()
	for _, name := range names {
		k, ok := asm.Lookup(name)
		require.True(t, ok, name)
		want := k.Blocks()
		b := k.Blocks()
		b.MR, b.NR, b.MC, b.KC, b.NC = 1, 1, 0, 0, -1
		require.Equal(t, want, k.Blocks(), "%s: Blocks after changing a copy of them", name)

		// The micro-kernel still computes its own MR×NR tile: panels sized
		// by the changed copy are refused, panels of its size multiplied.
		require.Panics(t, func() { k.Gemm(2, 1, make([]float32, 2*b.MR), make([]float32, 2*b.NR), 0, make([]float32, b.NR), b.NR) },
			"%s: Gemm with panels for MR = NR = 1", name)
		a, p, c := slices.Repeat([]float32{1}, 2*want.MR), slices.Repeat([]float32{1}, 2*want.NR), make([]float32, want.MR*want.NR)
		k.Gemm(2, 1, a, p, 0, c, want.NR)
		require.Equal(t, slices.Repeat([]float32{2}, want.MR*want.NR), c, "%s: the %d×%d tile of a depth-2 product of ones", name, want.MR, want.NR)
	}

	got := asm.Available()
	got[0] = "corrupt"
	require.Equal(t, names, asm.Available(), "Available after changing a copy of it")
	_, ok := asm.Lookup(names[0])
	require.True(t, ok, names[0])
	_, ok = asm.Lookup("corrupt")
	require.False(t, ok, "Lookup of a name changed in a copy of Available")

	// Overwriting the Kernels that Default returned changes that copy, not
	// the default: the next Default is the set chosen at start-up, its
	// kernels and block sizes unchanged. A zero Kernels panics when used,
	// instead of reporting zero block sizes (a gemm driver would loop
	// forever over blocks of depth KC = 0) or running a nil kernel.
	k := asm.Default()
	name, blocks := k.Name(), k.Blocks()
	k = asm.Kernels{}
	require.Panics(t, func() { k.Blocks() }, "Blocks of a zero Kernels")
	require.Panics(t, func() { k.Axpy(1, []float32{1}, []float32{1}) }, "Axpy of a zero Kernels")
	k, _ = asm.Lookup("generic")
	require.Equal(t, "generic", k.Name())
	require.Equal(t, name, asm.Default().Name())
	require.Equal(t, blocks, asm.Default().Blocks())
}
