package torchfile

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"
)

// A small assembler of pickles, for hand-built hostile ones.

func op(b ...byte) []byte { return b }

func pstr(s string) []byte {
	b := []byte{'X', 0, 0, 0, 0}
	binary.LittleEndian.PutUint32(b[1:], uint32(len(s)))
	return append(b, s...)
}

func pglobal(module, name string) []byte { return []byte("c" + module + "\n" + name + "\n") }

// pint is BININT1, BININT or LONG1 as pickle chooses them.
func pint(n int64) []byte {
	switch {
	case n >= 0 && n < 256:
		return []byte{'K', byte(n)}
	case n >= math.MinInt32 && n <= math.MaxInt32:
		b := []byte{'J', 0, 0, 0, 0}
		binary.LittleEndian.PutUint32(b[1:], uint32(n))
		return b
	}
	b := []byte{0x8a, 8, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint64(b[2:], uint64(n))
	return b
}

func ptuple(items ...[]byte) []byte {
	b := []byte{'('}
	for _, it := range items {
		b = append(b, it...)
	}
	return append(b, 't')
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// ptensor pickles _rebuild_tensor_v2 of storage key (a FloatStorage of
// numel elements) with the given offset, shape and stride, as torch does.
func ptensor(storage, key string, numel, offset int64, shape, stride []int64) []byte {
	var sh, st [][]byte
	for _, n := range shape {
		sh = append(sh, pint(n))
	}
	for _, n := range stride {
		st = append(st, pint(n))
	}
	return cat(pglobal("torch._utils", "_rebuild_tensor_v2"),
		ptuple(
			ptuple(pstr("storage"), pglobal("torch", storage), pstr(key), pstr("cpu"), pint(numel)), op('Q'),
			pint(offset), ptuple(sh...), ptuple(st...), op(0x89),
			pglobal("collections", "OrderedDict"), op(')', 'R')),
		op('R'))
}

// pdict pickles an OrderedDict of alternating keys and values.
func pdict(items ...[]byte) []byte {
	return cat(op(0x80, 2), pglobal("collections", "OrderedDict"), op(')', 'R'), op('('), cat(items...), op('u', '.'))
}

// A zip of entries, as torch.save lays it out (stored, in order).
type entry struct {
	name   string
	data   []byte
	method uint16
}

func buildZip(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		f, err := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func floats(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

var six = floats(1, 2, 3, 4, 5, 6)

// stateDict is an archive "sd" with the pickle pkl and data/0 of six floats.
func stateDict(t testing.TB, pkl []byte) []byte {
	return buildZip(t, entry{name: "sd/data.pkl", data: pkl}, entry{name: "sd/data/0", data: six}, entry{name: "sd/version", data: []byte("3\n")})
}

func readBytes(b []byte) ([]Tensor, error) { return Read(bytes.NewReader(b), int64(len(b))) }

// A good state_dict of two views of one storage: w = [[1 2 3] [4 5 6]]ᵀ
// and b = [5 6].
var goodPickle = pdict(
	pstr("w"), ptensor("FloatStorage", "0", 6, 0, []int64{3, 2}, []int64{1, 3}),
	pstr("b"), ptensor("FloatStorage", "0", 6, 4, []int64{2}, []int64{1}))

func TestHandBuilt(t *testing.T) {
	got, err := readBytes(stateDict(t, goodPickle))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "w" || !bytes.Equal(got[0].Data, floats(1, 4, 2, 5, 3, 6)) ||
		got[1].Name != "b" || !bytes.Equal(got[1].Data, floats(5, 6)) || fmt.Sprint(got[0].Shape, got[1].Shape) != "[3 2] [2]" {
		t.Fatalf("got %+v", got)
	}
}

// TestBigEndian rewrites a real file as torch ≥ 2 on s390x would write it
// (byteorder "big", every element byte-swapped) and expects the same
// tensors.
func TestBigEndian(t *testing.T) {
	for _, file := range []string{"dtypes.pt", "views.pt"} {
		b, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		want, err := readBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		// Element sizes by storage key, from the pickle.
		a, _ := openArchive(zr, int64(len(b)))
		pkl, _ := a.read(a.top + "/data.pkl")
		v, err := unpickle(pkl)
		if err != nil {
			t.Fatal(err)
		}
		sizes := map[string]int{}
		d := v.(*dict)
		for _, x := range d.vals {
			s := x.(*tensorRef).storage
			sizes[a.top+"/data/"+s.key] = dtypes[s.dtype].size
		}
		var entries []entry
		for _, f := range zr.File {
			rc, _ := f.Open()
			var data bytes.Buffer
			data.ReadFrom(rc)
			e := entry{name: f.Name, data: data.Bytes()}
			if size, ok := sizes[f.Name]; ok {
				swap(e.data, size)
			}
			entries = append(entries, e)
		}
		entries = append(entries, entry{name: a.top + "/byteorder", data: []byte("big")})
		got, err := readBytes(buildZip(t, entries...))
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: big-endian file reads as\n%v\nwant\n%v", file, got, want)
		}
	}
}

// TestHostile lists what Read rejects, each with its error.
func TestHostile(t *testing.T) {
	corrupt := stateDict(t, goodPickle)
	i := bytes.Index(corrupt, six)
	corrupt[i+5] ^= 1
	tensor := func(shape, stride []int64, offset int64) []byte {
		return stateDict(t, pdict(pstr("x"), ptensor("FloatStorage", "0", 6, offset, shape, stride)))
	}
	scalarDict := func(items ...[]byte) []byte { return stateDict(t, pdict(items...)) }
	// one GLOBAL in a pickle that would otherwise be a state_dict
	withGlobal := func(module, name string) []byte {
		return stateDict(t, cat(op(0x80, 2), pglobal(module, name), pstr("ls"), op(0x85, 'R', '.')))
	}
	stackGlobal := func(module, name string) []byte {
		return stateDict(t, cat(op(0x80, 4), pstr(module), pstr(name), op(0x93), pstr("1+1"), op(0x85, 'R', '.')))
	}
	long := func(op byte, n uint64, width int) []byte {
		b := []byte{0x80, 2, op}
		for i := 0; i < width; i++ {
			b = append(b, byte(n>>(8*i)))
		}
		return stateDict(t, b)
	}
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"empty file", nil, "torchfile: not a zip archive"},
		{"text", []byte("hello, world"), "torchfile: not a zip archive"},
		{"zip header only", []byte("PK\x03\x04"), "torchfile: not a valid zip archive"},
		{"legacy magic", legacyMagic, "torchfile: this file is in torch's legacy format"},
		{"path traversal", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle}, entry{name: "sd/../../etc/passwd"}), `torchfile: entry "sd/../../etc/passwd" is outside the archive`},
		{"parent", buildZip(t, entry{name: "../sd/data.pkl", data: goodPickle}), `torchfile: entry "../sd/data.pkl" is outside the archive`},
		{"absolute path", buildZip(t, entry{name: "/sd/data.pkl", data: goodPickle}), `torchfile: entry "/sd/data.pkl" is outside the archive`},
		{"backslashes", buildZip(t, entry{name: `sd\..\..\x`, data: goodPickle}), `is outside the archive`},
		{"dot", buildZip(t, entry{name: "sd/./data.pkl", data: goodPickle}), `torchfile: entry "sd/./data.pkl" is outside the archive`},
		{"duplicate entry", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle}, entry{name: "sd/data/0", data: six}, entry{name: "sd/data/0", data: six}), `torchfile: entry "sd/data/0" appears twice`},
		{"two data.pkl", buildZip(t, entry{name: "a/data.pkl", data: goodPickle}, entry{name: "b/data.pkl", data: goodPickle}), "torchfile: a data.pkl in more than one top folder (a, b)"},
		{"two top folders", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle}, entry{name: "other/data/0", data: six}), `torchfile: entry "other/data/0" is outside the top folder "sd"`},
		{"entry at the root", buildZip(t, entry{name: "data.pkl", data: goodPickle}), `torchfile: entry "data.pkl" is not in a top folder`},
		{"no data.pkl", buildZip(t, entry{name: "sd/data/0", data: six}), "torchfile: no data.pkl in the archive"},
		{"deflated data.pkl", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle, method: zip.Deflate}, entry{name: "sd/data/0", data: six}), "torchfile: sd/data.pkl is compressed (method 8): torch.save stores its entries uncompressed"},
		{"deflated storage", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle}, entry{name: "sd/data/0", data: six, method: zip.Deflate}), "torchfile: sd/data/0 is compressed (method 8)"},
		{"bad CRC", corrupt, "torchfile: sd/data/0: zip: checksum error"},
		{"bad byteorder", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle}, entry{name: "sd/byteorder", data: []byte("middle")}), `torchfile: sd/byteorder is "middle", not little or big`},
		{"missing storage", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle}), "torchfile: storage 0 (sd/data/0) is missing"},
		{"storage too short", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle}, entry{name: "sd/data/0", data: six[:20]}), "torchfile: sd/data/0 holds 20 bytes, but the pickle makes it a FloatStorage of 6 elements (4 bytes each)"},
		{"storage too long", buildZip(t, entry{name: "sd/data.pkl", data: goodPickle}, entry{name: "sd/data/0", data: append(bytes.Clone(six), 0, 0, 0, 0)}), "torchfile: sd/data/0 holds 28 bytes"},
		{"torchscript", buildZip(t, entry{name: "m/data.pkl", data: goodPickle}, entry{name: "m/constants.pkl"}), "torchfile: this is a TorchScript archive (torch.jit.save), not a state_dict"},

		{"os.system", withGlobal("os", "system"), "torchfile: data.pkl: forbidden global os.system"},
		{"posix.system", withGlobal("posix", "system"), "torchfile: data.pkl: forbidden global posix.system"},
		{"builtins.eval", stackGlobal("builtins", "eval"), "torchfile: data.pkl: forbidden global builtins.eval"},
		{"__builtin__.getattr", withGlobal("__builtin__", "getattr"), "torchfile: data.pkl: forbidden global __builtin__.getattr"},
		{"torch.load", withGlobal("torch", "load"), "torchfile: data.pkl: forbidden global torch.load"},
		{"nn.Module class", withGlobal("torch.nn.modules.linear", "Linear"), "torchfile: this is a pickled nn.Module (torch.nn.modules.linear.Linear), not a state_dict: save model.state_dict()"},
		{"calling a storage type", stateDict(t, cat(op(0x80, 2), pglobal("torch", "FloatStorage"), pint(6), op(0x85, 'R', '.'))), "torchfile: data.pkl: REDUCE at offset 25: calls torch.FloatStorage"},
		{"OrderedDict with arguments", stateDict(t, cat(op(0x80, 2), pglobal("collections", "OrderedDict"), op(']', 0x85, 'R', '.'))), "torchfile: data.pkl: REDUCE at offset 29: collections.OrderedDict with 1 arguments"},
		{"NEWOBJ", stateDict(t, cat(op(0x80, 2), pglobal("collections", "OrderedDict"), op(')', 0x81, '.'))), "torchfile: data.pkl: NEWOBJ at offset 28: not allowed in a state_dict"},
		{"INST", stateDict(t, []byte("\x80\x02(ios\nsystem\n.")), "torchfile: data.pkl: INST at offset 3: not allowed in a state_dict"},
		{"PERSID", stateDict(t, []byte("\x80\x02P0\n.")), "torchfile: data.pkl: PERSID at offset 2: not allowed"},
		{"unknown opcode", stateDict(t, []byte("\x80\x02\xff.")), "torchfile: data.pkl: opcode 0xff at offset 2: not allowed"},
		{"protocol 0", stateDict(t, []byte("\x80\x00}.")), "torchfile: data.pkl: PROTO at offset 0: protocol 0"},
		{"BUILD on a tensor", stateDict(t, cat(op(0x80, 2), ptensor("FloatStorage", "0", 6, 0, []int64{6}, []int64{1}), op('}', 'b', '.'))), "torchfile: data.pkl: BUILD at offset 128: sets the state of a tensor"},

		{"truncated pickle", stateDict(t, goodPickle[:len(goodPickle)-1]), "torchfile: data.pkl: truncated: no STOP"},
		{"empty pickle", stateDict(t, nil), "torchfile: data.pkl: truncated: no STOP"},
		{"stack underflow", stateDict(t, []byte("\x80\x02R.")), "torchfile: data.pkl: REDUCE at offset 2: stack underflow"},
		{"pop through a mark", stateDict(t, []byte("\x80\x02N(0.")), "torchfile: data.pkl: POP at offset 4: stack underflow"},
		{"two values at STOP", stateDict(t, []byte("\x80\x02NN.")), "torchfile: data.pkl: STOP at offset 4 with 2 items on the stack and 0 marks"},
		{"bytes after STOP", stateDict(t, []byte("\x80\x02}.N")), "torchfile: data.pkl: 1 bytes after STOP"},
		{"memo not set", stateDict(t, []byte("\x80\x02h\x07.")), "torchfile: data.pkl: BINGET at offset 2: memo 7 is not set"},
		{"string of 4 GiB", long('X', 1<<32-1, 4), "torchfile: data.pkl: BINUNICODE at offset 2: claimed length 4294967295 exceeds the 0 bytes that remain"},
		{"string of 2⁶³", long(0x8d, 1<<63, 8), "torchfile: data.pkl: BINUNICODE8 at offset 2: claimed length 9223372036854775808 exceeds"},
		{"integer of 2 GiB", long(0x8b, 1<<31, 4), "torchfile: data.pkl: LONG4 at offset 2: claimed length 2147483648 exceeds"},
		{"integer of 9 bytes", stateDict(t, []byte("\x80\x02\x8a\x09123456789.")), "torchfile: data.pkl: LONG1 at offset 2: an integer of 9 bytes does not fit in 64 bits"},
		{"frame of 2⁶⁴−1", long(0x95, 1<<64-1, 8), "torchfile: data.pkl: FRAME at offset 2: claimed length 18446744073709551615 exceeds"},
		{"invalid UTF-8", stateDict(t, cat(op(0x80, 2), pstr("\xff\xfe"), op('.'))), "torchfile: data.pkl: BINUNICODE at offset 2: string is not valid UTF-8"},
		{"non-string key", stateDict(t, cat(op(0x80, 2, '}'), pint(1), op('N', 's', '.'))), "torchfile: data.pkl: SETITEM at offset 6: a key is a int, not a string"},
		{"key twice", scalarDict(pstr("a"), op('N'), pstr("a"), op('N')), `torchfile: data.pkl: SETITEMS at offset 44: key "a" appears twice`},

		{"a list, not a dict", stateDict(t, []byte("\x80\x02].")), "torchfile: data.pkl holds a list, not a state_dict (a dict of tensors)"},
		{"an int in the state_dict", scalarDict(pstr("step"), pint(3)), `torchfile: state_dict["step"] is a int, not a tensor`},
		{"a nested dict", scalarDict(pstr("model"), op('}')), `torchfile: state_dict["model"] is a dict, not a tensor`},
		{"persistent id of another kind", scalarDict(pstr("x"), ptuple(pstr("module"), pglobal("torch", "FloatStorage"), pstr("0"), pstr("cpu"), pint(6)), op('Q')), `torchfile: data.pkl: BINPERSID at offset 85: persistent id of kind "module"`},
		{"persistent id of a non-storage", scalarDict(pstr("x"), ptuple(pstr("storage"), pglobal("collections", "OrderedDict"), pstr("0"), pstr("cpu"), pint(6)), op('Q')), "persistent id with storage type collections.OrderedDict"},
		{"persistent id of 4", scalarDict(pstr("x"), ptuple(pstr("storage"), pglobal("torch", "FloatStorage"), pstr("0"), pstr("cpu")), op('Q')), "persistent id (str, torch.FloatStorage, str, str), not ('storage', type, key, location, numel)"},
		{"two types of one storage", scalarDict(
			pstr("a"), ptensor("FloatStorage", "0", 6, 0, []int64{6}, []int64{1}),
			pstr("b"), ptensor("IntStorage", "0", 6, 0, []int64{6}, []int64{1})), `torchfile: state_dict["b"]: storage 0 is a IntStorage of 6 elements, and elsewhere a FloatStorage of 6`},
		{"backward hooks", scalarDict(pstr("x"), cat(pglobal("torch._utils", "_rebuild_tensor_v2"), ptuple(
			ptuple(pstr("storage"), pglobal("torch", "FloatStorage"), pstr("0"), pstr("cpu"), pint(6)), op('Q'),
			pint(0), ptuple(pint(6)), ptuple(pint(1)), op(0x89), op('}'), pstr("hook"), op('N', 's')), op('R'))), "_rebuild_tensor_v2: backward_hooks is not empty"},
		{"offset beyond the storage", tensor([]int64{2}, []int64{1}, 5), `torchfile: state_dict["x"]: a view of size [2], stride [1] at offset 5 reaches beyond its storage 0 of 6 elements`},
		{"stride beyond the storage", tensor([]int64{2, 3}, []int64{3, 2}, 0), "a view of size [2 3], stride [3 2] at offset 0 reaches beyond its storage"},
		{"stride that overflows", tensor([]int64{3}, []int64{1 << 62}, 0), "stride [4611686018427387904] at offset 0 reaches beyond its storage"},
		{"offset that overflows", tensor([]int64{2}, []int64{math.MaxInt64}, math.MaxInt64), "reaches beyond its storage"},
		{"shape that overflows", tensor([]int64{1 << 40, 1 << 40}, []int64{0, 0}, 0), "torchfile: state_dict[\"x\"]: shape [1099511627776 1099511627776] has too many elements"},
		{"negative stride", tensor([]int64{2}, []int64{-1}, 1), "torchfile: data.pkl: REDUCE at offset 163: torch._utils._rebuild_tensor_v2: stride[0] is int -1"},
		{"negative size", tensor([]int64{-2}, []int64{1}, 0), "torch._utils._rebuild_tensor_v2: size[0] is int -2"},
		{"negative offset", tensor([]int64{2}, []int64{1}, -1), "torch._utils._rebuild_tensor_v2: storage offset is int -1"},
		{"rank 65", tensor(make([]int64, 65), make([]int64, 65), 0), "size has 65 dimensions (more than 64)"},
		{"size and stride disagree", tensor([]int64{2, 3}, []int64{1}, 0), "size has 2 dimensions and stride 1"},
		{"expanded into 1 GiB", tensor([]int64{1 << 28}, []int64{0}, 0), "torchfile: the tensors take more than 4 times the file's"},
	} {
		got, err := readBytes(c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		} else if got != nil {
			t.Errorf("%s: tensors with the error", c.name)
		}
		if testing.Verbose() && err != nil {
			t.Logf("%-32s %v", c.name, err)
		}
	}
}

// TestTruncated reads every prefix of a real file, and the file with each
// byte changed: an error or the right tensors, never a panic.
func TestTruncated(t *testing.T) {
	b, err := os.ReadFile("testdata/views.pt")
	if err != nil {
		t.Fatal(err)
	}
	want, err := readBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(b); n++ {
		if _, err := readBytes(b[:n]); err == nil {
			t.Fatalf("%d of %d bytes: no error", n, len(b))
		}
	}
	for i := range b {
		c := bytes.Clone(b)
		c[i] ^= 0x55
		got, err := readBytes(c)
		// data.pkl and the storages are under CRC-32: a change elsewhere
		// (a header field archive/zip does not use) reads the same.
		if err == nil && fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("byte %d changed: different tensors without an error", i)
		}
	}
}

// TestBombs runs pickles that try to make the unpickler hold much memory
// from a small input, and checks that what it allocates stays within 3
// times its budget, whether it stops on the budget or not (a pickle that
// does not make a state_dict fails later, in Read).
func TestBombs(t *testing.T) {
	const n = 1 << 18
	rep := func(unit string, count int) []byte { return []byte(strings.Repeat(unit, count)) }
	for _, c := range []struct {
		name string
		pkl  []byte
	}{
		{"empty dicts", cat(op(0x80, 2), rep("}", n), op('.'))},
		{"empty tuples", cat(op(0x80, 2), rep(")", n), op('.'))},
		{"MEMOIZE", cat(op(0x80, 4, '}'), rep("\x94", n), op('.'))},
		{"distinct LONG_BINPUT", cat(op(0x80, 2, '}'), func() []byte {
			var b []byte
			for i := 0; i < n/5; i++ {
				b = append(b, 'r', byte(i), byte(i>>8), byte(i>>16), 0)
			}
			return b
		}(), op('.'))},
		{"DUP", cat(op(0x80, 2, '}'), rep("2", n), op('.'))},
		{"BINGET", cat(op(0x80, 2, '}', 'q', 0), rep("h\x00", n/2), op('.'))},
		{"marks", cat(op(0x80, 2), rep("(", n), op('.'))},
		{"nested tuples", cat(op(0x80, 2, 'N'), rep("\x85", n), op('.'))},
		{"nested lists", cat(op(0x80, 2), rep("](", n/2), op('.'))},
		{"a huge list", cat(op(0x80, 2, ']', 'q', 0, '('), rep("h\x00", n/2), op('e', '.'))},
		{"a list of itself", cat(op(0x80, 2, ']', 'q', 0), rep("h\x00a", n/3), op('.'))},
		{"tuples of the memo", cat(op(0x80, 2, ']', 'q', 0), rep("(h\x00h\x00h\x00h\x00h\x00tq\x00", n/14), op('.'))},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := unpickle(c.pkl)
		runtime.ReadMemStats(&after)
		alloc := after.TotalAlloc - before.TotalAlloc
		if limit := 3 * uint64(budget(len(c.pkl))); alloc > limit {
			t.Errorf("%s: %d bytes allocated for a pickle of %d (limit %d)", c.name, alloc, len(c.pkl), limit)
		}
		t.Logf("%-22s %7d bytes → %9d allocated: %v", c.name, len(c.pkl), alloc, err)
	}
}

// TestBudgetOfRealFiles measures what the unpickler charges on torch's
// own pickles: far below the budget (doc.go quotes the ratio).
func TestBudgetOfRealFiles(t *testing.T) {
	for _, file := range []string{"mlp.pt", "buffer.pt", "protocol4.pt", "params.pt", "dtypes.pt", "views.pt"} {
		b, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		a, err := openArchive(zr, int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		pkl, err := a.read(a.top + "/data.pkl")
		if err != nil {
			t.Fatal(err)
		}
		u := &unpickler{data: pkl, limit: budget(len(pkl))}
		if _, err := u.run(); err != nil {
			t.Fatal(err)
		}
		ratio := float64(u.spent) / float64(len(pkl))
		t.Logf("%-13s data.pkl %5d bytes, charged %6d (%.1f per byte)", file, len(pkl), u.spent, ratio)
		if ratio > 16 {
			t.Errorf("%s: %.1f bytes charged per byte of pickle: more than doc.go and budget say", file, ratio)
		}
	}
}

// TestOverlappingEntries gives two entries of the central directory the
// same data: reading both would make more bytes than the file holds.
func TestOverlappingEntries(t *testing.T) {
	big := make([]byte, 4000)
	pkl := pdict(
		pstr("a"), ptensor("FloatStorage", "0", 1000, 0, []int64{1000}, []int64{1}),
		pstr("b"), ptensor("FloatStorage", "1", 1000, 0, []int64{1000}, []int64{1}))
	z := buildZip(t, entry{name: "sd/data.pkl", data: pkl}, entry{name: "sd/data/0", data: big})
	// The end of central directory record, and the record of sd/data/0.
	end := z[len(z)-22:]
	cdSize := binary.LittleEndian.Uint32(end[12:])
	cdOffset := binary.LittleEndian.Uint32(end[16:])
	cd := z[cdOffset : cdOffset+cdSize]
	i := bytes.Index(cd, []byte("sd/data/0")) - 46
	if i < 0 || binary.LittleEndian.Uint32(cd[i:]) != 0x02014b50 {
		t.Fatal("no central directory record for sd/data/0")
	}
	rec := bytes.Clone(cd[i : i+46+len("sd/data/0")])
	copy(rec[46:], "sd/data/1")
	out := append(bytes.Clone(z[:cdOffset+cdSize]), rec...)
	end = bytes.Clone(end)
	binary.LittleEndian.PutUint16(end[8:], 3)
	binary.LittleEndian.PutUint16(end[10:], 3)
	binary.LittleEndian.PutUint32(end[12:], cdSize+uint32(len(rec)))
	out = append(out, end...)
	_, err := readBytes(out)
	want := "torchfile: sd/data/1 claims 4000 bytes: more than the file holds"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}

func TestMemoOutOfOrder(t *testing.T) {
	_, err := readBytes(stateDict(t, []byte("\x80\x02}q\x05.")))
	want := "torchfile: data.pkl: BINPUT at offset 3: memo index 5 skips ahead of the 0 set"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	_, err = readBytes(stateDict(t, []byte("\x80\x02NQ.")))
	want = "torchfile: data.pkl: BINPERSID at offset 3: persistent id is a None, not ('storage', type, key, location, numel)"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}
