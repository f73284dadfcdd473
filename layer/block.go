package layer

import (
	"slices"
	"unsafe"

	"github.com/pente-go/pente/mat"
)

// ParamBlock is the memory of a model's parameters, two vectors that
// [NewSequential] makes and the model owns: Values holds the Value.Data of
// every parameter, one after another in the order of Params, and Grads
// their Grad.Data, in the same order and at the same offsets. An optimiser
// can then update the whole model with a few long vector operations
// instead of a few short ones per parameter, as PyTorch's "foreach"
// implementations do; sgd.New does so when it is given the parameters of a
// block (see [BlockOf]).
//
// The contract holds while every parameter keeps the Data slices
// NewSequential gave it: a Param whose Value or Grad is replaced by a
// matrix with other memory, or whose Data is replaced or resliced, is no
// longer in the block, and [ParamBlock.Intact] reports it. Changing the
// elements (Axpy into Value.Data, clearing Grad.Data, a reload of saved
// weights with copy) keeps it.
type ParamBlock struct {
	values, grads []float32
	params        []*Param
	places        []place // where each parameter's Data lies, for Intact
}

// place is where one parameter's Value.Data and Grad.Data lie in a block:
// their first elements (nil when empty) and their length.
type place struct {
	value, grad *float32
	n           int
}

// Values returns the vector that holds the Value.Data of every parameter
// of the block, in the order of Params: Params()[0].Value.Data is
// Values()[:n0], Params()[1].Value.Data is Values()[n0:n0+n1], and so on.
// The slice is the model's own memory: writing its elements changes the
// parameters.
func (b *ParamBlock) Values() []float32 { return b.values }

// Grads returns the vector that holds the Grad.Data of every parameter of
// the block, at the offsets of their Value.Data in Values.
func (b *ParamBlock) Grads() []float32 { return b.grads }

// Params returns the parameters whose memory the block holds, in order:
// the model's Params when NewSequential made the block. The slice is a
// copy.
func (b *ParamBlock) Params() []*Param { return slices.Clone(b.params) }

// Intact reports whether every parameter of the block still has the Data
// slices that NewSequential gave it, that is whether Values and Grads
// still hold the parameters. It compares the length and the address of
// the first element of each Value.Data and Grad.Data with the block's, a
// few nanoseconds per parameter and no allocation, so that an optimiser
// can afford to ask before every step. It reports false once a parameter
// has been given other memory, or once an outer Sequential has moved the
// parameters into a block of its own.
func (b *ParamBlock) Intact() bool {
	if b == nil {
		return false
	}
	places := b.places[:len(b.params)]
	for i, p := range b.params {
		v, g := p.Value, p.Grad
		if v == nil || g == nil {
			return false
		}
		// One branch per parameter: the differences, or-ed together.
		w := &places[i]
		diff := uintptr(len(v.Data)^w.n) | uintptr(len(g.Data)^w.n) |
			uintptr(unsafe.Pointer(unsafe.SliceData(v.Data))) ^ uintptr(unsafe.Pointer(w.value)) |
			uintptr(unsafe.Pointer(unsafe.SliceData(g.Data))) ^ uintptr(unsafe.Pointer(w.grad))
		if diff != 0 {
			return false
		}
	}
	return true
}

// BlockOf returns the block that holds exactly params, in that order, and
// true; or nil and false if there is none: if params is not the whole
// Params list of a model made by NewSequential, in the same order (a part
// of it, or the parameters of a Sequential nested in another, whose outer
// Sequential holds them in its own block), or if the block is no longer
// intact (see [ParamBlock.Intact]). sgd.New calls it to update the
// parameters in one pass.
func BlockOf(params []*Param) (*ParamBlock, bool) {
	if len(params) == 0 || params[0] == nil {
		return nil, false
	}
	b := params[0].block
	if b == nil || !slices.Equal(b.params, params) || !b.Intact() {
		return nil, false
	}
	return b, true
}

// pack moves the Value.Data of params into one new block, in order, and
// their Grad.Data into another, keeping their contents, and returns the
// block; or it returns nil and moves nothing if some parameter is not
// contiguous, has Value and Grad of different shapes, or shares memory
// with another (the same first element twice: tied weights). Each Data is
// cut from the block at its length, with no capacity beyond it, so that an
// append cannot run into the next parameter.
func pack(params []*Param) *ParamBlock {
	n := 0
	seen := make(map[*float32]bool, 2*len(params))
	for _, p := range params {
		if !contiguous(p.Value) || !contiguous(p.Grad) ||
			p.Value.Rows != p.Grad.Rows || p.Value.Cols != p.Grad.Cols {
			return nil
		}
		if len(p.Value.Data) == 0 {
			continue
		}
		v, g := &p.Value.Data[0], &p.Grad.Data[0]
		if seen[v] || seen[g] || v == g {
			return nil
		}
		seen[v], seen[g] = true, true
		n += len(p.Value.Data)
	}
	b := &ParamBlock{
		values: make([]float32, n),
		grads:  make([]float32, n),
		params: slices.Clone(params),
		places: make([]place, len(params)),
	}
	off := 0
	for i, p := range params {
		k := len(p.Value.Data)
		v, g := b.values[off:off+k:off+k], b.grads[off:off+k:off+k]
		copy(v, p.Value.Data)
		copy(g, p.Grad.Data)
		p.Value.Data, p.Grad.Data = v, g
		p.block = b
		b.places[i] = place{unsafe.SliceData(v), unsafe.SliceData(g), k}
		off += k
	}
	return b
}

// contiguous reports whether m is a matrix whose Data holds exactly its
// Rows·Cols elements, row after row. It divides instead of multiplying,
// so that no product of huge dimensions can wrap around to len(Data).
func contiguous(m *mat.Dense) bool {
	if m == nil || m.Rows < 0 || m.Cols < 0 || m.Stride != m.Cols {
		return false
	}
	if m.Cols == 0 {
		return len(m.Data) == 0
	}
	return len(m.Data)%m.Cols == 0 && len(m.Data)/m.Cols == m.Rows
}
