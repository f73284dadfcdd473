package torchfile

import (
	"errors"
	"fmt"
	"math/bits"
)

// dtype indexes dtypes.
type dtype int

// dtypes are torch's storage types, with the safetensors name and the size
// of an element.
var dtypes = [...]struct {
	storage, name string
	size          int
}{
	{"DoubleStorage", "F64", 8},
	{"FloatStorage", "F32", 4},
	{"HalfStorage", "F16", 2},
	{"BFloat16Storage", "BF16", 2},
	{"LongStorage", "I64", 8},
	{"IntStorage", "I32", 4},
	{"ShortStorage", "I16", 2},
	{"CharStorage", "I8", 1},
	{"ByteStorage", "U8", 1},
	{"BoolStorage", "BOOL", 1},
}

// newTensor checks the arguments of _rebuild_tensor_v2 and makes the view
// they describe. Its bounds against the storage are checked by span.
func newTensor(storage, offset, size, stride any) (*tensorRef, error) {
	s, ok := storage.(*storageRef)
	if !ok {
		return nil, fmt.Errorf("storage is a %s", kind(storage))
	}
	off, ok := offset.(int64)
	if !ok || off < 0 {
		return nil, fmt.Errorf("storage offset is %s", describe(offset))
	}
	shape, err := ints("size", size)
	if err != nil {
		return nil, err
	}
	strides, err := ints("stride", stride)
	if err != nil {
		return nil, err
	}
	if len(shape) != len(strides) {
		return nil, fmt.Errorf("size has %d dimensions and stride %d", len(shape), len(strides))
	}
	return &tensorRef{storage: s, offset: off, shape: shape, stride: strides}, nil
}

// ints reads a tuple of non-negative integers of at most maxRank items.
func ints(what string, v any) ([]int64, error) {
	t, ok := v.(tuple)
	if !ok {
		return nil, fmt.Errorf("%s is a %s, not a tuple", what, kind(v))
	}
	if len(t) > maxRank {
		return nil, fmt.Errorf("%s has %d dimensions (more than %d)", what, len(t), maxRank)
	}
	out := make([]int64, len(t))
	for i, x := range t {
		n, ok := x.(int64)
		if !ok || n < 0 {
			return nil, fmt.Errorf("%s[%d] is %s", what, i, describe(x))
		}
		out[i] = n
	}
	return out, nil
}

// span checks t against its storage and returns the number of elements of
// t. What passes is in bounds: with every size ≥ 1, the largest element
// index is offset + Σ (size_i − 1)·stride_i, computed in uint64 with every
// product and sum checked for overflow, and it must be below the storage's
// numel (itself below 2⁶³); a tensor with a size of 0 reads nothing. The
// element count, times the element size, is also checked to fit in an int,
// so that the caller may allocate it (after its own limit).
func (t *tensorRef) span() (int, error) {
	numel := uint64(1)
	last := uint64(t.offset)
	for i, n := range t.shape {
		if n == 0 {
			return 0, nil
		}
		hi, lo := bits.Mul64(numel, uint64(n))
		if hi != 0 || lo > 1<<62 {
			return 0, fmt.Errorf("shape %v has too many elements", t.shape)
		}
		numel = lo
		hi, step := bits.Mul64(uint64(n-1), uint64(t.stride[i]))
		var carry uint64
		last, carry = bits.Add64(last, step, 0)
		if hi != 0 || carry != 0 {
			return 0, errOutOfStorage(t)
		}
	}
	if last >= uint64(t.storage.numel) {
		return 0, errOutOfStorage(t)
	}
	// numel ≤ storage numel is not required (a stride of 0 repeats
	// elements), but the bytes must fit in an int.
	hi, lo := bits.Mul64(numel, uint64(dtypes[t.storage.dtype].size))
	if hi != 0 || lo > uint64(maxInt) {
		return 0, fmt.Errorf("shape %v has too many bytes for this machine", t.shape)
	}
	return int(numel), nil
}

const maxInt = int(^uint(0) >> 1)

func errOutOfStorage(t *tensorRef) error {
	return fmt.Errorf("a view of size %v, stride %v at offset %d reaches beyond its storage %s of %d elements",
		t.shape, t.stride, t.offset, t.storage.key, t.storage.numel)
}

var errNotContiguous = errors.New("not contiguous")

// contiguous reports whether t's elements are those of its storage from
// offset on, in row-major order (dimensions of size 1 have any stride).
func (t *tensorRef) contiguous() bool {
	want := int64(1)
	for i := len(t.shape) - 1; i >= 0; i-- {
		if t.shape[i] != 1 && t.stride[i] != want {
			return false
		}
		want *= t.shape[i]
	}
	return true
}

// gather copies the elements of t, in row-major order, from storage (the
// bytes of its storage, whose length span has checked) into dst, which
// holds exactly numel·size bytes. Dimensions of size 1 are dropped first;
// every other stride is then at most the largest index span checked, so
// the int64 offsets below stay within twice that, and every offset at
// which gather reads is within it.
func (t *tensorRef) gather(dst, storage []byte) {
	if len(dst) == 0 {
		return
	}
	size := int64(dtypes[t.storage.dtype].size)
	if t.contiguous() {
		start := int(t.offset * size)
		copy(dst, storage[start:start+len(dst)])
		return
	}
	var shape, stride []int64
	for i, n := range t.shape {
		if n != 1 {
			shape = append(shape, n)
			stride = append(stride, t.stride[i]*size)
		}
	}
	// Walk the indices of all dimensions but the last as an odometer; the
	// last is a run of n elements at its stride.
	rank := len(shape)
	n, step := int(shape[rank-1]), stride[rank-1]
	run := n * int(size)
	index := make([]int64, rank-1)
	base := t.offset * size
	for {
		if step == size {
			copy(dst[:run], storage[base:base+int64(run)])
		} else {
			at := base
			for i := 0; i < run; i += int(size) {
				copy(dst[i:i+int(size)], storage[at:at+size])
				at += step
			}
		}
		dst = dst[run:]
		d := rank - 2
		for ; d >= 0; d-- { // the next index, carrying leftwards
			index[d]++
			base += stride[d]
			if index[d] < shape[d] {
				break
			}
			base -= shape[d] * stride[d]
			index[d] = 0
		}
		if d < 0 {
			return
		}
	}
}
