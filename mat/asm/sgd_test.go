package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/internal/testkit"
)

// sgdSteps are the configurations every test runs: each option on and
// off, dampening 0, ½ and 1 (1 − τ = 1, ½, 0), γ = 0 and not.
func sgdSteps() []SGDStep {
	var ss []SGDStep
	for f := 0; f < 1<<6; f++ {
		for _, c := range []float32{1, 0.5, 0} {
			s := SGDStep{
				Maximize: f&1 != 0, First: f&8 != 0, Nesterov: f&16 != 0,
				OneMinusDampening: c, Alpha: -0.1,
			}
			if f&2 != 0 {
				s.WeightDecay = 0.01
			}
			if f&4 != 0 {
				s.Momentum = 0.9
			}
			if f&32 != 0 {
				s.Alpha = float32(math.Copysign(0, -1)) // −γ for γ = 0
			}
			if c != 1 && s.Momentum == 0 {
				continue // dampening matters only with momentum
			}
			ss = append(ss, s)
		}
	}
	return ss
}

func (s *SGDStep) String() string {
	return fmt.Sprintf("wd=%v mu=%v c=%v alpha=%v nesterov=%v maximize=%v first=%v",
		s.WeightDecay, s.Momentum, s.OneMinusDampening, s.Alpha, s.Nesterov, s.Maximize, s.First)
}

// sgdFill sets a vector to normal values of mixed magnitudes.
func sgdFill(r *rand.Rand) func([]float32) {
	return func(s []float32) {
		for i := range s {
			s[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(7)-3)))
		}
	}
}

// TestSGD checks every implementation against sgdGeneric, bit for bit
// (NaN results need only be NaN), for every size up to 40 and the tails
// of larger ones, every placement (flush against protected pages, and on
// the heap at offsets 0 to 7 with sentinels around), every option, and
// NaN and ±Inf in every input. grad must not be written, nor buf at the
// first step or without momentum.
func TestSGD(t *testing.T) {
	steps := sgdSteps()
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(31, 32))
		for _, n := range vecSizes {
			for li, l := range layouts {
				for si := range 4 {
					s := &steps[(7*n+5*li+si*len(steps)/4)%len(steps)]
					special := (n+li+si)%3 == 0
					var in [3][]float32
					var checks [3]func()
					for j := range in {
						in[j], checks[j] = alloc(t, l, n, sgdFill(r))
						if special {
							withSpecials(r, in[j])
						}
					}
					want := make([][]float32, 3)
					for j := range in {
						want[j] = append([]float32(nil), in[j]...)
					}
					sgdGeneric(s, want[0], want[1], want[2])
					what := fmt.Sprintf("sgd n=%d %v %v", n, l, s)
					guard.Do(t, what, func() { k.SGD(s, in[0], in[1], in[2]) })
					for j := range in {
						checks[j]()
						if i, ok := sameFloats(in[j], want[j]); !ok {
							t.Fatalf("%s: %s[%d] = %v, want %v", what, []string{"theta", "grad", "buf"}[j], i, in[j][i], want[j][i])
						}
					}
				}
			}
		}
	})
}

// sgdPasses is the SGD step as sgd.SGD took it before the fused kernel:
// one pass per line of the update through k's Axpy and Scal (which do
// nothing when alpha is zero), g in a copy of grad.
func sgdPasses(k Kernels, s *SGDStep, theta, grad, buf []float32) {
	g := make([]float32, len(grad))
	for i, v := range grad {
		if s.Maximize {
			v = -v
		}
		g[i] = v
	}
	axpy := func(alpha float32, x, y []float32) {
		if alpha != 0 {
			k.Axpy(alpha, x, y)
		}
	}
	axpy(s.WeightDecay, theta, g)
	if s.Momentum != 0 {
		if s.First {
			copy(buf, g)
		} else {
			k.Scal(s.Momentum, buf)
			axpy(s.OneMinusDampening, g, buf)
		}
		if s.Nesterov {
			axpy(s.Momentum, buf, g)
		} else {
			g = buf
		}
	}
	axpy(s.Alpha, g, theta)
}

// TestSGDMatchesPasses checks that the fused kernel gives the bits of the
// passes it replaces, on every implementation whose Axpy fuses its
// multiply-add: the assembly ones, and the generic one where Go fuses
// a·b + c (arm64; not amd64 or 386, where the fused reference is what
// TestSGD checks).
func TestSGDMatchesPasses(t *testing.T) {
	steps := sgdSteps()
	forEachImpl(t, func(t *testing.T, k Kernels) {
		if k.name == "generic" && !goFuses(1+0x1p-12, 1+0x1p-12, -(1+0x1p-11)) {
			t.Skip("the generic Axpy rounds twice where Go does not fuse a·b + c")
		}
		r := rand.New(rand.NewPCG(33, 34))
		for i := range steps {
			s := &steps[i]
			for _, n := range []int{1, 7, 8, 31, 257} {
				var in [3][]float32
				for j := range in {
					in[j] = make([]float32, n)
					sgdFill(r)(in[j])
					if i%4 == 0 {
						withSpecials(r, in[j])
					}
				}
				var want [3][]float32
				for j := range in {
					want[j] = append([]float32(nil), in[j]...)
				}
				sgdPasses(k, s, want[0], want[1], want[2])
				k.SGD(s, in[0], in[1], in[2])
				for j := range in {
					if i, ok := sameFloats(in[j], want[j]); !ok {
						t.Fatalf("sgd n=%d %v: %s[%d] = %v, by the passes %v", n, s, []string{"theta", "grad", "buf"}[j], i, in[j][i], want[j][i])
					}
				}
			}
		}
	})
}

// TestSGDUnusedBuf checks that without momentum buf may be nil or of any
// length, and is not touched, and that at the first step it is written
// but not read (NaN there does not matter).
func TestSGDUnusedBuf(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		s := SGDStep{WeightDecay: 0.1, Alpha: -0.5, OneMinusDampening: 1}
		for _, buf := range [][]float32{nil, {}, {5}, make([]float32, 100)} {
			b0 := append([]float32(nil), buf...)
			x := []float32{1, 2, 3}
			k.SGD(&s, x, []float32{1, 1, 1}, buf)
			if !testkit.SameBits(buf, b0) {
				t.Fatalf("buf of length %d written without momentum", len(buf))
			}
		}
		s = SGDStep{Momentum: 0.9, OneMinusDampening: 1, First: true, Alpha: -1}
		nan := float32(math.NaN())
		theta, buf := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}, []float32{nan, nan, nan, nan, nan, nan, nan, nan, nan}
		grad := []float32{1, 1, 1, 1, 1, 1, 1, 1, 1}
		k.SGD(&s, theta, grad, buf)
		for i := range theta {
			if buf[i] != 1 || theta[i] != float32(i) {
				t.Fatalf("first step: buf[%d] = %v, theta[%d] = %v; want 1, %v", i, buf[i], i, theta[i], i)
			}
		}
	})
}

// TestSGDLengths checks that SGD refuses slices of different lengths,
// naming them, before it touches anything.
func TestSGDLengths(t *testing.T) {
	plain := SGDStep{Alpha: -0.1, OneMinusDampening: 1}
	mom := plain
	mom.Momentum = 0.9
	x := func(n int) []float32 { return make([]float32, n) }
	for _, c := range []struct {
		s          *SGDStep
		th, g, buf []float32
		want       string
	}{
		{&plain, x(3), x(2), nil, "len(grad) = 2"},
		{&plain, x(0), x(1), nil, "len(theta) = 0, len(grad) = 1"},
		{&mom, x(3), x(3), x(2), "len(buf) = 2 (momentum)"},
		{&mom, x(3), x(3), nil, "len(buf) = 0 (momentum)"},
		{&mom, x(3), x(4), x(3), "len(grad) = 4"},
	} {
		forEachImpl(t, func(t *testing.T, k Kernels) {
			th0 := append([]float32(nil), c.th...)
			msg := testkit.PanicMessage(func() { k.SGD(c.s, c.th, c.g, c.buf) })
			if !strings.HasPrefix(msg, "asm: sgd: ") || !strings.Contains(msg, c.want) {
				t.Errorf("panic %q, want one starting \"asm: sgd: \" with %q", msg, c.want)
			}
			if !testkit.SameBits(c.th, th0) {
				t.Errorf("theta changed before the panic")
			}
		})
	}
}

// FuzzSGD compares every implementation with sgdGeneric on values,
// sizes and options the fuzzer picks.
//
//	go test -run '^$' -fuzz FuzzSGD ./mat/asm/
func FuzzSGD(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint16(17), uint8(0), uint8(1))
	f.Add([]byte{14, 15, 0, 16, 1}, uint16(40), uint8(7), uint8(3))
	f.Add([]byte{4, 9, 12}, uint16(9), uint8(13), uint8(200))
	f.Fuzz(func(t *testing.T, data []byte, n uint16, opt, scal uint8) {
		n %= 1024
		steps := sgdSteps()
		s := steps[int(opt)%len(steps)]
		if s.WeightDecay != 0 {
			s.WeightDecay = fuzzScalar(scal)
		}
		if s.Momentum != 0 {
			s.Momentum = fuzzScalar(scal >> 3)
		}
		if s.Alpha != 0 {
			s.Alpha = fuzzScalar(scal >> 5)
		}
		var in [3][]float32
		for j := range in {
			in[j] = make([]float32, n)
			fuzzFill(in[j], data, 3*j)
		}
		var want [3][]float32
		for j := range in {
			want[j] = append([]float32(nil), in[j]...)
		}
		sgdGeneric(&s, want[0], want[1], want[2])
		for _, k := range all {
			var got [3][]float32
			for j := range in {
				got[j] = append([]float32(nil), in[j]...)
			}
			k.SGD(&s, got[0], got[1], got[2])
			for j := range got {
				if i, ok := sameFloats(got[j], want[j]); !ok {
					t.Fatalf("%s: sgd n=%d %v: array %d [%d] = %v, want %v", k.name, n, &s, j, i, got[j][i], want[j][i])
				}
			}
		}
	})
}

// goFuses reports whether the compiler fuses a·b + c into one rounding on
// this GOARCH. For a = b = 1 + 2⁻¹², c = −(1 + 2⁻¹¹), the product's 2⁻²⁴
// survives only a fused multiply-add.
//
//go:noinline
func goFuses(a, b, c float32) bool { return a*b+c != 0 }
