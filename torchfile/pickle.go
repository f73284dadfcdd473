package torchfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// The restricted unpickler: it reads the pickle torch.save writes for a
// state_dict (protocol 2, or 4 with pickle_protocol=4) into Go values, and
// executes nothing. A GLOBAL may only name a callable of the allowed set
// (globals); REDUCE calls only those, in the forms a state_dict takes; BUILD
// only sets an OrderedDict's attributes (the _metadata state_dict carries),
// which are ignored; BINPERSID only resolves torch's storage references.
//
// Every opcode costs O(1) time, or O(k) for one that takes k items off the
// stack (each item is taken once), so unpickling is linear in the length of
// the pickle. Nothing here recurses over values, so nesting depth costs
// no Go stack. Every value made is charged its approximate size against a
// budget proportional to the pickle's length (budget), so that no sequence
// of opcodes (a memo or stack blowup, a long chain of references) makes
// the unpickler hold much more memory than the pickle's own length; a
// claimed length (of a string, a long integer) is compared with the bytes
// that remain before anything is allocated.

// The values of the pickle.
type (
	// tuple is a Python tuple.
	tuple []any
	// list is a Python list (a pointer: APPEND changes it in place).
	list struct{ items []any }
	// dict is a Python dict or collections.OrderedDict with string keys, in
	// insertion order.
	dict struct {
		keys  []string
		vals  []any
		index map[string]int
	}
	// callable is an allowed global: one of the functions below, or a
	// storage type (which is only ever a part of a persistent id).
	callable int
	// storageRef is what a persistent id ('storage', type, key, location,
	// numel) stands for.
	storageRef struct {
		dtype    dtype
		key      string
		location string
		numel    int64
	}
	// tensorRef is a tensor as _rebuild_tensor_v2 makes it: a view of a
	// storage, in elements.
	tensorRef struct {
		storage       *storageRef
		offset        int64
		shape, stride []int64
	}
)

// The allowed globals; storage types follow, as firstStorage+dtype.
const (
	orderedDict callable = iota
	rebuildTensor
	rebuildTensorV2
	rebuildParameter
	rebuildParameterWithState
	firstStorage
)

var globals = map[string]callable{
	"collections.OrderedDict":                    orderedDict,
	"torch._utils._rebuild_tensor":               rebuildTensor,
	"torch._utils._rebuild_tensor_v2":            rebuildTensorV2,
	"torch._utils._rebuild_parameter":            rebuildParameter,
	"torch._utils._rebuild_parameter_with_state": rebuildParameterWithState,
}

func init() {
	for d := range dtypes {
		globals["torch."+dtypes[d].storage] = firstStorage + callable(d)
	}
}

func (c callable) String() string {
	for name, v := range globals {
		if v == c {
			return name
		}
	}
	return "?"
}

// forbiddenGlobal is the error for a GLOBAL outside the allowed set.
type forbiddenGlobal struct{ name string }

func (e *forbiddenGlobal) Error() string { return "forbidden global " + e.name }

// The costs charged against the budget, in bytes: what the Go values take
// (a slot of the stack, the memo or a slice is an interface, 16 bytes).
const (
	slotCost  = 16
	valueCost = 64 // a small heap object: a dict, a list, a tensorRef
	tupleCost = 32 // a tuple's boxed slice header
)

// budget is the number of bytes of values an unpickler may make from a
// pickle of n bytes. torch's state_dict pickles are charged 11 to 15
// bytes per byte of pickle (TestBudgetOfRealFiles measures it on every
// fixture, and fails above 16); 32 leaves room, and a fixed MiB lets small pickles be what they
// are. What Go allocates in all, the garbage of growing slices included,
// stays within 3 times the budget (TestBombs).
func budget(n int) int64 { return 1<<20 + 32*int64(n) }

// maxRank bounds the dimensions of a tensor (torch has no such limit, but
// no state_dict comes near it).
const maxRank = 64

type unpickler struct {
	data     []byte
	pos      int
	stack    []any
	marks    []int
	memo     []any
	spent    int64
	limit    int64
	peak     int // the most items the stack has held, each charged once
	markPeak int // the same for the marks
}

// unpickle runs the pickle in data and returns what STOP finds on the stack.
func unpickle(data []byte) (any, error) {
	u := &unpickler{data: data, limit: budget(len(data))}
	v, err := u.run()
	if err != nil {
		return nil, fmt.Errorf("data.pkl: %w", err)
	}
	return v, nil
}

var errTruncated = errors.New("truncated")

func (u *unpickler) spend(n int64) error {
	u.spent += n
	if u.spent > u.limit {
		return fmt.Errorf("the pickle builds more than %d bytes of values from %d bytes (a pickle bomb?)", u.limit, len(u.data))
	}
	return nil
}

func (u *unpickler) take(n int) ([]byte, error) {
	if n < 0 || n > len(u.data)-u.pos {
		return nil, errTruncated
	}
	b := u.data[u.pos : u.pos+n]
	u.pos += n
	return b, nil
}

// length reads a little-endian length of width bytes and checks that that
// many bytes remain.
func (u *unpickler) length(width int) (int, error) {
	b, err := u.take(width)
	if err != nil {
		return 0, err
	}
	var n uint64
	for i := width - 1; i >= 0; i-- {
		n = n<<8 | uint64(b[i])
	}
	if n > uint64(len(u.data)-u.pos) {
		return 0, fmt.Errorf("claimed length %d exceeds the %d bytes that remain", n, len(u.data)-u.pos)
	}
	return int(n), nil
}

// push charges a slot of the stack only when the stack grows beyond its
// highest mark so far: a slot that a pop freed is reused.
func (u *unpickler) push(v any) error {
	if len(u.stack) == u.peak {
		if err := u.spend(slotCost); err != nil {
			return err
		}
		u.peak++
	}
	u.stack = append(u.stack, v)
	return nil
}

// pushInt pushes n, charged the 8 bytes Go boxes it in.
func (u *unpickler) pushInt(n int64) error {
	if err := u.spend(8); err != nil {
		return err
	}
	return u.push(n)
}

func (u *unpickler) pop() (any, error) {
	if len(u.stack) == 0 || (len(u.marks) > 0 && len(u.stack) == u.marks[len(u.marks)-1]) {
		return nil, errors.New("stack underflow")
	}
	v := u.stack[len(u.stack)-1]
	u.stack = u.stack[:len(u.stack)-1]
	return v, nil
}

func (u *unpickler) top() (any, error) {
	if len(u.stack) == 0 || (len(u.marks) > 0 && len(u.stack) == u.marks[len(u.marks)-1]) {
		return nil, errors.New("stack underflow")
	}
	return u.stack[len(u.stack)-1], nil
}

// popMark returns the items above the last mark (a slice of the stack that
// the caller must copy to keep) and removes them with the mark.
func (u *unpickler) popMark() ([]any, error) {
	if len(u.marks) == 0 {
		return nil, errors.New("no mark")
	}
	m := u.marks[len(u.marks)-1]
	u.marks = u.marks[:len(u.marks)-1]
	items := u.stack[m:]
	u.stack = u.stack[:m]
	return items, nil
}

func (u *unpickler) string(width int) (string, error) {
	n, err := u.length(width)
	if err != nil {
		return "", err
	}
	b, _ := u.take(n)
	if !utf8.Valid(b) {
		return "", errors.New("string is not valid UTF-8")
	}
	if err := u.spend(16 + int64(n)); err != nil { // the boxed header and the bytes
		return "", err
	}
	return string(b), nil
}

// memoize stores the top of the stack in the memo at index, which must be
// an index already set or the next one: Python's pickler numbers the memo
// 0, 1, 2, …, so the memo is a slice, and a pickle cannot make it sparse.
func (u *unpickler) memoize(index uint32) error {
	v, err := u.top()
	if err != nil {
		return err
	}
	switch {
	case uint64(index) < uint64(len(u.memo)):
		u.memo[index] = v
	case uint64(index) == uint64(len(u.memo)):
		if err := u.spend(slotCost); err != nil {
			return err
		}
		u.memo = append(u.memo, v)
	default:
		return fmt.Errorf("memo index %d skips ahead of the %d set", index, len(u.memo))
	}
	return nil
}

func (u *unpickler) get(index uint32) error {
	if uint64(index) >= uint64(len(u.memo)) {
		return fmt.Errorf("memo %d is not set", index)
	}
	return u.push(u.memo[index])
}

func (u *unpickler) makeTuple(items []any) error {
	if err := u.spend(tupleCost + slotCost*int64(len(items))); err != nil {
		return err
	}
	return u.push(append(tuple{}, items...))
}

func (u *unpickler) global(module, name string) error {
	full := module + "." + name
	c, ok := globals[full]
	if !ok {
		return &forbiddenGlobal{full}
	}
	return u.push(c)
}

// forbidden names the opcodes that pickle defines and a state_dict never
// needs, for the error.
var forbidden = map[byte]string{
	'P': "PERSID", 'i': "INST", 'o': "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX",
	0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 'I': "INT", 'L': "LONG", 'F': "FLOAT",
	'S': "STRING", 'T': "BINSTRING", 'U': "SHORT_BINSTRING", 'V': "UNICODE",
	'B': "BINBYTES", 'C': "SHORT_BINBYTES", 0x8e: "BINBYTES8", 0x96: "BYTEARRAY8",
	0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER", 0x8f: "EMPTY_SET", 0x90: "ADDITEMS",
	0x91: "FROZENSET", 'g': "GET", 'p': "PUT",
}

func (u *unpickler) run() (any, error) {
	for {
		at := u.pos
		if u.pos >= len(u.data) {
			return nil, errors.New("truncated: no STOP")
		}
		op := u.data[u.pos]
		u.pos++
		if err := u.step(op); err != nil {
			if err == errStop {
				if len(u.marks) != 0 || len(u.stack) != 1 {
					return nil, fmt.Errorf("STOP at offset %d with %d items on the stack and %d marks", at, len(u.stack), len(u.marks))
				}
				if u.pos != len(u.data) {
					return nil, fmt.Errorf("%d bytes after STOP", len(u.data)-u.pos)
				}
				return u.stack[0], nil
			}
			var fg *forbiddenGlobal
			if errors.As(err, &fg) {
				return nil, err
			}
			name := opNames[op]
			if name == "" {
				name = forbidden[op]
			}
			if name == "" {
				return nil, fmt.Errorf("opcode 0x%02x at offset %d: %w", op, at, err)
			}
			return nil, fmt.Errorf("%s at offset %d: %w", name, at, err)
		}
	}
}

var errStop = errors.New("stop")

var opNames = map[byte]string{
	0x80: "PROTO", 0x95: "FRAME", '.': "STOP", '(': "MARK", '0': "POP", '1': "POP_MARK", '2': "DUP",
	'N': "NONE", 0x88: "NEWTRUE", 0x89: "NEWFALSE", 'K': "BININT1", 'M': "BININT2", 'J': "BININT",
	0x8a: "LONG1", 0x8b: "LONG4", 'G': "BINFLOAT", 'X': "BINUNICODE", 0x8c: "SHORT_BINUNICODE",
	0x8d: "BINUNICODE8", ')': "EMPTY_TUPLE", 't': "TUPLE", 0x85: "TUPLE1", 0x86: "TUPLE2",
	0x87: "TUPLE3", ']': "EMPTY_LIST", 'l': "LIST", 'a': "APPEND", 'e': "APPENDS", '}': "EMPTY_DICT",
	'd': "DICT", 's': "SETITEM", 'u': "SETITEMS", 'q': "BINPUT", 'r': "LONG_BINPUT", 0x94: "MEMOIZE",
	'h': "BINGET", 'j': "LONG_BINGET", 'c': "GLOBAL", 0x93: "STACK_GLOBAL", 'R': "REDUCE",
	'b': "BUILD", 'Q': "BINPERSID",
}

var errNotAllowed = errors.New("not allowed in a state_dict")

// step runs one opcode.
func (u *unpickler) step(op byte) error {
	switch op {
	case 0x80: // PROTO
		b, err := u.take(1)
		if err != nil {
			return err
		}
		if b[0] < 2 || b[0] > 5 {
			return fmt.Errorf("protocol %d (torch.save writes 2)", b[0])
		}
		return nil
	case 0x95: // FRAME: a hint of how long the next frame is
		_, err := u.length(8)
		return err
	case '.':
		return errStop
	case '(':
		if len(u.marks) == u.markPeak {
			if err := u.spend(8); err != nil {
				return err
			}
			u.markPeak++
		}
		u.marks = append(u.marks, len(u.stack))
		return nil
	case '0':
		_, err := u.pop()
		return err
	case '1':
		_, err := u.popMark()
		return err
	case '2':
		v, err := u.top()
		if err != nil {
			return err
		}
		return u.push(v)
	case 'N':
		return u.push(nil)
	case 0x88:
		return u.push(true)
	case 0x89:
		return u.push(false)
	case 'K':
		b, err := u.take(1)
		if err != nil {
			return err
		}
		return u.push(int64(b[0]))
	case 'M':
		b, err := u.take(2)
		if err != nil {
			return err
		}
		return u.pushInt(int64(binary.LittleEndian.Uint16(b)))
	case 'J':
		b, err := u.take(4)
		if err != nil {
			return err
		}
		return u.pushInt(int64(int32(binary.LittleEndian.Uint32(b))))
	case 0x8a, 0x8b: // LONG1, LONG4: little-endian two's complement
		width := 1
		if op == 0x8b {
			width = 4
		}
		n, err := u.length(width)
		if err != nil {
			return err
		}
		if n > 8 {
			return fmt.Errorf("an integer of %d bytes does not fit in 64 bits", n)
		}
		b, _ := u.take(n)
		var x uint64
		for i := n - 1; i >= 0; i-- {
			x = x<<8 | uint64(b[i])
		}
		if n > 0 && n < 8 && b[n-1]&0x80 != 0 { // sign-extend
			x |= ^uint64(0) << (8 * n)
		}
		return u.pushInt(int64(x))
	case 'G':
		b, err := u.take(8)
		if err != nil {
			return err
		}
		if err := u.spend(8); err != nil {
			return err
		}
		return u.push(math.Float64frombits(binary.BigEndian.Uint64(b)))
	case 'X', 0x8c, 0x8d:
		width := map[byte]int{'X': 4, 0x8c: 1, 0x8d: 8}[op]
		s, err := u.string(width)
		if err != nil {
			return err
		}
		return u.push(s)
	case ')':
		return u.makeTuple(nil)
	case 't':
		items, err := u.popMark()
		if err != nil {
			return err
		}
		return u.makeTuple(items)
	case 0x85, 0x86, 0x87:
		n := int(op-0x85) + 1
		if len(u.stack) < n || (len(u.marks) > 0 && len(u.stack)-n < u.marks[len(u.marks)-1]) {
			return errors.New("stack underflow")
		}
		items := u.stack[len(u.stack)-n:]
		u.stack = u.stack[:len(u.stack)-n]
		return u.makeTuple(items)
	case ']', 'l':
		var items []any
		if op == 'l' {
			var err error
			if items, err = u.popMark(); err != nil {
				return err
			}
		}
		if err := u.spend(valueCost + slotCost*int64(len(items))); err != nil {
			return err
		}
		return u.push(&list{items: append([]any(nil), items...)})
	case 'a', 'e':
		var items []any
		if op == 'a' {
			v, err := u.pop()
			if err != nil {
				return err
			}
			items = []any{v}
		} else {
			var err error
			if items, err = u.popMark(); err != nil {
				return err
			}
		}
		v, err := u.top()
		if err != nil {
			return err
		}
		l, ok := v.(*list)
		if !ok {
			return fmt.Errorf("appends to a %s, not a list", kind(v))
		}
		if err := u.spend(slotCost * int64(len(items))); err != nil {
			return err
		}
		l.items = append(l.items, items...)
		return nil
	case '}', 'd':
		var items []any
		if op == 'd' {
			var err error
			if items, err = u.popMark(); err != nil {
				return err
			}
		}
		if err := u.spend(valueCost); err != nil {
			return err
		}
		d := &dict{}
		if err := u.setItems(d, items); err != nil {
			return err
		}
		return u.push(d)
	case 's', 'u':
		var items []any
		if op == 's' {
			if len(u.stack) < 2 || (len(u.marks) > 0 && len(u.stack)-2 < u.marks[len(u.marks)-1]) {
				return errors.New("stack underflow")
			}
			items = u.stack[len(u.stack)-2:]
			u.stack = u.stack[:len(u.stack)-2]
		} else {
			var err error
			if items, err = u.popMark(); err != nil {
				return err
			}
		}
		v, err := u.top()
		if err != nil {
			return err
		}
		d, ok := v.(*dict)
		if !ok {
			return fmt.Errorf("sets items of a %s, not a dict", kind(v))
		}
		return u.setItems(d, items)
	case 'q':
		b, err := u.take(1)
		if err != nil {
			return err
		}
		return u.memoize(uint32(b[0]))
	case 'r':
		b, err := u.take(4)
		if err != nil {
			return err
		}
		return u.memoize(binary.LittleEndian.Uint32(b))
	case 0x94: // MEMOIZE
		return u.memoize(uint32(len(u.memo)))
	case 'h':
		b, err := u.take(1)
		if err != nil {
			return err
		}
		return u.get(uint32(b[0]))
	case 'j':
		b, err := u.take(4)
		if err != nil {
			return err
		}
		return u.get(binary.LittleEndian.Uint32(b))
	case 'c':
		module, err := u.line()
		if err != nil {
			return err
		}
		name, err := u.line()
		if err != nil {
			return err
		}
		return u.global(module, name)
	case 0x93: // STACK_GLOBAL
		name, err := u.pop()
		if err != nil {
			return err
		}
		module, err := u.pop()
		if err != nil {
			return err
		}
		m, ok1 := module.(string)
		n, ok2 := name.(string)
		if !ok1 || !ok2 {
			return fmt.Errorf("module and name are a %s and a %s, not strings", kind(module), kind(name))
		}
		return u.global(m, n)
	case 'R':
		args, err := u.pop()
		if err != nil {
			return err
		}
		f, err := u.pop()
		if err != nil {
			return err
		}
		v, err := u.reduce(f, args)
		if err != nil {
			return err
		}
		return u.push(v)
	case 'b':
		state, err := u.pop()
		if err != nil {
			return err
		}
		v, err := u.top()
		if err != nil {
			return err
		}
		// Only an OrderedDict's attributes (state_dict's _metadata), which
		// are dropped: they say which version of each module saved it.
		if _, ok := v.(*dict); !ok {
			return fmt.Errorf("sets the state of a %s", kind(v))
		}
		if _, ok := state.(*dict); !ok {
			return fmt.Errorf("sets a dict's state to a %s", kind(state))
		}
		return nil
	case 'Q':
		pid, err := u.pop()
		if err != nil {
			return err
		}
		s, err := persistent(pid)
		if err != nil {
			return err
		}
		if err := u.spend(valueCost); err != nil {
			return err
		}
		return u.push(s)
	}
	return errNotAllowed
}

// line reads a newline-terminated name of a GLOBAL.
func (u *unpickler) line() (string, error) {
	for i := u.pos; i < len(u.data); i++ {
		if u.data[i] == '\n' {
			b := u.data[u.pos:i]
			u.pos = i + 1
			if !utf8.Valid(b) {
				return "", errors.New("name is not valid UTF-8")
			}
			if err := u.spend(int64(len(b))); err != nil {
				return "", err
			}
			return string(b), nil
		}
	}
	return "", errTruncated
}

func (u *unpickler) setItems(d *dict, items []any) error {
	if len(items)%2 != 0 {
		return fmt.Errorf("%d items: keys and values do not pair", len(items))
	}
	if err := u.spend((2*slotCost + valueCost) * int64(len(items)/2)); err != nil { // a key, a value, an entry of the index
		return err
	}
	for i := 0; i < len(items); i += 2 {
		k, ok := items[i].(string)
		if !ok {
			return fmt.Errorf("a key is a %s, not a string", kind(items[i]))
		}
		if d.index == nil {
			d.index = map[string]int{}
		}
		if _, dup := d.index[k]; dup {
			return fmt.Errorf("key %q appears twice", k)
		}
		d.index[k] = len(d.keys)
		d.keys = append(d.keys, k)
		d.vals = append(d.vals, items[i+1])
	}
	return nil
}

// reduce calls f(*args) for the allowed callables, in the forms torch.save
// writes them.
func (u *unpickler) reduce(f, args any) (any, error) {
	c, ok := f.(callable)
	if !ok {
		return nil, fmt.Errorf("calls a %s", kind(f))
	}
	a, ok := args.(tuple)
	if !ok {
		return nil, fmt.Errorf("calls %v with a %s, not a tuple", c, kind(args))
	}
	switch c {
	case orderedDict:
		if len(a) != 0 {
			return nil, fmt.Errorf("collections.OrderedDict with %d arguments", len(a))
		}
		if err := u.spend(valueCost); err != nil {
			return nil, err
		}
		return &dict{}, nil
	case rebuildTensor, rebuildTensorV2:
		// _rebuild_tensor(storage, offset, size, stride);
		// _rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
		// backward_hooks[, metadata]).
		switch {
		case c == rebuildTensor && len(a) == 4:
		case c == rebuildTensorV2 && len(a) == 6:
		case c == rebuildTensorV2 && len(a) == 7 && empty(a[6]):
		default:
			return nil, fmt.Errorf("%v with %d arguments %s", c, len(a), kinds(a))
		}
		if c == rebuildTensorV2 {
			if _, ok := a[4].(bool); !ok {
				return nil, fmt.Errorf("%v: requires_grad is a %s", c, kind(a[4]))
			}
			if !empty(a[5]) {
				return nil, fmt.Errorf("%v: backward_hooks is not empty", c)
			}
		}
		t, err := newTensor(a[0], a[1], a[2], a[3])
		if err != nil {
			return nil, fmt.Errorf("%v: %w", c, err)
		}
		if err := u.spend(valueCost + 16*int64(len(t.shape))); err != nil {
			return nil, err
		}
		return t, nil
	case rebuildParameter, rebuildParameterWithState:
		// _rebuild_parameter(data, requires_grad, backward_hooks);
		// _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state).
		n := 3
		if c == rebuildParameterWithState {
			n = 4
		}
		if len(a) != n {
			return nil, fmt.Errorf("%v with %d arguments %s", c, len(a), kinds(a))
		}
		t, ok := a[0].(*tensorRef)
		if !ok {
			return nil, fmt.Errorf("%v of a %s", c, kind(a[0]))
		}
		if _, ok := a[1].(bool); !ok {
			return nil, fmt.Errorf("%v: requires_grad is a %s", c, kind(a[1]))
		}
		if !empty(a[2]) || (n == 4 && !empty(a[3])) {
			return nil, fmt.Errorf("%v: backward hooks or state are not empty", c)
		}
		return t, nil
	}
	return nil, fmt.Errorf("calls %v", c)
}

// empty reports whether v is None or an empty dict.
func empty(v any) bool {
	if v == nil {
		return true
	}
	d, ok := v.(*dict)
	return ok && len(d.keys) == 0
}

// persistent resolves a persistent id: ('storage', storage_type, key,
// location, numel).
func persistent(pid any) (*storageRef, error) {
	t, ok := pid.(tuple)
	if !ok {
		return nil, fmt.Errorf("persistent id is a %s, not ('storage', type, key, location, numel)", kind(pid))
	}
	if len(t) != 5 {
		return nil, fmt.Errorf("persistent id %s, not ('storage', type, key, location, numel)", kinds(t))
	}
	if s, _ := t[0].(string); s != "storage" {
		return nil, fmt.Errorf("persistent id of kind %s", describe(t[0]))
	}
	c, ok := t[1].(callable)
	if !ok || c < firstStorage {
		return nil, fmt.Errorf("persistent id with storage type %s", describe(t[1]))
	}
	key, ok1 := t[2].(string)
	location, ok2 := t[3].(string)
	numel, ok3 := t[4].(int64)
	if !ok1 || !ok2 || !ok3 || numel < 0 {
		return nil, fmt.Errorf("persistent id %s, not ('storage', type, key, location, numel)", kinds(t))
	}
	return &storageRef{dtype: dtype(c - firstStorage), key: key, location: location, numel: numel}, nil
}

// kind names the Python type of v, for errors.
func kind(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case tuple:
		return "tuple"
	case *list:
		return "list"
	case *dict:
		return "dict"
	case callable:
		return v.String()
	case *storageRef:
		return "storage"
	case *tensorRef:
		return "tensor"
	}
	return fmt.Sprintf("%T", v)
}

// describe is kind, with the value of a scalar.
func describe(v any) string {
	switch v := v.(type) {
	case bool, int64, float64:
		return fmt.Sprintf("%s %v", kind(v), v)
	case string:
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return fmt.Sprintf("%q", v)
	}
	return kind(v)
}

// kinds lists the kinds of a tuple's items: "(str, int)".
func kinds(t tuple) string {
	s := "("
	for i, v := range t {
		if i == 8 {
			s += ", …"
			break
		}
		if i > 0 {
			s += ", "
		}
		s += kind(v)
	}
	return s + ")"
}
