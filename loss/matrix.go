package loss

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// checkMatrix panics unless m is a well-formed matrix (see mat.Dense.Check).
// loss and name go into the message.
func checkMatrix(loss, name string, m *mat.Dense) {
	if !m.Valid() {
		panic(fmt.Sprintf("loss.%s: %s %v", loss, name, m.Check()))
	}
}

// row returns row i of m, a checked matrix with at least i+1 rows: m.Row,
// small enough to be inlined.
func row(m *mat.Dense, i int) []float32 { return m.Data[i*m.Stride : i*m.Stride+m.Cols] }
