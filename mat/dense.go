package mat

import (
	"errors"
	"fmt"
	"strings"
)

// Dense is a row-major matrix of float32: element (i, j) is
// Data[i*Stride+j]. The zero value is an empty 0×0 matrix.
type Dense struct {
	Rows, Cols, Stride int
	Data               []float32
}

// NewDense returns a rows×cols matrix with Stride cols. If data is nil, a
// zeroed backing slice is allocated; otherwise data is used as the backing
// slice, row after row, and len(data) must be rows·cols. NewDense panics on
// negative dimensions or a length mismatch.
func NewDense(rows, cols int, data []float32) *Dense {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("mat: NewDense: negative dimensions %d×%d", rows, cols))
	}
	if data == nil {
		data = make([]float32, rows*cols)
	} else if len(data) != rows*cols {
		panic(fmt.Sprintf("mat: NewDense: %d×%d needs %d elements, data has %d", rows, cols, rows*cols, len(data)))
	}
	return &Dense{Rows: rows, Cols: cols, Stride: cols, Data: data}
}

// Dims returns the number of rows and columns.
func (m *Dense) Dims() (rows, cols int) { return m.Rows, m.Cols }

// At returns element (i, j). It panics if (i, j) is outside the matrix.
func (m *Dense) At(i, j int) float32 {
	m.checkIndex("At", i, j)
	return m.Data[i*m.Stride+j]
}

// Set sets element (i, j) to v. It panics if (i, j) is outside the matrix.
func (m *Dense) Set(i, j int, v float32) {
	m.checkIndex("Set", i, j)
	m.Data[i*m.Stride+j] = v
}

func (m *Dense) checkIndex(op string, i, j int) {
	if uint(i) >= uint(m.Rows) || uint(j) >= uint(m.Cols) {
		panic(fmt.Sprintf("mat: %s(%d, %d) is outside a %d×%d matrix", op, i, j, m.Rows, m.Cols))
	}
}

// Slice returns the view of rows i0..i1-1 and columns j0..j1-1: a
// (i1-i0)×(j1-j0) matrix sharing m's Data, with m's Stride. It panics unless
// 0 ≤ i0 ≤ i1 ≤ Rows and 0 ≤ j0 ≤ j1 ≤ Cols.
func (m *Dense) Slice(i0, i1, j0, j1 int) *Dense {
	if i0 < 0 || i0 > i1 || i1 > m.Rows || j0 < 0 || j0 > j1 || j1 > m.Cols {
		panic(fmt.Sprintf("mat: Slice(%d, %d, %d, %d) is outside a %d×%d matrix", i0, i1, j0, j1, m.Rows, m.Cols))
	}
	r, c := i1-i0, j1-j0
	v := &Dense{Rows: r, Cols: c, Stride: m.Stride}
	if r > 0 && c > 0 {
		start := i0*m.Stride + j0
		v.Data = m.Data[start : start+(r-1)*m.Stride+c]
	}
	return v
}

// Row returns row i as a slice sharing m's Data. It panics if i is outside
// the matrix.
func (m *Dense) Row(i int) []float32 {
	if uint(i) >= uint(m.Rows) {
		panic(fmt.Sprintf("mat: Row(%d) is outside a %d×%d matrix", i, m.Rows, m.Cols))
	}
	return m.Data[i*m.Stride : i*m.Stride+m.Cols]
}

// String formats m as rows of numbers, for debugging.
func (m *Dense) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d×%d [", m.Rows, m.Cols)
	for i := 0; i < m.Rows; i++ {
		if i > 0 {
			b.WriteString("; ")
		}
		for j, v := range m.Row(i) {
			if j > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprint(&b, v)
		}
	}
	b.WriteByte(']')
	return b.String()
}

// Check returns an error unless m is a well-formed matrix: not nil, with
// non-negative dimensions, Stride ≥ Cols when it has elements, and Data long
// enough for every row. The error reads after the matrix's name: "is 2×3
// with stride 2 < 3 columns".
func (m *Dense) Check() error {
	if m == nil {
		return errors.New("is nil")
	}
	if m.Rows < 0 || m.Cols < 0 {
		return fmt.Errorf("has negative dimensions %d×%d", m.Rows, m.Cols)
	}
	if m.Rows > 0 && m.Cols > 0 {
		if m.Stride < m.Cols {
			return fmt.Errorf("is %d×%d with stride %d < %d columns", m.Rows, m.Cols, m.Stride, m.Cols)
		}
		if need := (m.Rows-1)*m.Stride + m.Cols; len(m.Data) < need {
			return fmt.Errorf("is %d×%d with stride %d: needs %d elements, Data has %d",
				m.Rows, m.Cols, m.Stride, need, len(m.Data))
		}
	}
	return nil
}

// check panics unless m is well formed (see Check). op and name go into the
// message.
//
// The test for a well-formed matrix is repeated here, small enough to be
// inlined, because every operation runs it on every operand: a call of
// Check costs as much as the kernel of a batch-1 layer.
func (m *Dense) check(op, name string) {
	if m == nil || m.Rows < 0 || m.Cols < 0 ||
		m.Rows > 0 && m.Cols > 0 && (m.Stride < m.Cols || len(m.Data) < (m.Rows-1)*m.Stride+m.Cols) {
		m.fail(op, name)
	}
}

func (m *Dense) fail(op, name string) {
	panic(fmt.Sprintf("mat: %s: %s %v", op, name, m.Check()))
}

// Resize makes m a contiguous rows×cols matrix (Stride cols), keeping the
// backing array of Data when it holds rows·cols elements, so that a buffer
// reused for batches of varying size allocates only when it must grow. The
// contents are unspecified afterwards. Resize panics on negative
// dimensions.
func (m *Dense) Resize(rows, cols int) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("mat: Resize: negative dimensions %d×%d", rows, cols))
	}
	n := rows * cols
	if m.Rows == rows && m.Cols == cols && m.Stride == cols && len(m.Data) == n {
		return // already so: a buffer reused batch after batch
	}
	data := m.Data
	if cap(data) < n {
		data = make([]float32, n)
	}
	*m = Dense{Rows: rows, Cols: cols, Stride: cols, Data: data[:n]}
}
