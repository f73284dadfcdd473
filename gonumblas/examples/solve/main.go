// Command solve factors and solves a dense linear system with gonum, first
// on gonum's own BLAS and then with one line more,
//
//	blas64.Use(gonumblas.Implementation{})
//
// on pente's kernels, and prints the times and the residuals.
//
//	go run ./examples/solve [-n 2000]
//
// The system is the discretised integral equation of the second kind
// (I + K)·x = b on [0, 1] with the smooth kernel K(s, t) = h·exp(−|s−t|),
// h = 1/n, dense and well conditioned, with b such that x = 1 solves it.
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"

	"github.com/pente-go/pente/gonumblas"
)

func main() {
	n := flag.Int("n", 2000, "number of unknowns")
	flag.Parse()

	h := 1 / float64(*n)
	a := mat.NewDense(*n, *n, nil)
	for i := range *n {
		for j := range *n {
			v := h * math.Exp(-math.Abs(float64(i-j))*h)
			if i == j {
				v++
			}
			a.Set(i, j, v)
		}
	}
	ones := mat.NewVecDense(*n, nil)
	for i := range *n {
		ones.SetVec(i, 1)
	}
	var b mat.VecDense
	b.MulVec(a, ones)

	for _, c := range []struct {
		name string
		impl blas.Float64
	}{{"gonum", gonum.Implementation{}}, {"gonum + pente", gonumblas.Implementation{}}} {
		blas64.Use(c.impl)

		t0 := time.Now()
		var lu mat.LU
		lu.Factorize(a)
		factor := time.Since(t0)

		t1 := time.Now()
		var x mat.VecDense
		if err := lu.SolveVecTo(&x, false, &b); err != nil {
			log.Fatal(err)
		}
		solve := time.Since(t1)

		var r mat.VecDense // the residual b − A·x
		r.MulVec(a, &x)
		r.SubVec(&b, &r)
		var e mat.VecDense
		e.SubVec(&x, ones)
		fmt.Printf("%-14s n = %d: LU %8.1f ms, solve %6.2f ms, ‖b − A·x‖∞ = %.1e, ‖x − 1‖∞ = %.1e, condition ≈ %.1f\n",
			c.name, *n, ms(factor), ms(solve), mat.Norm(&r, math.Inf(1)), mat.Norm(&e, math.Inf(1)), lu.Cond())
	}
}

func ms(d time.Duration) float64 { return d.Seconds() * 1e3 }
