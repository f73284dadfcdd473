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
// the one write the language allows through a *Kernels, overwriting the
// Kernels it points to, replaces a handle and nothing behind it.
func TestKernelsImmutable(t *testing.T) {
	names := asm.Available()
	for _, name := range names {
		k := asm.Lookup(name)
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
	require.NotNil(t, asm.Lookup(names[0]))
	require.Nil(t, asm.Lookup("corrupt"))

	// Overwriting the default set's Kernels leaves a zero handle, which
	// panics when used instead of reporting zero block sizes (a gemm
	// driver would loop forever over blocks of depth KC = 0) or running a
	// nil kernel; copying another set in makes it a handle of that set,
	// its kernels and block sizes together.
	k := asm.Default()
	name, blocks := k.Name(), k.Blocks()
	saved, generic := *k, *asm.Lookup("generic")
	t.Cleanup(func() { *k = saved })
	*k = asm.Kernels{}
	require.Panics(t, func() { k.Blocks() }, "Blocks of a zero Kernels")
	require.Panics(t, func() { k.Axpy(1, []float32{1}, []float32{1}) }, "Axpy of a zero Kernels")
	*k = generic
	require.Equal(t, "generic", k.Name())
	require.Equal(t, generic.Blocks(), k.Blocks())
	*k = saved
	require.Equal(t, name, asm.Default().Name())
	require.Equal(t, blocks, asm.Default().Blocks())
}
