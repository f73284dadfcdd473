// Package torchfile reads the files torch.save writes for a state_dict,
//
//	torch.save(model.state_dict(), "model.pt")
//
// in the zip format of torch ≥ 1.6, without Python and without cgo, and
// without executing anything the file says.
//
// # API
//
//	// Tensor is one entry of a state_dict: contiguous, row-major, little-endian bytes.
//	type Tensor struct {
//		Name  string
//		DType string // safetensors' names: "F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"
//		Shape []int
//		Data  []byte
//	}
//	// Read reads a state_dict saved by torch.save; the tensors in the state_dict's order.
//	func Read(r io.ReaderAt, size int64) ([]Tensor, error)
//	// IsZip reports whether head (the first bytes of a file) starts a zip archive, as torch.save's files do.
//	func IsZip(head []byte) bool
//
// Each Tensor owns its Data: views of one storage (slices, a transposed
// view, the same tensor under two names) are gathered into their own
// contiguous bytes, so writing to one Tensor never changes another. A
// 0-dimensional tensor has Shape [] and one element; a tensor with a size
// of 0 has no bytes. The storage's device (a state_dict saved from "cuda:0")
// does not matter: the bytes are the same.
//
// # The file
//
// torch.save writes a zip archive whose entries sit in one top folder,
// named after the file ("model" for model.pt) or "archive" when it saved to
// a buffer:
//
//	<top>/data.pkl               the state_dict, pickled (protocol 2)
//	<top>/data/<key>             each storage's bytes, stored uncompressed
//	<top>/version                the format's version
//	<top>/byteorder              "little" or "big" (torch ≥ 2)
//	<top>/.data/serialization_id (torch ≥ 2)
//
// Other entries in the top folder are ignored, except that a TorchScript
// archive (constants.pkl, code/) is rejected. A byteorder of "big" (a file
// saved on s390x) is accepted: every element is byte-swapped to little
// endian.
//
// data.pkl is read by a restricted unpickler written here (pickle.go). It
// knows the opcodes of protocols 2 to 4 that build a state_dict (ints,
// floats, strings, tuples, lists, dicts, the memo, marks), and only these
// globals:
//
//	collections.OrderedDict                     called with no arguments
//	torch._utils._rebuild_tensor_v2             (storage, offset, size, stride, requires_grad, hooks[, metadata])
//	torch._utils._rebuild_tensor                (storage, offset, size, stride)
//	torch._utils._rebuild_parameter             (tensor, requires_grad, hooks), an nn.Parameter
//	torch._utils._rebuild_parameter_with_state  (tensor, requires_grad, hooks, state)
//	torch.DoubleStorage, FloatStorage, HalfStorage, BFloat16Storage, LongStorage,
//	IntStorage, ShortStorage, CharStorage, ByteStorage, BoolStorage
//	                                            only inside a persistent id
//
// REDUCE calls only those callables, with those arguments (hooks, state and
// metadata empty); BUILD only sets the attributes of a dict (state_dict's
// _metadata), which are ignored; BINPERSID only resolves a persistent id
// ('storage', storage type, key, location, numel). A storage offset and
// strides are honoured (a tensor that is a view of a larger storage), after
// checks that the view lies within the storage, with every product and sum
// checked for overflow.
//
// # What it rejects
//
// Every error starts with "torchfile: " and names what was found:
//
//   - a file that is not a zip archive; the legacy format (torch < 1.6, or
//     _use_new_zipfile_serialization=False): "this file is in torch's legacy
//     format …: load it in torch and save it again with torch.save"
//   - a whole pickled module, torch.save(model): "this is a pickled nn.Module
//     (torch.nn.modules.container.Sequential), not a state_dict: save
//     model.state_dict()"; a TorchScript archive (torch.jit.save)
//   - any other global: "data.pkl: forbidden global os.system"; an opcode
//     outside the set: "data.pkl: NEWOBJ at offset 28: not allowed in a
//     state_dict"; a memo index out of order (Python numbers it 0, 1, 2, …)
//   - a zip entry outside the archive ("../x", "/etc/x", "a\\..\\x"), an entry
//     twice, entries in two top folders, a data.pkl in more than one, a
//     compressed entry (torch.save never compresses), an entry whose CRC-32
//     or length is wrong, entries that claim more bytes than the file holds
//   - a storage whose entry is missing or whose size is not numel times the
//     element size; a view that reaches beyond its storage; the same
//     storage with two types
//   - a pickle that is truncated, underflows its stack, leaves more than one
//     value, or has bytes after STOP; a string or integer longer than what
//     remains; a value in the state_dict that is not a tensor; a key twice
//
// # Bounded memory and time
//
// Unpickling takes time linear in the length of data.pkl, and never
// recurses over values. Every value the unpickler makes is charged its
// size (a stack slot once, at the stack's peak), and it stops when the total
// exceeds 1 MiB plus 32 bytes per byte of data.pkl, so memo and stack
// blowups, huge lists and deep nesting end in an error. torch's own
// pickles are charged 11 to 15 bytes per byte, and what Go allocates stays
// within 3 times the charge (TestBudgetOfRealFiles, TestBombs). data.pkl
// is a small part of a real file, whose bulk is the storages. The entries
// read may not claim more bytes than the file holds, together (entries
// whose data overlap cannot multiply it), and the tensors' bytes, views
// gathered, may not exceed 4 times the file's size. A tensor that is a
// whole storage nothing else uses keeps that storage's bytes without a
// copy. archive/zip's directory takes a few hundred bytes per entry, and
// it admits at most one entry per 46 bytes of file.
package torchfile
