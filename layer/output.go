package layer

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// named is a layer that can name itself in a panic message; the name is
// built only when one is raised.
type named interface{ name() string }

// output returns dst, or a new rows×cols matrix if dst is nil, after
// checking its shape: the result of a Predict call.
func output(l named, dst *mat.Dense, rows, cols int) *mat.Dense {
	if dst == nil {
		return mat.NewDense(rows, cols, nil)
	}
	if dst.Rows != rows || dst.Cols != cols {
		panic(fmt.Sprintf("%s: Predict: dst is %d×%d, want %d×%d", l.name(), dst.Rows, dst.Cols, rows, cols))
	}
	return dst
}
