// Package gonumblas is a BLAS for gonum on pente's kernels: one line,
//
//	blas64.Use(gonumblas.Implementation{})
//
// and gonum's mat (Dense.Mul, Cholesky, LU, QR, Solve, …) and lapack run
// their float64 products, factorizations and solves on pente's assembly,
// cgo-free, on amd64 and arm64 (blas32.Use does the same for float32).
//
// # Which routines are pente's
//
// [Implementation] embeds gonum's own implementation and overrides, in
// both precisions (D and S):
//
//	Level 3  gemm                   pente's gemm, directly
//	         syrk, syr2k            recursive halving; every block, the diagonal ones included, by gemm
//	         symm                   diagonal blocks expanded to full ones, everything by gemm
//	         trmm, trsm             recursive halving; off-diagonal blocks by gemm, diagonal blocks of at most 16 by gonum
//	Level 2  gemv, ger              pente's, directly
//	         symv, trsv, trmv       block rows of 64: off-diagonal blocks by gemv, diagonal blocks by gonum
//	Level 1  axpy, dot, scal        pente's, directly, any increments
//	         nrm2                   √(x·x) on pente's dot; gonum's scaled algorithm when that sum over- or underflows
//	         asum                   four partial sums
//	         idamax                 unit increment: two branch-free passes over the bits of |x|, gonum's index
//
// Everything else (the banded and packed routines, rot, swap, copy, isamax,
// strided idamax, the complex routines) is gonum's.
//
// # Arguments
//
// Every routine checks its arguments in gonum's order and panics with
// gonum's messages ("blas: bad leading dimension of A", "blas: insufficient
// length of x", …), so gonum's testblas suites and callers see what they
// expect; the lengths are compared in arithmetic that cannot overflow. As
// in BLAS, beta = 0 ignores C's (or y's) old values, NaN included, and
// negative increments start at the end of the vector. Results differ from
// gonum's in the last bits only, by the order of summation.
package gonumblas
