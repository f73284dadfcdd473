package mat

import (
	"errors"
	"fmt"
	"math/bits"
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
// negative dimensions, on a rows·cols too large for memory, or on a length
// mismatch.
func NewDense(rows, cols int, data []float32) *Dense {
	n := elements("NewDense", rows, cols)
	if data == nil {
		data = make([]float32, n)
	} else if len(data) != n {
		panic(fmt.Sprintf("mat: NewDense: %d×%d needs %d elements, data has %d", rows, cols, n, len(data)))
	}
	return &Dense{Rows: rows, Cols: cols, Stride: cols, Data: data}
}

// maxElements is the most elements a matrix's Data can hold: a []float32
// of more would not fit in memory.
const maxElements = (1<<(bits.UintSize-1) - 1) / 4

// elements returns rows·cols for op, panicking unless both are
// non-negative and the product is at most maxElements.
func elements(op string, rows, cols int) int {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("mat: %s: negative dimensions %d×%d", op, rows, cols))
	}
	hi, lo := bits.Mul(uint(rows), uint(cols))
	if hi != 0 || lo > maxElements {
		panic(fmt.Sprintf("mat: %s: %d×%d is too large: %d·%d elements do not fit in memory", op, rows, cols, rows, cols))
	}
	return int(lo)
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
		m.indexPanic(op, i, j)
	}
}

//go:noinline
func (m *Dense) rowPanic(i int) {
	panic(fmt.Sprintf("mat: Row(%d) is outside a %d×%d matrix", i, m.Rows, m.Cols))
}

func (m *Dense) indexPanic(op string, i, j int) {
	panic(fmt.Sprintf("mat: %s(%d, %d) is outside a %d×%d matrix", op, i, j, m.Rows, m.Cols))
}

// Slice returns the view of rows i0..i1-1 and columns j0..j1-1: a
// (i1-i0)×(j1-j0) matrix sharing m's Data, with m's Stride. It panics unless
// 0 ≤ i0 ≤ i1 ≤ Rows and 0 ≤ j0 ≤ j1 ≤ Cols.
func (m *Dense) Slice(i0, i1, j0, j1 int) *Dense {
	m.check("Slice", "the matrix")
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
		m.rowPanic(i)
	}
	return m.Data[i*m.Stride:][:m.Cols] // two slicings: cheaper to inline than one
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
// non-negative dimensions and, when it has elements, Cols ≤ Stride ≤
// 2⁴⁸ and Data long enough for every row. The error reads after the
// matrix's name: "is 2×3 with stride 2 < 3 columns".
//
// What passes Check is in bounds: every element (i, j) with i < Rows and
// j < Cols lies within Data, because (Rows-1)·Stride + Cols ≤ len(Data) is
// proved without overflow (the product is computed in full, its high word
// must be zero), and Stride·4, the byte stride the assembly walks by,
// cannot overflow either. Every operation of this package checks every
// operand so before any kernel runs, and so do the kernels of mat/asm.
func (m *Dense) Check() error {
	if m.Valid() {
		return nil
	}
	return m.explain()
}

// explain returns the error of Check for a matrix that is not Valid: nil,
// with a negative dimension, or with elements that its stride or its Data
// does not hold.
func (m *Dense) explain() error {
	switch {
	case m == nil:
		return errors.New("is nil")
	case m.Rows < 0 || m.Cols < 0:
		return fmt.Errorf("has negative dimensions %d×%d", m.Rows, m.Cols)
	case m.Stride < m.Cols:
		return fmt.Errorf("is %d×%d with stride %d < %d columns", m.Rows, m.Cols, m.Stride, m.Cols)
	case uint64(m.Stride) > maxStride:
		return fmt.Errorf("is %d×%d with stride %d > %d, the largest allowed", m.Rows, m.Cols, m.Stride, uint64(maxStride))
	default:
		hi, lo := bits.Mul64(uint64(m.Rows-1), uint64(m.Stride))
		need := fmt.Sprint(lo + uint64(m.Cols))
		if hi != 0 || lo+uint64(m.Cols) < lo {
			need = "more than 2⁶⁴"
		}
		return fmt.Errorf("is %d×%d with stride %d: needs %s elements, Data has %d",
			m.Rows, m.Cols, m.Stride, need, len(m.Data))
	}
}

// maxStride is the largest Stride a matrix with elements may have, the
// limit mat/asm sets on leading dimensions (maxLD in mat/asm/check.go):
// far more than any matrix in memory needs, and small enough that the
// assembly's Stride·4 never overflows.
const maxStride = 1 << 48

// Valid reports whether m passes Check, without saying why not: the same
// test, small enough to be inlined, for code that checks its operands on
// every call and builds a message only when one fails.
func (m *Dense) Valid() bool {
	if m == nil {
		return false
	}
	// In 64 bits, whatever the size of int.
	r, c, s := uint64(m.Rows), uint64(m.Cols), uint64(m.Stride)
	if r == 0 || c == 0 {
		return (r|c)>>63 == 0 // neither negative
	}
	// As unsigned numbers a negative Rows or Stride is huge, and fails.
	// (Rows-1)·Stride is computed in full: its high word must be zero, and
	// its low word under 2⁶², so that adding Cols ≤ 2⁴⁸ cannot wrap. No
	// matrix in memory comes near: len(Data) < 2⁶¹.
	hi, lo := bits.Mul64(r-1, s)
	return c <= s && s <= maxStride && hi|lo>>62 == 0 && lo+c <= uint64(len(m.Data))
}

// check panics unless m is well formed (see Check), naming op and the
// operand in the message.
func (m *Dense) check(op, name string) {
	if !m.Valid() {
		m.fail(op, name)
	}
}

func (m *Dense) fail(op, name string) {
	panic(fmt.Sprintf("mat: %s: %s %v", op, name, m.explain()))
}

// Resize makes m a contiguous rows×cols matrix (Stride cols), keeping the
// backing array of Data when it holds rows·cols elements, so that a buffer
// reused for batches of varying size allocates only when it must grow. The
// contents are unspecified afterwards. Resize panics on negative
// dimensions, or on a rows·cols too large for memory.
func (m *Dense) Resize(rows, cols int) {
	if hi, lo := bits.Mul(uint(rows), uint(cols)); hi == 0 && lo == uint(len(m.Data)) &&
		m.Rows == rows && m.Cols == cols && m.Stride == cols && rows|cols >= 0 {
		return // already so: a buffer reused batch after batch
	}
	n := elements("Resize", rows, cols)
	data := m.Data
	if cap(data) < n {
		data = make([]float32, n)
	}
	*m = Dense{Rows: rows, Cols: cols, Stride: cols, Data: data[:n]}
}
