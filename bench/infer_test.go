package main

import (
	"math/rand/v2"
	"testing"

	"github.com/pente-go/pente/mat"
)

// TestCheckPredict checks that the inference check accepts what Predict
// computes and rejects a result with one wrong element, in the first row,
// in the last, or in one between that it reads.
func TestCheckPredict(t *testing.T) {
	c := trainCase{[]int{20, 12, 7, 3}, 33}
	p := newPenteTrainer(c, "sgd")
	x := randDense(rand.New(rand.NewPCG(1, 2)), c.batch, c.sizes[0])
	dst := mat.NewDense(c.batch, 3, nil)
	p.model.Predict(x, dst)
	if err := checkPredict(p.model, c.sizes, x, dst); err != nil {
		t.Fatal(err)
	}
	for _, r := range []int{0, 4, c.batch - 1} {
		v := dst.At(r, 1)
		dst.Set(r, 1, v*1.001+1e-3)
		if checkPredict(p.model, c.sizes, x, dst) == nil {
			t.Errorf("row %d: a wrong output passed the check", r)
		}
		dst.Set(r, 1, v)
	}
}
