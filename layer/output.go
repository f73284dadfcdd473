package layer

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// named is a layer that can name itself in a panic message; the name is
// built only when one is raised.
type named interface{ name() string }

// checkInput panics unless x is a well-formed matrix (see
// mat.Dense.Check), with the layer's name and Check's reason:
// "layer.ReLU: input is 3×2 with stride 0 < 2 columns", or
// "layer.ReLU: input is nil".
func checkInput(l named, x *mat.Dense) {
	if !x.Valid() {
		panic(l.name() + ": input " + x.Check().Error())
	}
}

// checkGradient is checkInput for the dL/dy of Backward:
// "layer.ReLU: gradient is nil".
func checkGradient(l named, dy *mat.Dense) {
	if !dy.Valid() {
		panic(l.name() + ": gradient " + dy.Check().Error())
	}
}

// output returns dst, or a new rows×cols matrix if dst is nil: the result
// of a Predict call on x. It panics unless dst is a well-formed rows×cols
// matrix with no element in common with x. With inPlace, dst may also be
// x itself, or a view of exactly x's elements in the same places (the
// same first element and stride): a layer that computes each output
// element from the input element in its place alone allows it, as torch
// allows torch.relu(x, out=x).
func output(l named, x, dst *mat.Dense, rows, cols int, inPlace bool) *mat.Dense {
	if dst == nil {
		return mat.NewDense(rows, cols, nil)
	}
	if err := dst.Check(); err != nil {
		panic(l.name() + ": Predict: dst " + err.Error())
	}
	if dst.Rows != rows || dst.Cols != cols {
		panic(fmt.Sprintf("%s: Predict: dst is %d×%d, want %d×%d", l.name(), dst.Rows, dst.Cols, rows, cols))
	}
	if mat.Overlap(dst, x) && !(inPlace && sameView(dst, x)) {
		panic(l.name() + ": Predict: dst shares memory with the input: some elements of the input " +
			"and of the written-to matrix refer to a single memory location; give dst memory of its own")
	}
	return dst
}

// sameView reports whether a and b, two well-formed matrices of the same
// shape with at least one element, are views of the same elements in the
// same places.
func sameView(a, b *mat.Dense) bool {
	return &a.Data[0] == &b.Data[0] && (a.Stride == b.Stride || a.Rows == 1)
}

// row returns row r of m, which the caller knows to be in range: m.Row,
// small enough to be inlined.
func row(m *mat.Dense, r int) []float32 { return m.Data[r*m.Stride : r*m.Stride+m.Cols] }

// flat returns the elements of m as one slice, and true, if its rows
// follow each other in Data: a layer's own buffers always do.
func flat(m *mat.Dense) ([]float32, bool) {
	if m.Stride != m.Cols && m.Rows > 1 {
		return nil, false
	}
	return m.Data[:m.Rows*m.Cols], true
}
