package main

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pente-go/pente/mat"
)

// TestLibraries: every library this binary was built with (OpenBLAS with
// -tags openblas) computes every operation the benchmark times, on odd
// sizes, as the benchmark's checks want it.
func TestLibraries(t *testing.T) {
	libs, _ := libraries()
	g := rand.New(rand.NewPCG(5, 6))
	m, k, n := 13, 29, 7
	for _, lib := range libs {
		t.Run(lib.name, func(t *testing.T) {
			for _, op := range gemmOps {
				a := randDense(g, m, k)
				if op.tA == mat.Trans {
					a = randDense(g, k, m)
				}
				b := randDense(g, k, n)
				if op.tB == mat.Trans {
					b = randDense(g, n, k)
				}
				c := mat.NewDense(m, n, nil)
				lib.gemm(op.tA, op.tB, a, b, c)
				if err := checkGemm(op.tA, op.tB, a, b, c, nil); err != nil {
					t.Errorf("gemm %s: %v", op.name, err)
				}
			}
			// dgemm with leading dimensions wider than the matrices,
			// whose padding must stay as it was.
			for _, op := range gemmOps {
				lda, ldb, ldc := k+3, n+2, n+5
				ra, rb := m, k
				if op.tA == mat.Trans {
					ra, lda = k, m+3
				}
				if op.tB == mat.Trans {
					rb, ldb = n, k+2
				}
				a, b := randVec64(g, ra*lda), randVec64(g, rb*ldb)
				c := make([]float64, m*ldc)
				for i := range c {
					c[i] = math.NaN() // beta 0: C is not read
				}
				lib.dgemm(op.tA, op.tB, m, n, k, a, lda, b, ldb, c, ldc)
				if err := checkDgemm(op.tA, op.tB, m, n, k, a, lda, b, ldb, c, ldc, nil); err != nil {
					t.Errorf("dgemm %s: %v", op.name, err)
				}
				for i := range m {
					for j := n; j < ldc && i*ldc+j < len(c); j++ {
						if !math.IsNaN(c[i*ldc+j]) {
							t.Errorf("dgemm %s: padding C[%d] written", op.name, i*ldc+j)
						}
					}
				}
			}
			a := randDense(g, m, k)
			for _, tr := range []mat.Transpose{mat.NoTrans, mat.Trans} {
				x, y := randVec(g, k), make([]float32, m)
				if tr == mat.Trans {
					x, y = randVec(g, m), make([]float32, k)
				}
				lib.gemv(tr, a, x, y)
				if err := checkGemv(tr, a, x, y, nil); err != nil {
					t.Errorf("gemv %v: %v", tr, err)
				}
			}
			x, y := randVec(g, 1001), randVec(g, 1001)
			check := checkAxpy(g, axpyAlpha, x, y)
			lib.axpy(axpyAlpha, x, y)
			if err := check(); err != nil {
				t.Errorf("axpy: %v", err)
			}
			if err := checkDot(x, y, lib.dot(x, y)); err != nil {
				t.Errorf("dot: %v", err)
			}
		})
	}
}

// TestChecksCatchWrongAnswers: the checks that stand between a library
// and the tables reject a result with one wrong entry.
func TestChecksCatchWrongAnswers(t *testing.T) {
	g := rand.New(rand.NewPCG(7, 8))
	const n = 16
	a, b := randDense(g, n, n), randDense(g, n, n)
	want := mat.NewDense(n, n, nil)
	mat.Gemm(mat.NoTrans, mat.NoTrans, 1, a, b, 0, want)
	if err := checkGemm(mat.NoTrans, mat.NoTrans, a, b, want, nil); err != nil {
		t.Fatalf("right product rejected: %v", err)
	}
	for _, e := range []struct{ i, j int }{{0, 0}, {n - 1, n - 1}, {5, 9}} {
		c := mat.NewDense(n, n, append([]float32(nil), want.Data...))
		c.Set(e.i, e.j, c.At(e.i, e.j)+0.01)
		if err := checkGemm(mat.NoTrans, mat.NoTrans, a, b, c, want); err == nil {
			t.Errorf("C(%d, %d) off by 0.01: not caught", e.i, e.j)
		}
	}
	c := mat.NewDense(n, n, append([]float32(nil), want.Data...))
	if err := checkGemm(mat.Trans, mat.NoTrans, a, b, c, nil); err == nil || !strings.Contains(err.Error(), "float64 reference") {
		t.Errorf("A·B taken for Aᵀ·B: err = %v", err)
	}

	ad, bd := randVec64(g, n*n), randVec64(g, n*n)
	wantD := make([]float64, n*n)
	mat.Dgemm(mat.NoTrans, mat.NoTrans, n, n, n, 1, ad, n, bd, n, 0, wantD, n)
	if err := checkDgemm(mat.NoTrans, mat.NoTrans, n, n, n, ad, n, bd, n, wantD, n, nil); err != nil {
		t.Fatalf("right float64 product rejected: %v", err)
	}
	for _, e := range []struct{ i, j int }{{0, 0}, {n - 1, n - 1}, {5, 9}} {
		c := append([]float64(nil), wantD...)
		c[e.i*n+e.j] += 1e-9 // far below float32's resolution, far above float64's
		if err := checkDgemm(mat.NoTrans, mat.NoTrans, n, n, n, ad, n, bd, n, c, n, wantD); err == nil {
			t.Errorf("dgemm C(%d, %d) off by 1e-9: not caught", e.i, e.j)
		}
	}
	if err := checkDgemm(mat.Trans, mat.NoTrans, n, n, n, ad, n, bd, n, wantD, n, nil); err == nil || !strings.Contains(err.Error(), "float64 reference") {
		t.Errorf("dgemm A·B taken for Aᵀ·B: err = %v", err)
	}

	x, y := randVec(g, 100), randVec(g, 100)
	if err := checkDot(x, y, mat.Dot(x, y)+0.01); err == nil {
		t.Error("dot off by 0.01: not caught")
	}
	check := checkAxpy(g, 2, x, y)
	mat.Axpy(2, x[:99], y[:99]) // one element short
	if err := check(); err == nil {
		t.Error("axpy that misses the last element: not caught")
	}
}
