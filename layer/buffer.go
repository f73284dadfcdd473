package layer

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// buffer is a matrix a layer returns and reuses: it grows to the largest
// batch seen and otherwise hands out the same header, so a steady stream of
// equal batches does not allocate.
type buffer struct {
	m    mat.Dense
	data []float32
}

// resize returns the buffer as a contiguous rows×cols matrix. Its contents
// are unspecified.
func (b *buffer) resize(rows, cols int) *mat.Dense {
	n := rows * cols
	if cap(b.data) < n {
		b.data = make([]float32, n)
	}
	b.m = mat.Dense{Rows: rows, Cols: cols, Stride: cols, Data: b.data[:n]}
	return &b.m
}

// output returns dst, or a new rows×cols matrix if dst is nil, after
// checking its shape: the result of a Predict call.
func output(op string, dst *mat.Dense, rows, cols int) *mat.Dense {
	if dst == nil {
		return mat.NewDense(rows, cols, nil)
	}
	if dst.Rows != rows || dst.Cols != cols {
		panic(fmt.Sprintf("%s: Predict: dst is %d×%d, want %d×%d", op, dst.Rows, dst.Cols, rows, cols))
	}
	return dst
}
