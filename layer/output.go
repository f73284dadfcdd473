package layer

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

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
