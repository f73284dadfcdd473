package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"
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
// with '{' (the reference's InvalidHeaderStart), JSON that is not one
// object of objects, duplicate keys at any depth, metadata that is not an
// object of strings, an unknown dtype, a shape that is not a list of
// non-negative integers or data_offsets that are not two.
func parseHeader(h []byte) ([]entry, map[string]string, error) {
	if !utf8.Valid(h) {
		return nil, nil, errors.New("safetensors: header is not valid UTF-8")
	}
	if len(h) == 0 || h[0] != '{' {
		return nil, nil, errors.New("safetensors: header does not start with '{'")
	}
	if err := checkJSON(h); err != nil {
		return nil, nil, err
	}
	// checkJSON has walked the whole header: it is one object, without
	// duplicate keys. The walk below keeps the keys' order.
	d := json.NewDecoder(bytes.NewReader(h))
	d.UseNumber()
	if _, err := d.Token(); err != nil { // {
		return nil, nil, fmt.Errorf("safetensors: header: %v", err)
	}
	var entries []entry
	var meta map[string]string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: header: %v", err)
		}
		name := tok.(string) // checkJSON: an object's keys are strings
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return nil, nil, fmt.Errorf("safetensors: header: %q: %v", name, err)
		}
		if name == metadataKey {
			if meta, err = parseMetadata(raw); err != nil {
				return nil, nil, err
			}
			continue
		}
		e, err := parseEntry(name, raw)
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, e)
	}
	return entries, meta, nil
}

// checkJSON returns an error unless h is exactly one JSON object (space
// around it allowed) with no key twice in any object. encoding/json keeps
// the last of duplicate keys without a word; the reference rejects them,
// and a file whose readers disagree on its content is a hazard.
func checkJSON(h []byte) error {
	d := json.NewDecoder(bytes.NewReader(h))
	d.UseNumber()
	// keys holds the keys seen so far in each open object (nil for an
	// array); objects nest as deep as the header is long, each level
	// costing a few words: a small multiple of the header's size.
	var keys []map[string]bool
	expectKey := false // the next token of the innermost object is a key
	done := false      // the top-level object has been read
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if len(keys) != 0 {
				return errors.New("safetensors: header: unexpected end of JSON input")
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("safetensors: header is not valid JSON: %v", err)
		}
		if len(keys) == 0 {
			if done || tok != json.Delim('{') {
				return errors.New("safetensors: header is not one JSON object")
			}
			done = true
		}
		inObject := len(keys) > 0 && keys[len(keys)-1] != nil
		if inObject && expectKey {
			if delim, ok := tok.(json.Delim); ok && delim == '}' {
				keys = keys[:len(keys)-1]
				expectKey = len(keys) > 0 && keys[len(keys)-1] != nil
				continue
			}
			k := tok.(string) // the decoder only returns a string as a key
			if keys[len(keys)-1][k] {
				return fmt.Errorf("safetensors: header has the key %q twice in one object", k)
			}
			keys[len(keys)-1][k] = true
			expectKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			keys = append(keys, map[string]bool{})
			expectKey = true
			continue
		case json.Delim('['):
			keys = append(keys, nil)
		case json.Delim(']'):
			keys = keys[:len(keys)-1]
		}
		// A value has ended (or an array begun): an enclosing object
		// expects its next key.
		expectKey = len(keys) > 0 && keys[len(keys)-1] != nil
	}
}

// parseMetadata decodes the __metadata__ value: an object of strings, or
// null.
func parseMetadata(raw json.RawMessage) (map[string]string, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("safetensors: %s is not an object of strings", metadataKey)
	}
	meta := make(map[string]string, len(fields))
	for k, v := range fields {
		var s string
		if v[0] != '"' || json.Unmarshal(v, &s) != nil {
			return nil, fmt.Errorf("safetensors: %s: %q is %s, not a string", metadataKey, k, clip(v))
		}
		meta[k] = s
	}
	return meta, nil
}

// parseEntry decodes one tensor's header entry. The keys are matched
// exactly (encoding/json would match "DType" to dtype); other keys are
// ignored, as the reference ignores them.
func parseEntry(name string, raw json.RawMessage) (entry, error) {
	e := entry{name: name}
	bad := func(format string, args ...any) (entry, error) {
		return entry{}, fmt.Errorf("safetensors: tensor %q: "+format, append([]any{name}, args...)...)
	}
	var fields map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &fields) != nil {
		return bad("header entry is %s, not an object", clip(raw))
	}
	for _, k := range []string{"dtype", "shape", "data_offsets"} {
		if _, ok := fields[k]; !ok {
			return bad("header entry has no %s", k)
		}
	}
	var dt string
	if fields["dtype"][0] != '"' || json.Unmarshal(fields["dtype"], &dt) != nil {
		return bad("dtype is %s, not a string", clip(fields["dtype"]))
	}
	e.dtype = DType(dt)
	if e.dtype.Size() == 0 {
		return bad("unknown dtype %q", dt)
	}
	shape, err := naturals(fields["shape"])
	if err != nil {
		return bad("shape %s: %v", clip(fields["shape"]), err)
	}
	e.shape = make([]int, len(shape))
	for i, s := range shape {
		if s > math.MaxInt {
			return bad("shape %v: dimension %d does not fit in an int", shape, s)
		}
		e.shape[i] = int(s)
	}
	offs, err := naturals(fields["data_offsets"])
	if err != nil || len(offs) != 2 {
		return bad("data_offsets %s: want two non-negative integers", clip(fields["data_offsets"]))
	}
	e.begin, e.end = offs[0], offs[1]
	return e, nil
}

// naturals decodes a JSON list of non-negative integers that fit in 64
// bits.
func naturals(raw json.RawMessage) ([]uint64, error) {
	var nums []json.Number
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if raw[0] != '[' || d.Decode(&nums) != nil {
		return nil, errors.New("not a list of integers")
	}
	out := make([]uint64, len(nums))
	for i, s := range nums {
		v, err := strconv.ParseUint(string(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not an integer in [0, 2⁶⁴)", s)
		}
		out[i] = v
	}
	return out, nil
}

// clip returns the start of a JSON value for an error message.
func clip(raw json.RawMessage) string {
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
			return fmt.Errorf("safetensors: tensor %q: %s %v: the number of bytes overflows", e.name, e.dtype, e.shape)
		}
		if e.end-e.begin != need {
			return fmt.Errorf("safetensors: tensor %q: data_offsets [%d, %d] hold %d bytes but %s %v needs %d",
				e.name, e.begin, e.end, e.end-e.begin, e.dtype, e.shape, need)
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
