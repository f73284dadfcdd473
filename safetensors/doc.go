// Package safetensors reads and writes the safetensors format of Hugging
// Face (github.com/huggingface/safetensors), checking files as its
// reference implementation does, so that a file from a stranger is either
// read whole or refused with an error, never a panic.
//
//	PyTorch: save_file(model.state_dict(), "model.safetensors")
//	pente:   err := safetensors.WriteFile("model.safetensors", tensors, nil)
//	         f, err := safetensors.Read(file, size)
//
// # The format
//
// A file is 8 bytes N, a little-endian unsigned 64-bit integer, then N
// bytes of a JSON object, the header, then the data. The header maps each
// tensor's name to {"dtype": "F32", "shape": [2, 3], "data_offsets":
// [begin, end]}, the tensor's bytes lying at [begin, end) of the data,
// row-major and little-endian; the optional key __metadata__ maps to an
// object of strings. [Write] pads the header with spaces to a multiple of
// 8 bytes, as the reference does, so the data is aligned.
//
// # What Read checks
//
// [Read] refuses, with an error that starts with "safetensors: " and names
// the tensor and the numbers involved:
//
//   - a file shorter than 8 bytes, a header length above [MaxHeaderSize]
//     (100 MB, the reference's limit; a length of 2⁶³ included) or beyond
//     the end of the file;
//   - a header that is not valid UTF-8, does not start with '{', is not
//     one JSON object (objects and arrays nested deeper than 10000 are
//     refused, as encoding/json refuses them), or has a key twice in any
//     object (encoding/json would keep the last one silently: Read walks
//     the header itself);
//   - __metadata__ that is not an object of strings (null is allowed);
//   - an entry that is not an object with "dtype" (one of the [DType]
//     constants), "shape" (non-negative integers) and "data_offsets" (two
//     non-negative integers); other keys are ignored, as the reference
//     ignores them;
//   - offsets that, sorted, do not start at 0, do not each begin where the
//     last ended (a gap, an overlap), end before they begin, or do not end
//     at the end of the file;
//   - a tensor whose prod(shape)·size(dtype), computed in 64 bits with
//     overflow checks, is not end − begin.
//
// Read allocates the header (at most the file's size and 100 MB), what
// decoding it takes (a few times its size), and one buffer for the data,
// only once the header has been checked against the file's size: never
// more than a small multiple of the file's size, whatever the header
// claims.
//
// # Types and conversions
//
// Tensor.Data holds the bytes as the file does; [Tensor.Float32s] and
// [DecodeFloat32] convert F32, F64, F16 and BF16 to float32 (F64 rounded
// to nearest even, the others exactly), [EncodeFloat32] goes the other
// way for F32, and [F16ToFloat32] and [Float32ToF16] convert one binary16.
// Everything is byte-order independent: a big-endian machine reads and
// writes the same files.
//
// # Writing safely
//
// [WriteFile] writes a temporary file in the target's directory, syncs it,
// renames it over the target and syncs the directory: a write that fails
// part-way (a full disk, an I/O error) leaves the old file as it was and
// no temporary file behind.
package safetensors
