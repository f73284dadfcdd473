package loss

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// checkMatrix panics unless m is a well-formed matrix: not nil, with
// non-negative dimensions, Stride ≥ Cols and Data long enough for every
// row. loss and name go into the message.
func checkMatrix(loss, name string, m *mat.Dense) {
	if m == nil {
		panic(fmt.Sprintf("loss.%s: %s is nil", loss, name))
	}
	if m.Rows < 0 || m.Cols < 0 {
		panic(fmt.Sprintf("loss.%s: %s has negative dimensions %d×%d", loss, name, m.Rows, m.Cols))
	}
	if m.Rows > 0 && m.Cols > 0 {
		if m.Stride < m.Cols {
			panic(fmt.Sprintf("loss.%s: %s is %d×%d with stride %d < %d columns", loss, name, m.Rows, m.Cols, m.Stride, m.Cols))
		}
		if need := (m.Rows-1)*m.Stride + m.Cols; len(m.Data) < need {
			panic(fmt.Sprintf("loss.%s: %s is %d×%d with stride %d: needs %d elements, Data has %d",
				loss, name, m.Rows, m.Cols, m.Stride, need, len(m.Data)))
		}
	}
}

// resize makes m a rows×cols matrix with Stride cols, reusing m.Data when
// it has the capacity: a buffer grows only when a bigger batch arrives.
func resize(m *mat.Dense, rows, cols int) {
	n := rows * cols
	if cap(m.Data) < n {
		m.Data = make([]float32, n)
	}
	*m = mat.Dense{Rows: rows, Cols: cols, Stride: cols, Data: m.Data[:n]}
}
