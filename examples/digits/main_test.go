package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

func TestDigitsData(t *testing.T) {
	d, err := loadDigits()
	if err != nil {
		t.Fatal(err)
	}
	if d.X.Rows != 1797 || d.X.Cols != 64 || len(d.Labels) != 1797 {
		t.Fatalf("loaded %d×%d images, %d labels; want 1797×64", d.X.Rows, d.X.Cols, len(d.Labels))
	}
	train, test := d.split()
	if train.X.Rows+test.X.Rows != 1797 || test.X.Rows != 359 {
		t.Fatalf("split %d + %d", train.X.Rows, test.X.Rows)
	}
	count := make([]int, classes)
	for _, y := range d.Labels {
		count[y]++
	}
	for c, n := range count {
		if n < 170 || n > 190 { // the set has 174 to 183 images of each digit
			t.Errorf("%d images of digit %d", n, c)
		}
	}
}

// TestTrainingLearns trains the example's model end to end and checks that
// it generalises: the held-out accuracy of a trained MLP is well above 90%,
// that of an untrained one near 10%.
func TestTrainingLearns(t *testing.T) {
	for _, tr := range []training{
		{"sgd", 0.1, 0.9, 0},
		{"adam", 0.003, 0, 0},  // -optim adam
		{"sgd", 0.1, 0.9, 0.1}, // -dropout 0.1
	} {
		t.Run(fmt.Sprintf("%+v", tr), func(t *testing.T) { testTrainingLearns(t, tr) })
	}
}

func testTrainingLearns(t *testing.T, tr training) {
	d, err := loadDigits()
	if err != nil {
		t.Fatal(err)
	}
	train, test := d.split()
	r := rand.New(rand.NewPCG(1, 2))
	m, err := newClassifier([]int{pixels, 32, classes}, 1, tr)
	if err != nil {
		t.Fatal(err)
	}
	if acc := m.accuracy(test); acc > 0.3 {
		t.Fatalf("untrained accuracy %.2f: the test cannot tell learning from chance", acc)
	}
	order := make([]int, train.X.Rows)
	for i := range order {
		order[i] = i
	}
	xb, yb := mat.NewDense(32, pixels, nil), make([]int, 32)
	first := 0.0
	for epoch := range 15 {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		loss := trainEpoch(m, train, order, xb, yb)
		if epoch == 0 {
			first = loss
		} else if epoch == 14 && loss > first/5 {
			t.Errorf("loss went from %.3f to %.3f only", first, loss)
		}
	}
	if acc := m.accuracy(test); acc < 0.93 {
		t.Errorf("test accuracy %.3f after 15 epochs, want ≥ 0.93", acc)
	}
}

// TestSaveLoad saves a trained classifier as -save does and loads it into
// a new one: the same accuracy, the same scores.
func TestSaveLoad(t *testing.T) {
	d, err := loadDigits()
	if err != nil {
		t.Fatal(err)
	}
	train, test := d.split()
	m, err := newClassifier([]int{pixels, 16, classes}, 1, training{"sgd", 0.1, 0.9, 0})
	if err != nil {
		t.Fatal(err)
	}
	order := make([]int, train.X.Rows)
	for i := range order {
		order[i] = i
	}
	trainEpoch(m, train, order, mat.NewDense(32, pixels, nil), make([]int, 32))
	path := filepath.Join(t.TempDir(), "digits.safetensors")
	if err := layer.SaveFile(path, m.model); err != nil {
		t.Fatal(err)
	}
	n, err := newClassifier([]int{pixels, 16, classes}, 2, training{"sgd", 0.1, 0.9, 0})
	if err != nil {
		t.Fatal(err)
	}
	if err := layer.LoadFile(path, n.model); err != nil {
		t.Fatal(err)
	}
	a, b := m.model.Predict(test.X, nil), n.model.Predict(test.X, nil)
	if !testkit.SameBits(a.Data, b.Data) {
		t.Error("the loaded model scores the test set differently")
	}
}
