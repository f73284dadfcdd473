package gonumblas

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// panicOf returns what f panics with, or nil.
func panicOf(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// Every overridden routine panics as gonum's does, with the same message
// for the same bad argument, checked in the same order: each case is run
// on gonum's implementation and on ours, float64 and float32.
func TestPanicsAsGonum(t *testing.T) {
	// Inputs and outputs are separate slices (c, y), as BLAS requires.
	x, y := make([]float64, 8), make([]float64, 8)
	a, c := make([]float64, 64), make([]float64, 64)
	x32, y32 := make([]float32, 8), make([]float32, 8)
	a32, c32 := make([]float32, 64), make([]float32, 64)
	type call func(b blas.Float64, s blas.Float32)
	var cases []call
	ints := []int{-1, 0, 1, 2, 3, 4, 9}
	for _, m := range ints {
		for _, n := range ints {
			for ki, k := range []int{-1, 0, 2, 5} {
				// One bad value of each enumeration, three good ones.
				tA := []blas.Transpose{blas.NoTrans, 0, blas.ConjTrans, blas.Trans}[ki]
				ul := []blas.Uplo{blas.Lower, blas.Upper, 0, blas.Lower}[ki]
				side := []blas.Side{blas.Left, blas.Right, blas.Right, 0}[ki]
				diag := []blas.Diag{0, blas.Unit, blas.NonUnit, blas.Unit}[ki]
				for _, ld := range []int{0, 1, 3, 9} {
					cases = append(cases,
						func(b blas.Float64, s blas.Float32) {
							b.Dgemm(blas.NoTrans, blas.Trans, m, n, k, 1, a, ld, a[:9], ld, 0, c, ld)
							s.Sgemm(blas.Trans, blas.NoTrans, m, n, k, 1, a32[:9], ld, a32, ld, 0, c32, ld)
						},
						func(b blas.Float64, s blas.Float32) {
							b.Dsyrk(blas.Upper, blas.Trans, n, k, 1, a[:m+9], ld, 0, c, ld)
							s.Ssyr2k(blas.Lower, blas.NoTrans, n, k, 1, a32, ld, a32[:m+9], ld, 0, c32, ld)
						},
						func(b blas.Float64, s blas.Float32) {
							b.Dsymm(side, blas.Upper, m, n, 1, a, ld, a[:9], ld, 0, c, ld)
							s.Ssymm(blas.Left, ul, m, n, 1, a32[:9], ld, a32, ld, 0, c32, ld)
						},
						func(b blas.Float64, s blas.Float32) {
							b.Dtrsm(blas.Right, blas.Lower, tA, blas.Unit, m, n, 1, a[:9], ld, c, ld)
							s.Strmm(blas.Left, blas.Upper, blas.Trans, diag, m, n, 1, a32, ld, c32[:9], ld)
						},
						func(b blas.Float64, s blas.Float32) {
							b.Dgemv(tA, m, n, 1, a[:9], ld, x, k, 0, y[:5], m)
							s.Sger(m, n, 1, x32, k, y32[:3], n, c32, ld)
						},
						func(b blas.Float64, s blas.Float32) {
							b.Dsymv(ul, n, 1, a[:m+3], ld, x, m, 0, y[:5], k)
							s.Strsv(blas.Upper, tA, blas.NonUnit, n, a32, ld, x32[:m], k)
							b.Dtrmv(blas.Lower, blas.NoTrans, diag, n, a, ld, x[:m], k)
						},
						func(b blas.Float64, s blas.Float32) {
							b.Daxpy(n, 1, x[:m], k, y, ld-1)
							_ = s.Sdot(n, x32, k, y32[:m], ld-1)
							b.Dscal(n, 2, x[:m], k)
							_ = s.Snrm2(n, x32[:m], k)
							_ = b.Dasum(n, x[:m], k)
							_ = b.Idamax(n, x[:m], k)
						},
					)
				}
			}
		}
	}
	seen := map[string]bool{}
	for i, c := range cases {
		want := panicOf(func() { c(ref, ref) })
		seen[fmt.Sprint(want)] = true
		got := panicOf(func() { c(impl, impl) })
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("case %d: panics with %v, gonum with %v", i, got, want)
		}
	}
	// Each of gonum's messages comes up.
	for _, msg := range []string{zeroIncX, zeroIncY, mLT0, nLT0, kLT0, badUplo, badTranspose, badDiag, badSide,
		badLdA, badLdB, badLdC, shortX, shortY, shortA, shortB, shortC} {
		if !seen[msg] {
			t.Errorf("no case panics with %q", msg)
		}
	}
	t.Logf("%d cases", len(cases))
}
