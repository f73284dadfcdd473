// Package data is pente's torch.utils.data: mini-batches of the rows of a
// matrix, in the order torch.utils.data.DataLoader gives them.
//
//	data.NewLoader(x, b, true, g)   DataLoader(TensorDataset(x), batch_size=b, shuffle=True, generator=g)
//	loader.DropLast = true          drop_last=True
//	loader.Epoch()                  iter(loader)
//	loader.Next()                   next(it)
//
// With shuffle, every epoch draws what DataLoader draws from its
// generator: first the 64-bit base seed of its iterator (two 32-bit
// draws, which a DataLoader with num_workers=0 does not use but takes all
// the same), then the order, torch.randperm(n, generator=g)
// ([layer.Generator.Randperm]), and at the end of the epoch another n − 1
// draws (see [Loader.Epoch]). So a Loader and a DataLoader built on
// generators seeded alike give the same batches epoch after epoch, and
// leave their generators in the same state (data/testdata holds
// PyTorch 1.13's orders).
//
// [ReadIDX] and [ReadIDXFile] read the IDX files MNIST comes in
// (train-images-idx3-ubyte.gz and the rest, gzipped or not), checking the
// header against the file's size; [IDX.Dense] and [IDX.Labels] turn them
// into a batch matrix and its targets.
package data

import (
	"fmt"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
)

// Loader gives the rows of X in batches of BatchSize, the last one shorter
// unless DropLast is set. A batch whose rows follow each other in X (every
// batch without shuffle) is a view of X, no copy; the others are gathered
// into a buffer of the Loader's, reused by the next batch.
type Loader struct {
	X         *mat.Dense
	BatchSize int
	Shuffle   bool
	DropLast  bool // drop_last: skip a last batch shorter than BatchSize
	Generator *layer.Generator

	order []int     // the epoch's row order
	pos   int       // the next row of order to give
	done  bool      // the epoch has ended
	buf   mat.Dense // gathered rows
	view  mat.Dense // consecutive rows of X
}

// NewLoader returns a Loader over the rows of x, drawing its order from g
// (the default generator if nil) when shuffle is set. It panics if x is
// nil or malformed or batchSize is not positive, as DataLoader raises.
func NewLoader(x *mat.Dense, batchSize int, shuffle bool, g *layer.Generator) *Loader {
	if err := x.Check(); err != nil {
		panic("data.NewLoader: x " + err.Error())
	}
	if batchSize <= 0 {
		panic(fmt.Sprintf("data.NewLoader: batch_size should be a positive integer value, but got batch_size=%d", batchSize))
	}
	if g == nil {
		g = layer.Default()
	}
	return &Loader{X: x, BatchSize: batchSize, Shuffle: shuffle, Generator: g}
}

// Len returns the number of batches of an epoch, as len(loader).
func (l *Loader) Len() int {
	n := l.X.Rows
	if l.DropLast {
		return n / l.BatchSize
	}
	return (n + l.BatchSize - 1) / l.BatchSize
}

// Epoch starts an epoch, as iter(loader): it draws the iterator's base
// seed from the generator, then with Shuffle a new order of the rows.
// When Next has given the last batch and reports the end, a shuffling
// Loader draws another n − 1 values, as RandomSampler does when it ends
// (it computes torch.randperm(n)[:0] for its leftover samples); PyTorch
// draws them as its sampler runs out, which for a last short batch is
// before that batch, so only draws between the last batch and the end of
// the loop see the difference.
func (l *Loader) Epoch() {
	n := l.X.Rows
	if cap(l.order) < n {
		l.order = make([]int, n)
	}
	l.order = l.order[:n]
	l.done = false
	l.Generator.Uint64() // the base seed of DataLoader's iterator
	if l.Shuffle {
		l.Generator.Permute(l.order)
	} else {
		for i := range l.order {
			l.order[i] = i
		}
	}
	l.pos, l.done = 0, false
}

// Next returns the next batch of the epoch and the indices of its rows in
// X, and true; or nil, nil and false at the end of the epoch (or before
// the first Epoch). The batch and the index slice belong to the Loader
// and are valid until the next call; a batch may be a view of X.
func (l *Loader) Next() (batch *mat.Dense, index []int, ok bool) {
	n := len(l.order)
	rest := n - l.pos
	if rest <= 0 || (l.DropLast && rest < l.BatchSize) {
		if l.Shuffle && !l.done {
			// RandomSampler ends its epoch with the permutation of its
			// num_samples % n leftover samples: none, but torch.randperm(n)
			// is drawn all the same.
			for i := 0; i < n-1; i++ {
				l.Generator.Uint32()
			}
		}
		l.done = true
		return nil, nil, false
	}
	b := min(l.BatchSize, rest)
	index = l.order[l.pos : l.pos+b]
	l.pos += b
	if x := l.X; consecutive(index) {
		start := index[0] * x.Stride
		l.view = mat.Dense{Rows: b, Cols: x.Cols, Stride: x.Stride, Data: x.Data[start : start+(b-1)*x.Stride+x.Cols]}
		return &l.view, index, true
	}
	l.buf.Resize(b, l.X.Cols)
	for k, i := range index {
		copy(l.buf.Row(k), l.X.Row(i))
	}
	return &l.buf, index, true
}

func consecutive(index []int) bool {
	for k := 1; k < len(index); k++ {
		if index[k] != index[k-1]+1 {
			return false
		}
	}
	return true
}
