package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Float32s returns the elements of t as float32: F32 as they are, F64
// rounded to the nearest float32 (ties to even; beyond the float32 range,
// ±Inf), F16 and BF16 exactly (every one is a float32), NaN staying NaN. It
// returns an error for any other dtype, or if len(Data) is not a whole
// number of elements.
func (t *Tensor) Float32s() ([]float32, error) {
	size := t.DType.Size()
	if !t.DType.IsFloat() {
		return nil, fmt.Errorf("safetensors: tensor %q is %s, not a floating-point type", t.Name, t.DType)
	}
	if len(t.Data)%size != 0 {
		return nil, fmt.Errorf("safetensors: tensor %q: %d bytes are not a whole number of %s", t.Name, len(t.Data), t.DType)
	}
	dst := make([]float32, len(t.Data)/size)
	DecodeFloat32(dst, t.DType, t.Data)
	return dst, nil
}

// DecodeFloat32 sets dst[i] to element i of src, little-endian elements
// of dtype (F32, F64, F16 or BF16), converted as [Tensor.Float32s] does.
// It panics unless len(src) is len(dst)·dtype.Size() and dtype is one of
// the four.
func DecodeFloat32(dst []float32, dtype DType, src []byte) {
	if !dtype.IsFloat() || len(src)/dtype.Size() != len(dst) || len(src)%dtype.Size() != 0 {
		panic(fmt.Sprintf("safetensors: DecodeFloat32: %d bytes of %s into %d float32", len(src), dtype, len(dst)))
	}
	le := binary.LittleEndian
	switch dtype {
	case F32:
		for i := range dst {
			dst[i] = math.Float32frombits(le.Uint32(src[4*i:]))
		}
	case F64:
		for i := range dst {
			dst[i] = float32(math.Float64frombits(le.Uint64(src[8*i:]))) // IEEE rounding: to nearest, ties to even
		}
	case F16:
		for i := range dst {
			dst[i] = F16ToFloat32(le.Uint16(src[2*i:]))
		}
	case BF16:
		for i := range dst {
			dst[i] = math.Float32frombits(uint32(le.Uint16(src[2*i:])) << 16)
		}
	}
}

// EncodeFloat32 returns x as the little-endian bytes of an F32 tensor.
func EncodeFloat32(x []float32) []byte {
	b := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

// F16ToFloat32 returns the IEEE binary16 value with bits h as a float32,
// exactly: subnormals, ±0, ±Inf, and a NaN as a quiet NaN with its payload
// in the top bits of the float32's, as torch's .float() gives it.
func F16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f && frac == 0:
		return math.Float32frombits(sign | 0xff<<23) // ±Inf
	case exp == 0x1f: // NaN, made quiet as the hardware (and torch) does
		return math.Float32frombits(sign | 0xff<<23 | 1<<22 | frac<<13)
	case exp != 0: // normal: rebias 15 → 127
		return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
	case frac == 0:
		return math.Float32frombits(sign) // ±0
	}
	// Subnormal: frac·2⁻²⁴, normal as a float32. Shift the leading one to
	// bit 10, lowering the exponent once per shift.
	e := uint32(127 - 15 + 1)
	for frac&0x400 == 0 {
		frac <<= 1
		e--
	}
	return math.Float32frombits(sign | e<<23 | (frac&0x3ff)<<13)
}

// Float32ToF16 returns the IEEE binary16 nearest to x (ties to even), as
// torch's x.half() does: ±Inf from 65520 on, subnormals below 2⁻¹⁴, a NaN
// the quiet NaN 0x7e00 with x's sign.
func Float32ToF16(x float32) uint16 {
	b := math.Float32bits(x)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	frac := b & 0x7fffff
	if exp == 0xff {
		if frac == 0 {
			return sign | 0x7c00
		}
		return sign | 0x7e00 // c10's canonical quiet NaN
	}
	e := exp - 127 + 15 // the binary16 exponent field if x is normal there
	if e >= 0x1f {
		return sign | 0x7c00
	}
	var m uint32 // the significand with the implicit one, 24 bits
	var shift uint
	if e > 0 {
		m, shift = frac|0x800000, 13
	} else {
		if exp == 0 || e < -10 { // below 2⁻²⁵, half the smallest subnormal: ±0
			return sign
		}
		m, shift = frac|0x800000, uint(14-e)
		e = 0
	}
	// Round m >> shift to nearest, ties to even; a carry out of the
	// significand moves into the exponent, as it should.
	half := uint32(1) << (shift - 1)
	r := m >> shift
	rest := m & (1<<shift - 1)
	if rest > half || rest == half && r&1 == 1 {
		r++
	}
	if e > 0 {
		return sign + uint16(e)<<10 + uint16(r-0x400)
	}
	return sign + uint16(r)
}
