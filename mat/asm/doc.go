// Package asm holds pente's compute kernels and the one place where the CPU
// is asked what it can do.
//
// Every kernel has a pure-Go reference in generic.go, compiled on every
// platform and under every build tag, so that tests anywhere can compare a
// fast version against it. On amd64 with AVX2 and FMA the kernels are
// hand-written Go assembly (files *_avx2_amd64.s); where AVX-512F is also
// available, the avx512 set replaces the gemm micro-kernel with one on zmm
// registers (gemm_avx512_12x32_amd64.s) and keeps the other AVX2 kernels. On
// arm64 they use NEON (files *_neon_arm64.s). The build tag purego compiles
// no assembly at all.
//
// Besides the BLAS kernels, each set has the two packers of the gemm driver
// in package mat, [Kernels.PackRows] and [Kernels.PackCols], which copy a
// block of op(A) or op(B) into the micro-panels its micro-kernel reads. The
// assembly packs the full panels of the set's own widths (MR and NR) and
// leaves the edge panels, and any other width, to the pure-Go reference.
//
// The kernels are grouped in a [Kernels] value together with the gemm block
// sizes that belong to its micro-kernel. [Default] returns the set chosen at
// start-up: the fastest one the CPU and operating system support, or the
// pure-Go set when the environment variable PENTE_KERNELS=generic is set.
// [Available] lists every set that can run on this machine, for tests and
// benchmarks.
//
// The kernels are low level: they take raw slices with explicit dimensions
// and leading dimensions, in the manner of BLAS. Each one checks that its
// slices are long enough for the dimensions it is given, and panics if they
// are not, before any assembly runs. Package mat validates shapes with
// friendlier messages first; most users want package mat.
package asm
