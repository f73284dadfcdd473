package layer

import "github.com/pente-go/pente/mat"

// Layer is one step of a network, a torch.nn.Module: Forward computes the
// output of a batch (one sample per row) and remembers what Backward needs;
// Backward takes dL/dy for that output, adds the parameter gradients into
// each Param.Grad and returns dL/dx.
//
// The matrices a layer returns are its own and are reused by the next call:
// copy them to keep them. Inputs are not copied: x and dy must not change
// between Forward and Backward.
type Layer interface {
	Forward(x *mat.Dense) *mat.Dense
	Backward(dy *mat.Dense) *mat.Dense
	Params() []*Param
}
