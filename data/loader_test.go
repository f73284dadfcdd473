package data_test

import (
	"fmt"
	"testing"

	"github.com/pente-go/pente/data"
	"github.com/pente-go/pente/internal/fixture"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

type loaderCase struct {
	N         int
	BatchSize int  `json:"batch_size"`
	DropLast  bool `json:"drop_last"`
	Seed      uint64
	Epochs    [][][]int
	After     fixture.Floats
}

// rowsOf returns an n×2 matrix whose row i is (i, −i), so that a batch
// tells which rows it holds.
func rowsOf(n int) *mat.Dense {
	x := mat.NewDense(n, 2, nil)
	for i := 0; i < n; i++ {
		x.Set(i, 0, float32(i))
		x.Set(i, 1, float32(-i))
	}
	return x
}

// TestLoaderTorch checks the batches of every epoch against those of
// DataLoader(..., shuffle=True, generator=g) in PyTorch 1.13, and the
// generator's state afterwards.
func TestLoaderTorch(t *testing.T) {
	var cases []loaderCase
	fixture.Load(t, "dataloader.json", &cases)
	for _, c := range cases {
		g := layer.ManualSeed(c.Seed)
		l := data.NewLoader(rowsOf(c.N), c.BatchSize, true, g)
		l.DropLast = c.DropLast
		for e, want := range c.Epochs {
			if l.Len() != len(want) {
				t.Errorf("n %d, batch %d: Len %d, torch %d", c.N, c.BatchSize, l.Len(), len(want))
			}
			l.Epoch()
			var got [][]int
			for x, idx, ok := l.Next(); ok; x, idx, ok = l.Next() {
				got = append(got, append([]int(nil), idx...))
				for k, i := range idx {
					if x.At(k, 0) != float32(i) || x.At(k, 1) != float32(-i) {
						t.Fatalf("batch row %d holds %v, want row %d", k, x.Row(k), i)
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("n %d, batch %d, drop_last %v, seed %d, epoch %d:\n got %v\nwant %v",
					c.N, c.BatchSize, c.DropLast, c.Seed, e, got, want)
			}
		}
		if got := g.Rand(1, 3).Data; fmt.Sprint(got) != fmt.Sprint([]float32(c.After)) {
			t.Errorf("seed %d: torch.rand(3) afterwards %v, torch %v", c.Seed, got, c.After)
		}
	}
}

// TestLoaderViews checks that batches without shuffle are views of X (no
// copy), the last one short or dropped, and that a whole epoch with or
// without shuffle allocates nothing after the first.
func TestLoaderViews(t *testing.T) {
	big := rowsOf(12)
	x := big.Slice(1, 11, 0, 1) // 10×1 with stride 2
	l := data.NewLoader(x, 4, false, layer.ManualSeed(0))
	l.Epoch()
	var sizes []int
	for b, idx, ok := l.Next(); ok; b, idx, ok = l.Next() {
		sizes = append(sizes, b.Rows)
		if &b.Data[0] != &x.Data[idx[0]*x.Stride] || b.Stride != x.Stride {
			t.Errorf("batch at row %d is not a view of x", idx[0])
		}
	}
	if fmt.Sprint(sizes) != "[4 4 2]" {
		t.Errorf("batch sizes %v, want [4 4 2]", sizes)
	}
	l.DropLast = true
	l.Epoch()
	if n := count(l); n != 2 || l.Len() != 2 {
		t.Errorf("drop_last: %d batches (Len %d), want 2", n, l.Len())
	}
	for _, shuffle := range []bool{false, true} {
		l := data.NewLoader(rowsOf(100), 7, shuffle, layer.ManualSeed(1))
		epoch := func() { l.Epoch(); count(l) }
		epoch()
		if n := testkit.AllocsPerRun(10, epoch); n != 0 {
			t.Errorf("shuffle %v: %v allocations per epoch, want 0", shuffle, n)
		}
	}
}

func count(l *data.Loader) int {
	n := 0
	for _, _, ok := l.Next(); ok; _, _, ok = l.Next() {
		n++
	}
	return n
}

func TestLoaderPanics(t *testing.T) {
	for _, c := range []struct {
		want string
		f    func()
	}{
		{"data.NewLoader: batch_size should be a positive integer value, but got batch_size=0",
			func() { data.NewLoader(rowsOf(3), 0, true, nil) }},
		{"data.NewLoader: x is nil", func() { data.NewLoader(nil, 2, true, nil) }},
	} {
		func() {
			defer func() {
				if r := recover(); fmt.Sprint(r) != c.want {
					t.Errorf("panic %v, want %q", r, c.want)
				}
			}()
			c.f()
		}()
	}
}
