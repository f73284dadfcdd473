package gonumblas

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// BenchmarkRoutines times each overridden routine that is more than a
// direct call of pente's, on gonum's implementation and on this one, at
// n = 512 (and the shapes gonum's lapack gives them: a 64-wide panel).
//
//	go test -run '^$' -bench Routines -benchtime 20x
func BenchmarkRoutines(b *testing.B) {
	const n, nb = 512, 64
	r := rand.New(rand.NewPCG(1, 2))
	a := randMat(r, n, n, n)
	dominant(a, n, n, blas.NonUnit)
	c := randMat(r, n, n, n)
	x := randVec(r, n, 1)
	cases := []struct {
		name string
		run  func(blas.Float64)
	}{
		{"Dsyrk512", func(b blas.Float64) { b.Dsyrk(blas.Upper, blas.Trans, n, n, -1, a, n, 1, c, n) }},
		{"Dsyrk64x512", func(b blas.Float64) { b.Dsyrk(blas.Upper, blas.Trans, nb, n, -1, a, n, 1, c, n) }},
		{"Dsymm512", func(b blas.Float64) { b.Dsymm(blas.Left, blas.Lower, n, n, 1, a, n, a, n, 0, c, n) }},
		{"DtrsmLeft512", func(b blas.Float64) {
			b.Dtrsm(blas.Left, blas.Upper, blas.Trans, blas.NonUnit, n, n, 1, a, n, c, n)
		}},
		{"DtrsmPanel64", func(b blas.Float64) { // Dpotrf's
			b.Dtrsm(blas.Left, blas.Upper, blas.Trans, blas.NonUnit, nb, n, 1, a, n, c, n)
		}},
		{"DtrmmRight512", func(b blas.Float64) {
			b.Dtrmm(blas.Right, blas.Lower, blas.NoTrans, blas.Unit, n, n, 0.5, a, n, c, n)
		}},
		{"DgemvN512", func(b blas.Float64) { b.Dgemv(blas.NoTrans, n, n, 1, a, n, x, 1, 0, c, 1) }},
		{"DgemvT512", func(b blas.Float64) { b.Dgemv(blas.Trans, n, n, 1, a, n, x, 1, 0, c, 1) }},
		{"DgemvN64x512", func(b blas.Float64) { b.Dgemv(blas.NoTrans, nb, n, 1, a, n, x, 1, 0, c, 1) }},
		{"Dsymv512", func(b blas.Float64) { b.Dsymv(blas.Upper, n, 1, a, n, x, 1, 0, c, 1) }},
		{"Dtrsv512", func(b blas.Float64) { b.Dtrsv(blas.Upper, blas.Trans, blas.NonUnit, n, a, n, x, 1) }},
		{"Dtrmv512", func(b blas.Float64) { b.Dtrmv(blas.Lower, blas.NoTrans, blas.Unit, n, a, n, x, 1) }},
		{"Dnrm2", func(b blas.Float64) { b.Dnrm2(n*n, c, 1) }},
		{"Dasum", func(b blas.Float64) { b.Dasum(n*n, c, 1) }},
	}
	for _, cs := range cases {
		for _, im := range []struct {
			name string
			impl blas.Float64
		}{{"gonum", ref}, {"pente", impl}} {
			b.Run(cs.name+"/"+im.name, func(b *testing.B) {
				for b.Loop() {
					cs.run(im.impl)
				}
			})
		}
	}
}
