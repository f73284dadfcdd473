package gonumblas

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

// withBLAS runs f with impl as gonum's float64 BLAS, then restores
// gonum's own.
func withBLAS(impl blas.Float64, f func()) {
	blas64.Use(impl)
	defer blas64.Use(gonum.Implementation{})
	f()
}

func randDense(r *rand.Rand, rows, cols int) *mat.Dense {
	d := make([]float64, rows*cols)
	for i := range d {
		d[i] = 2*r.Float64() - 1
	}
	return mat.NewDense(rows, cols, d)
}

// spd is a·aᵀ + n·I, symmetric positive definite and well conditioned.
func spd(r *rand.Rand, n int) *mat.SymDense {
	a := randDense(r, n, n)
	s := mat.NewSymDense(n, nil)
	s.SymOuterK(1, a)
	for i := range n {
		s.SetSym(i, i, s.At(i, i)+float64(n))
	}
	return s
}

// maxDiff is max |a−b| over max(1, max |b|).
func maxDiff(a, b mat.Matrix) float64 {
	r, c := b.Dims()
	var d, m float64
	for i := range r {
		for j := range c {
			d = max(d, math.Abs(a.At(i, j)-b.At(i, j)))
			m = max(m, math.Abs(b.At(i, j)))
		}
	}
	return d / max(1, m)
}

// gonum's mat, on pente, gives gonum's results within 1e-10 of the largest
// element: products, Cholesky, LU and QR factors, and solves, at sizes that
// take lapack's blocked paths (its block size is 64).
func TestGonumMat(t *testing.T) {
	const tol = 1e-10
	r := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{1, 7, 64, 65, 150, 300} {
		a, b := randDense(r, n, n+3), randDense(r, n+3, n/2+1)
		s := spd(r, n)
		g := randDense(r, n, n)
		for i := range n {
			g.Set(i, i, g.At(i, i)+3)
		}
		rhs := randDense(r, n, 5)

		type result struct {
			mul, chol, lu, qr, solve mat.Dense
			det                      float64
		}
		run := func() (res result) {
			res.mul.Mul(a, b)
			var ch mat.Cholesky
			if !ch.Factorize(s) {
				t.Fatalf("n=%d: Cholesky fails", n)
			}
			var l mat.TriDense
			ch.LTo(&l)
			res.chol.CloneFrom(&l)
			var lu mat.LU
			lu.Factorize(g)
			var u mat.TriDense
			lu.UTo(&u)
			res.lu.CloneFrom(&u)
			res.det = lu.Det()
			var qr mat.QR
			qr.Factorize(b) // (n+3)×(n/2+1): QR wants rows ≥ columns
			qr.RTo(&res.qr)
			if err := res.solve.Solve(g, rhs); err != nil {
				t.Fatalf("n=%d: Solve: %v", n, err)
			}
			return res
		}
		want := run()
		var got result
		withBLAS(Implementation{}, func() { got = run() })
		for _, c := range []struct {
			name      string
			got, want *mat.Dense
		}{{"Mul", &got.mul, &want.mul}, {"Cholesky", &got.chol, &want.chol}, {"LU", &got.lu, &want.lu}, {"QR", &got.qr, &want.qr}, {"Solve", &got.solve, &want.solve}} {
			if d := maxDiff(c.got, c.want); d > tol {
				t.Errorf("n=%d: %s differs from gonum's by %g", n, c.name, d)
			}
		}
		if d := math.Abs(got.det-want.det) / math.Abs(want.det); d > tol {
			t.Errorf("n=%d: LU.Det %v, gonum's %v", n, got.det, want.det)
		}
	}
}
