package safetensors

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxHeaderSize is the largest header Read accepts, in bytes: the limit of
// the reference implementation (MAX_HEADER_SIZE, 100 MB).
const MaxHeaderSize = 100_000_000

// metadataKey is the reserved header key of the metadata.
const metadataKey = "__metadata__"

// Tensor is one tensor of a file: its name, element type, shape (nil or
// empty for a scalar) and its elements, row-major, little-endian, as the
// file stores them. len(Data) is the product of Shape times DType.Size().
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// File is the content of a safetensors file: its tensors in the order of
// their data in the file, and the header's metadata (nil if it has none).
type File struct {
	Tensors  []Tensor
	Metadata map[string]string
}

// Tensor returns the tensor of f named name, and whether there is one.
func (f *File) Tensor(name string) (*Tensor, bool) {
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i], true
		}
	}
	return nil, false
}

// entry is one tensor of a header before its data is read.
type entry struct {
	name       string
	dtype      DType
	shape      []int
	begin, end uint64
}

// Read reads a whole safetensors file of size bytes from r and checks it
// as the reference implementation does (see the package documentation for
// the checks). It returns an error, which starts with "safetensors: ",
// for a file that fails any of them, and for a read error of r. What Read
// allocates is bounded by a small multiple of size, whatever the header
// claims: it reads nothing that the size does not hold.
//
// The Data of every tensor is a piece of one buffer that holds the data of
// the whole file; each has no capacity beyond its length.
func Read(r io.ReaderAt, size int64) (*File, error) {
	if size < 8 {
		return nil, fmt.Errorf("safetensors: file of %d bytes is shorter than the 8-byte header length", size)
	}
	var head [8]byte
	if err := readAt(r, head[:], 0); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint64(head[:])
	if n > MaxHeaderSize {
		return nil, fmt.Errorf("safetensors: header length %d is more than the limit of %d bytes", n, MaxHeaderSize)
	}
	if n > uint64(size-8) {
		return nil, fmt.Errorf("safetensors: header length %d runs past the end of the file (%d bytes after the length)", n, size-8)
	}
	header := make([]byte, n)
	if err := readAt(r, header, 8); err != nil {
		return nil, err
	}
	entries, meta, err := parseHeader(header)
	if err != nil {
		return nil, err
	}
	dataLen := uint64(size) - 8 - n
	if err := validate(entries, dataLen); err != nil {
		return nil, err
	}
	if dataLen > math.MaxInt {
		return nil, fmt.Errorf("safetensors: %d bytes of data do not fit in memory on this platform", dataLen)
	}
	// dataLen ≤ size: the buffer is no larger than the file.
	data := make([]byte, dataLen)
	if err := readAt(r, data, 8+int64(n)); err != nil {
		return nil, err
	}
	f := &File{Tensors: make([]Tensor, len(entries)), Metadata: meta}
	for i, e := range entries {
		f.Tensors[i] = Tensor{Name: e.name, DType: e.dtype, Shape: e.shape, Data: data[e.begin:e.end:e.end]}
	}
	return f, nil
}

// readAt fills p from r at off, turning a short read into an error.
func readAt(r io.ReaderAt, p []byte, off int64) error {
	k, err := r.ReadAt(p, off)
	if k == len(p) {
		return nil // io.ReaderAt may return io.EOF with a full read
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("safetensors: reading %d bytes at offset %d: %w", len(p), off, err)
}

// parseHeader decodes the JSON header: the tensors in the header's order
// and the metadata. It rejects invalid UTF-8, a header that does not start
// with '{' (the reference's InvalidHeaderStart), JSON that is not valid or
// not one object, duplicate keys in any object, metadata that is not an
// object of strings, an unknown dtype, a shape that is not a list of
// non-negative integers, and data_offsets that are not two of them.
//
// encoding/json keeps the last of duplicate keys without a word; the
// reference rejects them, and a file whose readers disagree on its content
// is a hazard. So the header is checked with json.Valid (which allocates
// nothing and refuses nesting deeper than 10000) and then walked by the
// small scanner below, which allocates the keys, the shapes and the
// entries: a few times the header's size.
func parseHeader(h []byte) ([]entry, map[string]string, error) {
	if !utf8.Valid(h) {
		return nil, nil, errors.New("safetensors: header is not valid UTF-8")
	}
	if len(h) == 0 || h[0] != '{' {
		return nil, nil, errors.New("safetensors: header does not start with '{'")
	}
	if !json.Valid(h) {
		var v any
		err := json.Unmarshal(h, &v) // for its message
		if err == nil {
			err = errors.New("invalid")
		}
		return nil, nil, fmt.Errorf("safetensors: header is not valid JSON: %v", err)
	}
	s := &scanner{b: h}
	var entries []entry
	var meta map[string]string
	err := s.object(func(name string) error {
		if name == metadataKey {
			var err error
			meta, err = s.metadata()
			return err
		}
		e, err := s.entry(name)
		if err != nil {
			return err
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return entries, meta, nil
}

// scanner walks JSON that json.Valid has accepted.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// peek returns the next byte that is not space.
func (s *scanner) peek() byte {
	s.space()
	return s.b[s.i] // valid JSON does not end inside a value
}

// object walks the object at s.i, calling value for each key with s.i at
// its value, which value must consume. It fails if a key appears twice.
func (s *scanner) object(value func(key string) error) error {
	s.space()
	s.i++ // {
	seen := map[string]bool{}
	for s.peek() != '}' {
		if s.b[s.i] == ',' {
			s.i++
			s.space()
		}
		k := s.str()
		if seen[k] {
			return fmt.Errorf("safetensors: header has the key %q twice in one object", k)
		}
		seen[k] = true
		s.space()
		s.i++ // :
		if err := value(k); err != nil {
			return err
		}
	}
	s.i++
	return nil
}

// str returns the string at s.i, unquoted.
func (s *scanner) str() string {
	s.space()
	start := s.i
	s.i++ // "
	escaped := false
	for s.b[s.i] != '"' {
		if s.b[s.i] == '\\' {
			escaped = true
			s.i++
		}
		s.i++
	}
	s.i++
	if !escaped {
		return string(s.b[start+1 : s.i-1])
	}
	var v string
	json.Unmarshal(s.b[start:s.i], &v) // valid JSON: a valid string
	return v
}

// skip walks over the value at s.i, checking the objects inside it for
// duplicate keys. Its recursion is as deep as the nesting, which
// json.Valid bounds.
func (s *scanner) skip() error {
	switch s.peek() {
	case '{':
		return s.object(func(string) error { return s.skip() })
	case '[':
		s.i++
		for s.peek() != ']' {
			if s.b[s.i] == ',' {
				s.i++
			}
			if err := s.skip(); err != nil {
				return err
			}
		}
		s.i++
	case '"':
		s.str()
	default: // a number, true, false or null
		for s.i < len(s.b) && !strings.ContainsRune(",]} \t\r\n", rune(s.b[s.i])) {
			s.i++
		}
	}
	return nil
}

// raw skips the value at s.i and returns its text.
func (s *scanner) raw() ([]byte, error) {
	s.space()
	start := s.i
	err := s.skip()
	return s.b[start:s.i], err
}

// metadata decodes the __metadata__ value: an object of strings, or null.
func (s *scanner) metadata() (map[string]string, error) {
	switch s.peek() {
	case 'n':
		s.i += len("null")
		return nil, nil
	case '{':
	default:
		v, _ := s.raw()
		return nil, fmt.Errorf("safetensors: %s is %s, not an object of strings", metadataKey, clip(v))
	}
	meta := map[string]string{}
	err := s.object(func(k string) error {
		if s.peek() != '"' {
			v, _ := s.raw()
			return fmt.Errorf("safetensors: %s: %q is %s, not a string", metadataKey, k, clip(v))
		}
		meta[k] = s.str()
		return nil
	})
	return meta, err
}

// entry decodes one tensor's header entry. The keys are matched exactly
// (encoding/json would match "DType" to dtype); other keys are ignored,
// as the reference ignores them.
func (s *scanner) entry(name string) (entry, error) {
	e := entry{name: name}
	bad := func(format string, args ...any) (entry, error) {
		return entry{}, fmt.Errorf("safetensors: tensor %q: "+format, append([]any{name}, args...)...)
	}
	if s.peek() != '{' {
		v, _ := s.raw()
		return bad("header entry is %s, not an object", clip(v))
	}
	var dtype, shape, offsets []byte
	err := s.object(func(k string) error {
		v, err := s.raw()
		switch k {
		case "dtype":
			dtype = v
		case "shape":
			shape = v
		case "data_offsets":
			offsets = v
		}
		return err
	})
	if err != nil {
		return entry{}, err
	}
	switch {
	case dtype == nil:
		return bad("header entry has no dtype")
	case shape == nil:
		return bad("header entry has no shape")
	case offsets == nil:
		return bad("header entry has no data_offsets")
	case dtype[0] != '"':
		return bad("dtype is %s, not a string", clip(dtype))
	}
	e.dtype = DType((&scanner{b: dtype}).str())
	if e.dtype.Size() == 0 {
		return bad("unknown dtype %q", e.dtype)
	}
	dims, err := naturals(shape)
	if err != nil {
		return bad("shape %s: %v", clip(shape), err)
	}
	e.shape = make([]int, len(dims))
	for i, d := range dims {
		if d > math.MaxInt {
			return bad("shape %s: dimension %d does not fit in an int", clip(shape), d)
		}
		e.shape[i] = int(d)
	}
	offs, err := naturals(offsets)
	if err != nil || len(offs) != 2 {
		return bad("data_offsets %s: want two non-negative integers", clip(offsets))
	}
	e.begin, e.end = offs[0], offs[1]
	return e, nil
}

// naturals decodes a JSON list of non-negative integers that fit in 64
// bits, from valid JSON.
func naturals(raw []byte) ([]uint64, error) {
	if raw[0] != '[' {
		return nil, errors.New("not a list of integers")
	}
	var out []uint64
	s := &scanner{b: raw, i: 1}
	for s.peek() != ']' {
		if s.b[s.i] == ',' {
			s.i++
		}
		v, err := s.raw()
		if err != nil {
			return nil, err
		}
		n, ok := natural(v)
		if !ok {
			return nil, fmt.Errorf("%s is not an integer in [0, 2⁶⁴)", clip(v))
		}
		out = append(out, n)
	}
	return out, nil
}

// natural parses a decimal integer in [0, 2⁶⁴).
func natural(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		hi, lo := bits.Mul64(n, 10)
		lo, carry := bits.Add64(lo, uint64(c-'0'), 0)
		if hi != 0 || carry != 0 {
			return 0, false
		}
		n = lo
	}
	return n, true
}

// clip returns the start of a JSON value for an error message.
func clip(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "…"
	}
	return string(raw)
}

// validate sorts entries by their offsets, as the reference does, and
// checks what it checks: the data of the tensors one after another from
// offset 0, each beginning where the last ended (no gap, no overlap), the
// last ending at the end of the file, and each holding exactly
// prod(shape)·size(dtype) bytes, computed without overflow.
func validate(entries []entry, dataLen uint64) error {
	slices.SortStableFunc(entries, func(a, b entry) int {
		if c := cmpUint(a.begin, b.begin); c != 0 {
			return c
		}
		return cmpUint(a.end, b.end)
	})
	var at uint64
	for _, e := range entries {
		if e.begin != at || e.end < e.begin {
			if e.begin > at {
				return fmt.Errorf("safetensors: tensor %q: data_offsets [%d, %d] leave a gap: the data before ends at %d", e.name, e.begin, e.end, at)
			}
			if e.end < e.begin {
				return fmt.Errorf("safetensors: tensor %q: data_offsets [%d, %d] end before they begin", e.name, e.begin, e.end)
			}
			return fmt.Errorf("safetensors: tensor %q: data_offsets [%d, %d] overlap the data before, which ends at %d", e.name, e.begin, e.end, at)
		}
		need, ok := nbytes(e.dtype, e.shape)
		if !ok {
			return fmt.Errorf("safetensors: tensor %q: %s %v: the number of bytes overflows", e.name, e.dtype, shapeString(e.shape))
		}
		if e.end-e.begin != need {
			return fmt.Errorf("safetensors: tensor %q: data_offsets [%d, %d] hold %d bytes but %s %v needs %d",
				e.name, e.begin, e.end, e.end-e.begin, e.dtype, shapeString(e.shape), need)
		}
		at = e.end
	}
	if at != dataLen {
		return fmt.Errorf("safetensors: the tensors' data ends at %d but the file holds %d bytes of data after the header", at, dataLen)
	}
	return nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// nbytes returns prod(shape)·size(dtype) and true, or false if a
// dimension is negative or the product overflows 64 bits. As in the
// reference, the elements are counted first, left to right, then
// multiplied by the size: [2⁶², 0] is 0 bytes, [2⁶³, 2] overflows.
func nbytes(dtype DType, shape []int) (uint64, bool) {
	n := uint64(1)
	for _, s := range shape {
		if s < 0 {
			return 0, false
		}
		hi, lo := bits.Mul64(n, uint64(s))
		if hi != 0 {
			return 0, false
		}
		n = lo
	}
	hi, lo := bits.Mul64(n, uint64(dtype.Size()))
	return lo, hi == 0
}

// shapeString formats a shape as fmt does, [2 3], up to 8 dimensions, and
// elides the rest of a longer one.
func shapeString(shape []int) string {
	if len(shape) <= 8 {
		return fmt.Sprint(shape)
	}
	return fmt.Sprintf("%v (%d dimensions)", strings.TrimSuffix(fmt.Sprint(shape[:8]), "]")+" …]", len(shape))
}
