package safetensors

// DType is the type of a tensor's elements, as the header spells it.
type DType string

// The element types of the format, with the torch types they hold.
const (
	F64    DType = "F64"     // torch.float64
	F32    DType = "F32"     // torch.float32
	F16    DType = "F16"     // torch.float16 (IEEE binary16)
	BF16   DType = "BF16"    // torch.bfloat16
	F8E4M3 DType = "F8_E4M3" // torch.float8_e4m3fn
	F8E5M2 DType = "F8_E5M2" // torch.float8_e5m2
	I64    DType = "I64"     // torch.int64
	I32    DType = "I32"     // torch.int32
	I16    DType = "I16"     // torch.int16
	I8     DType = "I8"      // torch.int8
	U64    DType = "U64"     // torch.uint64
	U32    DType = "U32"     // torch.uint32
	U16    DType = "U16"     // torch.uint16
	U8     DType = "U8"      // torch.uint8
	BOOL   DType = "BOOL"    // torch.bool, one byte of 0 or 1
)

// Size returns the number of bytes of one element of d, or 0 if d is not
// one of the types above.
func (d DType) Size() int {
	switch d {
	case F64, I64, U64:
		return 8
	case F32, I32, U32:
		return 4
	case F16, BF16, I16, U16:
		return 2
	case F8E4M3, F8E5M2, I8, U8, BOOL:
		return 1
	}
	return 0
}

// IsFloat reports whether d is one of the types that [Tensor.Float32s]
// converts: F64, F32, F16 and BF16.
func (d DType) IsFloat() bool { return d == F64 || d == F32 || d == F16 || d == BF16 }
