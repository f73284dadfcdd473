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
// # Kernel sets
//
// A [Kernels] is one implementation of every kernel, with the gemm block
// sizes ([Blocks]: MR, NR, MC, KC, NC) that belong to its micro-kernel. Its
// kernels are methods: the level-1 [Kernels.Axpy], [Kernels.Dot] and
// [Kernels.Scal]; the level-2 [Kernels.GemvN], [Kernels.GemvT] and
// [Kernels.Ger]; the MR×NR micro-kernel [Kernels.Gemm]; and the two packers
// of the gemm driver in package mat, [Kernels.PackRows] and
// [Kernels.PackCols], which copy a block of op(A) or op(B) into the
// micro-panels the micro-kernel reads (the assembly packs the full panels
// of the set's own widths, MR and NR, and leaves the edge panels, and any
// other width, to the pure-Go reference). [Kernels.Name] and
// [Kernels.Blocks] say which set it is and what its block sizes are.
//
// # float64
//
// The same Kernels value holds the float64 kernels of its set: methods of
// the same names with a D prefix, as BLAS's d, and the same
// specifications with float64 elements: [Kernels.DAxpy], [Kernels.DDot],
// [Kernels.DScal], [Kernels.DGemvN], [Kernels.DGemvT], [Kernels.DGer],
// the micro-kernel [Kernels.DGemm] and the packers [Kernels.DPackRows] and
// [Kernels.DPackCols]. The float64 micro-kernel has a tile of its own, so
// [Kernels.DBlocks] gives its block sizes (MR, NR, MC, KC, NC): a vector
// register holds half as many float64 as float32, and each set's float64
// tile has half the columns of its float32 one (6×8 against 6×16 on
// AVX2+FMA, 8×6 against 8×12 on NEON), on the same registers. One choice
// of set (PENTE_KERNELS, Default) selects both precisions. The pure-Go
// references are in generic64.go; the checks, their messages
// ("asm: dgemm: ...") and the race-detector annotations are those of
// float32.
//
// A Kernels is immutable: its fields are unexported and Blocks returns a
// copy, so no caller can change a kernel or a block size that package mat
// relies on. A Kernels is a value, a handle of a set the package keeps
// unexported: Default and Lookup return copies, so that overwriting one
// changes nothing for anyone else, and the zero Kernels panics when used.
//
// # Choosing a set
//
// [Available] returns the names of the sets that can run on this machine,
// fastest first: "avx512", "avx2fma", "neon" (each where the CPU and the
// operating system support it) and, always last, the pure-Go "generic".
// [Lookup] returns the set of a given name, and false if there is none.
// [Default] returns the set chosen once, at start-up, and [Active] its
// name: the fastest one, unless the environment variable PENTE_KERNELS
// ([EnvVar]) names another available set (PENTE_KERNELS=generic, for
// instance). An unknown or unavailable name is not fatal: one line on
// standard error says so and lists the available names, and the fastest
// set is used. [CPU] describes the processor for logs and benchmark
// reports.
//
// # Checks
//
// The kernels are low level: they take raw slices with explicit dimensions
// and leading dimensions, in the manner of BLAS, all matrices row-major.
// Every method checks its arguments before any assembly runs and panics
// with a message "asm: <kernel>: ..." naming the shapes when they do not
// fit. The checks keep one rule, written out in check.go: anything that
// passes is in bounds. Products of dimensions are computed so that they
// cannot overflow, negative values are refused, and so is any leading
// dimension above 2^48, even for a single row. Package mat validates shapes
// with friendlier messages first; most users want package mat.
//
// Under the race detector (go test -race), the methods tell it which
// memory the kernel is about to read and write, so that a data race between
// assembly and Go code, or between two kernels, is reported like any
// other; without -race that costs nothing.
package asm
