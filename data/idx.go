package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"

	"github.com/pente-go/pente/mat"
)

// IDX is an array read from an IDX file, the format of the MNIST files
// (train-images-idx3-ubyte and the rest): a big-endian header of two zero
// bytes, a type code, the number of dimensions and each dimension as a
// 32-bit integer, then the values, big-endian, the last dimension varying
// fastest.
type IDX struct {
	Type byte   // the type code: one of the IDX* constants
	Dims []int  // the dimensions, e.g. [10000 28 28]
	Data []byte // the values as stored: Len()·Size() bytes, big-endian
}

// The IDX type codes.
const (
	IDXUint8   byte = 0x08 // unsigned byte
	IDXInt8    byte = 0x09 // signed byte
	IDXInt16   byte = 0x0B // short, 2 bytes
	IDXInt32   byte = 0x0C // int, 4 bytes
	IDXFloat32 byte = 0x0D // float, 4 bytes
	IDXFloat64 byte = 0x0E // double, 8 bytes
)

// MaxIDXBytes bounds the values of an IDX file that ReadIDX accepts, 4 GiB:
// a header that announces more is rejected before anything is allocated.
const MaxIDXBytes int64 = 4 << 30

// idxSize returns the size in bytes of one value of type t, or 0 for an
// unknown type.
func idxSize(t byte) int {
	switch t {
	case IDXUint8, IDXInt8:
		return 1
	case IDXInt16:
		return 2
	case IDXInt32, IDXFloat32:
		return 4
	case IDXFloat64:
		return 8
	}
	return 0
}

// Size returns the size in bytes of one value.
func (a *IDX) Size() int { return idxSize(a.Type) }

// Len returns the number of values, the product of Dims.
func (a *IDX) Len() int {
	n := 1
	for _, d := range a.Dims {
		n *= d
	}
	return n
}

// ReadIDXFile reads the IDX file name, gzipped or not (see [ReadIDX]).
// Errors name the file.
func ReadIDXFile(name string) (*IDX, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return a, nil
}

// ReadIDX reads an IDX array from r, which may be gzipped (it starts with
// gzip's magic bytes 1f 8b; no IDX file does, since an IDX file starts
// with two zero bytes). It reads r to its end: the values must fill it
// exactly, as many as the header announces, no more, no fewer.
//
// It returns an error, never a partial array, for a header with nonzero
// first bytes, an unknown type code, no dimensions, a dimension above
// 2³¹−1, values of more than MaxIDXBytes bytes, a file shorter or longer
// than the header says, or a corrupt gzip stream. The memory it allocates
// grows with what it reads, not with what the header claims.
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReader(r)
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: gzip: %w", err)
		}
		defer z.Close()
		br = bufio.NewReader(z)
	}
	var head [4]byte
	if _, err := io.ReadFull(br, head[:]); err != nil {
		return nil, fmt.Errorf("idx: header: %w", short(err))
	}
	if head[0] != 0 || head[1] != 0 {
		return nil, fmt.Errorf("idx: not an IDX file: it starts with % x, not 00 00", head[:2])
	}
	a := &IDX{Type: head[2]}
	size := idxSize(a.Type)
	if size == 0 {
		return nil, fmt.Errorf("idx: unknown type code 0x%02x (want 08, 09, 0b, 0c, 0d or 0e)", a.Type)
	}
	nd := int(head[3])
	if nd == 0 {
		return nil, errors.New("idx: the header gives no dimensions")
	}
	dims := make([]byte, 4*nd)
	if _, err := io.ReadFull(br, dims); err != nil {
		return nil, fmt.Errorf("idx: header of %d dimensions: %w", nd, short(err))
	}
	a.Dims = make([]int, nd)
	total := uint64(size) // bytes of the values, at most MaxIDXBytes
	for i := range a.Dims {
		d := binary.BigEndian.Uint32(dims[4*i:])
		if d > math.MaxInt32 {
			return nil, fmt.Errorf("idx: dimension %d is %d, above 2³¹−1", i, d)
		}
		a.Dims[i] = int(d)
		hi, lo := bits.Mul64(total, uint64(d))
		if hi != 0 || lo > uint64(MaxIDXBytes) {
			return nil, fmt.Errorf("idx: dimensions %v of %d-byte values exceed %d bytes", dimsOf(dims), size, MaxIDXBytes)
		}
		total = lo
	}
	if uint64(int(total)) != total { // a 32-bit int
		return nil, fmt.Errorf("idx: dimensions %v of %d-byte values do not fit in memory here", a.Dims, size)
	}
	// Read what is there, at most one byte more than announced, so that a
	// header claiming gigabytes costs only the bytes that follow it.
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(br, int64(total)+1))
	if err != nil {
		return nil, fmt.Errorf("idx: values: %w", err)
	}
	switch {
	case n < int64(total):
		return nil, fmt.Errorf("idx: dimensions %v of %d-byte values need %d bytes after the header, the file has %d", a.Dims, size, total, n)
	case n > int64(total):
		extra, err := io.Copy(io.Discard, br)
		if err != nil {
			return nil, fmt.Errorf("idx: values: %w", err)
		}
		return nil, fmt.Errorf("idx: dimensions %v of %d-byte values need %d bytes after the header, the file has %d", a.Dims, size, total, n+extra)
	}
	a.Data = buf.Bytes()
	return a, nil
}

// dimsOf decodes the big-endian dimensions of a header, for a message.
func dimsOf(b []byte) []uint32 {
	d := make([]uint32, len(b)/4)
	for i := range d {
		d[i] = binary.BigEndian.Uint32(b[4*i:])
	}
	return d
}

// short turns io.EOF into io.ErrUnexpectedEOF: a file that ends inside
// its header is truncated.
func short(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// At returns value i (in the order of the file) as a float64, which holds
// every IDX type exactly.
func (a *IDX) At(i int) float64 {
	switch a.Type {
	case IDXUint8:
		return float64(a.Data[i])
	case IDXInt8:
		return float64(int8(a.Data[i]))
	case IDXInt16:
		return float64(int16(binary.BigEndian.Uint16(a.Data[2*i:])))
	case IDXInt32:
		return float64(int32(binary.BigEndian.Uint32(a.Data[4*i:])))
	case IDXFloat32:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(a.Data[4*i:])))
	case IDXFloat64:
		return math.Float64frombits(binary.BigEndian.Uint64(a.Data[8*i:]))
	}
	panic(fmt.Sprintf("data.IDX.At: unknown type code 0x%02x", a.Type))
}

// Dense returns the array as a matrix of Dims[0] rows, one per item (an
// image of MNIST's 28×28 becomes a row of 784 values), each value
// converted to float32 and divided by div: Dense(255) gives MNIST's pixels
// in [0, 1], as torchvision's ToTensor does (x.float().div(255), rounded
// once). It returns an error for a one-dimensional array or no items.
func (a *IDX) Dense(div float32) (*mat.Dense, error) {
	if len(a.Dims) < 2 || a.Dims[0] == 0 || a.Len() == 0 {
		return nil, fmt.Errorf("data.IDX.Dense: dimensions %v are not a nonempty list of items", a.Dims)
	}
	rows := a.Dims[0]
	m := mat.NewDense(rows, a.Len()/rows, nil)
	for i := range m.Data {
		m.Data[i] = float32(a.At(i)) / div
	}
	return m, nil
}

// Labels returns a one-dimensional array of integers as ints, e.g. MNIST's
// labels. It returns an error for an array of another shape or of floats.
func (a *IDX) Labels() ([]int, error) {
	if len(a.Dims) != 1 {
		return nil, fmt.Errorf("data.IDX.Labels: dimensions %v, want one", a.Dims)
	}
	if a.Type == IDXFloat32 || a.Type == IDXFloat64 {
		return nil, fmt.Errorf("data.IDX.Labels: type code 0x%02x holds floats, not labels", a.Type)
	}
	l := make([]int, a.Dims[0])
	for i := range l {
		l[i] = int(a.At(i))
	}
	return l, nil
}
