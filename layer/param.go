package layer

import "github.com/pente-go/pente/mat"

// Param is a trainable tensor and its gradient, torch.nn.Parameter with its
// .grad. Value and Grad have the same shape and are contiguous (Stride equals
// Cols), so that optimisers can walk Value.Data and Grad.Data as vectors.
// In a model built by [NewSequential], every Value.Data is a piece of the
// model's [ParamBlock], and every Grad.Data a piece of its gradient block
// (see "Parameter memory" in the package documentation).
//
// Name is the parameter's name as PyTorch's named_parameters gives it:
// "weight" for a lone layer, "0.weight" once the layer is the first of a
// Sequential.
type Param struct {
	Name        string
	Value, Grad *mat.Dense

	block  *ParamBlock // the block NewSequential last moved the parameter into; nil before
	vector bool        // a vector in PyTorch (a bias, [out]), held here as one row
}

// Shape returns the parameter's shape in PyTorch, as a state_dict holds
// it: [Cols] for a vector, which pente holds as one row (a Linear's bias:
// 1×out here, [out] in torch), [Rows, Cols] for anything else (a Linear's
// weight, [out, in]). The slice is new.
func (p *Param) Shape() []int {
	if p.vector {
		return []int{p.Value.Cols}
	}
	return []int{p.Value.Rows, p.Value.Cols}
}

// newParam returns a zeroed rows×cols parameter and gradient.
func newParam(name string, rows, cols int) *Param {
	return &Param{Name: name, Value: mat.NewDense(rows, cols, nil), Grad: mat.NewDense(rows, cols, nil)}
}

// ZeroGrad sets the gradient to zero, as PyTorch's zero_grad(set_to_none=False).
func (p *Param) ZeroGrad() { clear(p.Grad.Data) }
