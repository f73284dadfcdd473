package mat

import "fmt"

// Transpose says whether an operand is used as it is or transposed.
type Transpose uint8

const (
	NoTrans Transpose = iota // op(A) = A
	Trans                    // op(A) = Aᵀ
)

func (t Transpose) String() string {
	switch t {
	case NoTrans:
		return "NoTrans"
	case Trans:
		return "Trans"
	}
	return fmt.Sprintf("Transpose(%d)", uint8(t))
}

func (t Transpose) check(op, name string) {
	if t > Trans {
		panic(fmt.Sprintf("mat: %s: %s is %v", op, name, t))
	}
}

// opDims returns the dimensions of op(m).
func opDims(t Transpose, m *Dense) (rows, cols int) {
	if t == Trans {
		return m.Cols, m.Rows
	}
	return m.Rows, m.Cols
}
