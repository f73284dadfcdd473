package sgd

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Stateful is an optimizer whose state can be saved and restored.
type Stateful interface {
	// State returns the optimizer's state: named float32 vectors (views of its own memory, not copies), named after torch's optimizer.state_dict() entries, "<i>.momentum_buffer" for parameter i (absent while torch would hold none), and named counters.
	State() (tensors map[string][]float32, counters map[string]int64)
	// SetState replaces the state; it checks every name and length first and changes nothing on error.
	SetState(tensors map[string][]float32, counters map[string]int64) error
}

var _ Stateful = (*SGD)(nil)

// State returns the momentum buffers, "0.momentum_buffer" for the first
// parameter and so on, as torch's optimizer.state_dict()["state"] holds
// them (state[0]["momentum_buffer"]): the buffers' own Data, which later
// steps change, not copies. There are none before the first Step with
// non-zero momentum, as in torch. SGD has no counters: the map is empty.
// The hyperparameters (torch's param_groups) are the Config, which is the
// caller's to keep.
func (s *SGD) State() (tensors map[string][]float32, counters map[string]int64) {
	tensors = make(map[string][]float32, len(s.bufs))
	for i, b := range s.bufs {
		tensors[bufferName(i)] = b.Data
	}
	return tensors, map[string]int64{}
}

// SetState replaces the momentum buffers with copies of tensors, which
// must hold "<i>.momentum_buffer" for every parameter i, of its number of
// elements, or nothing at all (the state before the first Step with
// momentum: the next such Step starts the buffers from its gradient).
// It returns an error, and changes nothing, for any other name, a wrong
// length, buffers for only some parameters, or any counter. The buffers
// keep their layout, one block in the order of the parameters, so that a
// Step on a model's parameter block stays one pass.
func (s *SGD) SetState(tensors map[string][]float32, counters map[string]int64) error {
	if len(counters) > 0 {
		names := sortedKeys(counters)
		return fmt.Errorf("sgd: SetState: SGD has no counters, got %s", strings.Join(names, ", "))
	}
	bufs := make([][]float32, len(s.params))
	for _, name := range sortedKeys(tensors) {
		i, ok := bufferIndex(name, len(s.params))
		if !ok {
			return fmt.Errorf("sgd: SetState: unknown state %q (want \"<i>.momentum_buffer\" for i < %d)", name, len(s.params))
		}
		if v := tensors[name]; len(v) != s.sizes[i] {
			return fmt.Errorf("sgd: SetState: %q has %d elements, %s has %d", name, len(v), label(i, s.params[i]), s.sizes[i])
		}
		bufs[i] = tensors[name]
	}
	switch len(tensors) {
	case 0:
		s.bufs, s.momentum = nil, nil
		return nil
	case len(s.params):
	default:
		return fmt.Errorf("sgd: SetState: momentum buffers for %d of %d parameters; torch holds one for each or none", len(tensors), len(s.params))
	}
	// Fresh buffers, so that the state shares no memory with the caller's
	// vectors (State's views of another optimizer, say) and is one block.
	s.newBuffers()
	for i, b := range bufs {
		copy(s.bufs[i].Data, b)
	}
	return nil
}

func bufferName(i int) string { return strconv.Itoa(i) + ".momentum_buffer" }

// bufferIndex parses "<i>.momentum_buffer" with i in [0, n) written as
// bufferName writes it (no sign, no leading zero).
func bufferIndex(name string, n int) (int, bool) {
	digits, ok := strings.CutSuffix(name, ".momentum_buffer")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(digits)
	if err != nil || i < 0 || i >= n || bufferName(i) != name {
		return 0, false
	}
	return i, true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
