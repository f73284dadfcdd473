package mat

import "unsafe"

// Overlap reports whether a and b share an element: whether writing one
// could change the other. Views of disjoint parts of one matrix do not
// overlap, even when their rows interleave (the left and the right half
// of a matrix, say). The answer is exact unless a and b both have more
// than one row, are not contiguous, and have different strides: then
// Overlap reports true as soon as the memory spanned by the one, from its
// first element to its last, meets that of the other. A nil or empty
// matrix overlaps nothing.
//
// Gemm, Gemv and Ger panic when their result overlaps an input, as
// PyTorch's operations do ("some elements of the input tensor and the
// written-to tensor refer to a single memory location").
func Overlap(a, b *Dense) bool {
	if !a.Valid() || !b.Valid() || a.Rows == 0 || a.Cols == 0 || b.Rows == 0 || b.Cols == 0 {
		return false
	}
	return overlaps(a.view(), b.view())
}

// overlaps is Overlap for well-formed, non-empty matrices.
func overlaps[T elem](a, b strided[T]) bool {
	return spansMeet(a, b) && regionsMeet(regionOf(a), regionOf(b))
}

// region is the memory of a well-formed matrix with elements, in units of
// its elements from address 0: rows of cols elements, stride apart, from start.
// A contiguous matrix is one row.
type region struct {
	start, rows, cols, stride int
}

func regionOf[T elem](d strided[T]) region {
	size := unsafe.Sizeof(T(0))
	r := region{int(uintptr(unsafe.Pointer(unsafe.SliceData(d.data))) / size), d.rows, d.cols, d.stride}
	if r.rows == 1 || r.stride == r.cols {
		r.cols *= r.rows // no overflow: d is well formed
		r.rows, r.stride = 1, r.cols
	}
	return r
}

// end returns one past the last element of r.
func (r region) end() int { return r.start + (r.rows-1)*r.stride + r.cols }

// spansMeet reports whether the memory from the first to the last element
// of the well-formed, non-empty matrices a and b meets: the first test of
// an overlap, inlined into every Gemm; regionsMeet decides the rest.
func spansMeet[T elem](a, b strided[T]) bool {
	size := unsafe.Sizeof(T(0))
	a0 := uintptr(unsafe.Pointer(unsafe.SliceData(a.data)))
	b0 := uintptr(unsafe.Pointer(unsafe.SliceData(b.data)))
	a1 := a0 + uintptr((a.rows-1)*a.stride+a.cols)*size
	b1 := b0 + uintptr((b.rows-1)*b.stride+b.cols)*size
	return a0 < b1 && b0 < a1
}

// regionsMeet is overlap for regions whose spans meet.
func regionsMeet(a, b region) bool {
	switch {
	case a.rows == 1 && b.rows == 1:
		return true // two contiguous ranges whose spans meet
	case a.rows == 1:
		return rowsMeet(b, a.start, a.end())
	case b.rows == 1:
		return rowsMeet(a, b.start, b.end())
	case a.stride != b.stride:
		return true // not worked out: the spans meet
	}
	// The same stride s. With a starting first, b's row i lies at offset
	// r within a's row q+i (as if a had rows enough), running on into
	// row q+i+1 when r+b.cols > s.
	if b.start < a.start {
		a, b = b, a
	}
	s := a.stride
	q, r := (b.start-a.start)/s, (b.start-a.start)%s
	if r < a.cols && q < a.rows {
		return true // b's row 0 meets a's row q
	}
	return r+b.cols > s && q+1 < a.rows // b's row 0 meets a's row q+1
}

// rowsMeet reports whether a row of m meets the range [lo, hi).
func rowsMeet(m region, lo, hi int) bool {
	// The first row i that ends after lo: m.start + i·s + cols > lo.
	i := 0
	if d := lo - m.start - m.cols; d >= 0 {
		i = d/m.stride + 1
	}
	return i < m.rows && m.start+i*m.stride < hi
}

// overlapVec reports whether the vectors x and y share an element.
func overlapVec[T elem](x, y []T) bool {
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	size := unsafe.Sizeof(T(0))
	x0 := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	y0 := uintptr(unsafe.Pointer(unsafe.SliceData(y)))
	return x0 < y0+uintptr(len(y))*size && y0 < x0+uintptr(len(x))*size
}

// overlapMatVec reports whether the well-formed matrix a and the vector x
// share an element. Callers test overlapVec(a.Data, x) first, inlined: a
// matrix's elements lie within its Data, so most calls stop there.
func overlapMatVec[T elem](a strided[T], x []T) bool {
	if len(x) == 0 || a.rows == 0 || a.cols == 0 {
		return false
	}
	return overlaps(a, strided[T]{rows: 1, cols: len(x), stride: len(x), data: x})
}

// same reports whether x and y are the same elements, in the same order.
func same[T elem](x, y []T) bool {
	return len(x) == len(y) && (len(x) == 0 || unsafe.SliceData(x) == unsafe.SliceData(y))
}

func overlapPanic(op, out, in string) {
	panic("mat: " + op + ": " + out + " shares memory with " + in + ": some elements of the input and the written-to operand refer to a single memory location")
}
