package asm

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/internal/testkit"
)

// TestFMA32 checks fma32 against a·b + c computed exactly (math/big) and
// rounded once to float32, on random operands and on sums built to fall
// next to a float32 halfway point, where rounding through float64 would
// go wrong.
func TestFMA32(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	exact := func(a, b, c float32) float32 {
		x := new(big.Float).SetPrec(200).SetFloat64(float64(a))
		x.Mul(x, new(big.Float).SetFloat64(float64(b)))
		x.Add(x, new(big.Float).SetFloat64(float64(c)))
		f, _ := x.Float32() // nearest, ties to even
		if f == 0 && math.Signbit(float64(c)) && math.Signbit(float64(a)) != math.Signbit(float64(b)) {
			return float32(math.Copysign(0, -1)) // −0·… + −0: big.Float has no −0 sum
		}
		return f
	}
	rnd := func() float32 {
		return float32(math.Ldexp(r.Float64()+0.5, r.IntN(40)-20)) * float32(1-2*r.IntN(2))
	}
	bad := 0
	for i := 0; i < 200000; i++ {
		a, b, c := rnd(), rnd(), rnd()
		if i%2 == 1 {
			// c is a float32 h and a·b = ±(half an ulp of h)·(1 − 2⁻⁴⁶):
			// the exact sum lies just inside a halfway point, a distance
			// float64 cannot hold, so rounding through float64 lands on
			// the halfway point and then ties to even, away from h when h
			// is odd.
			h := float32(math.Ldexp(float64(1<<23|r.Uint32()&(1<<23-1)|1), r.IntN(40)-40))
			ulp := math.Nextafter32(h, float32(math.Inf(1))) - h
			a = 1 + 1.0/(1<<23)
			b = ulp / 2 * (1 - 1.0/(1<<23))
			if r.IntN(2) == 0 {
				h, b = -h, -b
			}
			c = h
		}
		got, want := fma32(a, b, c), exact(a, b, c)
		if math.Float32bits(got) != math.Float32bits(want) {
			t.Errorf("fma32(%v, %v, %v) = %v, want %v", a, b, c, got, want)
			if bad++; bad > 10 {
				t.FailNow()
			}
		}
	}
	for _, c := range [][4]float32{
		{0, 0, 0, 0},
		{float32(math.Inf(1)), 2, 1, float32(math.Inf(1))},
		{float32(math.Inf(1)), 0, 1, float32(math.NaN())},
		{1, 1, float32(math.Inf(-1)), float32(math.Inf(-1))},
		{1e30, 1e30, 0, float32(math.Inf(1))},
		{1e-30, 1e-30, 0, 0},
	} {
		if got := fma32(c[0], c[1], c[2]); !sameFloat(got, c[3]) {
			t.Errorf("fma32(%v, %v, %v) = %v, want %v", c[0], c[1], c[2], got, c[3])
		}
	}
}

// sameFloat: the same bits, or both NaN.
func sameFloat(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || a != a && b != b
}

// sameFloats: sameFloat element by element; i is the first difference.
func sameFloats(a, b []float32) (i int, ok bool) {
	for i := range a {
		if !sameFloat(a[i], b[i]) {
			return i, false
		}
	}
	return -1, len(a) == len(b)
}

// adamSteps are the configurations every test runs: Adam and AdamW
// scalars, each option on and off.
func adamSteps() []AdamStep {
	var ss []AdamStep
	for f := 0; f < 8; f++ {
		for _, adamw := range []bool{false, true} {
			s := AdamStep{
				Decay: 1, Beta1: 0.9, OneMinusBeta1: float32(1 - 0.9), Beta2: 0.999, OneMinusBeta2: float32(1 - 0.999),
				BC2Sqrt: float32(math.Sqrt(1 - math.Pow(0.999, 3))), Eps: 1e-8, Alpha: float32(-1e-3 / (1 - math.Pow(0.9, 3))),
				Maximize: f&1 != 0, AMSGrad: f&4 != 0,
			}
			if adamw {
				s.Decay = float32(1 - 1e-3*0.01)
			} else if f&2 != 0 {
				s.Coupled, s.L2 = true, 0.1
			}
			ss = append(ss, s)
		}
	}
	return ss
}

func (s *AdamStep) String() string {
	return fmt.Sprintf("decay=%v coupled=%v maximize=%v amsgrad=%v", s.Decay, s.Coupled, s.Maximize, s.AMSGrad)
}

// adamFill sets a state vector: m and θ anything, v and vmax not negative,
// as Adam leaves them.
func adamFill(r *rand.Rand, nonNeg bool) func([]float32) {
	return func(s []float32) {
		for i := range s {
			x := float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(7)-4)))
			if nonNeg {
				x = x * x
			}
			s[i] = x
		}
	}
}

// TestAdam checks every implementation against adamGeneric, bit for bit
// (NaN results need only be NaN), for every size up to 40 and the tails
// of larger ones, every placement (flush against protected pages, and on
// the heap at offsets 0 to 7 with sentinels around), every option, and
// NaN and ±Inf in every input. grad, and vmax without AMSGrad, must not
// be written.
func TestAdam(t *testing.T) {
	steps := adamSteps()
	forEachImpl(t, func(t *testing.T, k Kernels) {
		r := rand.New(rand.NewPCG(21, 22))
		for _, n := range vecSizes {
			for li, l := range layouts {
				s := &steps[(n+li)%len(steps)]
				special := (n+li)%4 == 0
				var in [5][]float32
				var checks [5]func()
				for j := range in {
					in[j], checks[j] = alloc(t, l, n, adamFill(r, j >= 3))
					if special {
						withSpecials(r, in[j])
					}
				}
				want := make([][]float32, 5)
				for j := range in {
					want[j] = append([]float32(nil), in[j]...)
				}
				adamGeneric(s, want[0], want[1], want[2], want[3], want[4])
				what := fmt.Sprintf("adam n=%d %v %v", n, l, s)
				guard.Do(t, what, func() { k.Adam(s, in[0], in[1], in[2], in[3], in[4]) })
				for j := range in {
					checks[j]()
					if i, ok := sameFloats(in[j], want[j]); !ok {
						t.Fatalf("%s: %s[%d] = %v, want %v", what, []string{"theta", "grad", "m", "v", "vmax"}[j], i, in[j][i], want[j][i])
					}
				}
			}
		}
	})
}

// TestAdamUnusedVmax checks that without AMSGrad vmax may be nil or of
// any length, and is not touched.
func TestAdamUnusedVmax(t *testing.T) {
	forEachImpl(t, func(t *testing.T, k Kernels) {
		s := adamSteps()[0]
		for _, vmax := range [][]float32{nil, {}, {5}, make([]float32, 100)} {
			v0 := append([]float32(nil), vmax...)
			x := []float32{1, 2, 3}
			k.Adam(&s, x, []float32{1, 1, 1}, []float32{0, 0, 0}, []float32{0, 0, 0}, vmax)
			if !testkit.SameBits(vmax, v0) {
				t.Fatalf("vmax of length %d written without AMSGrad", len(vmax))
			}
		}
	})
}

// TestAdamLengths checks that Adam refuses slices of different lengths,
// naming them, before it touches anything.
func TestAdamLengths(t *testing.T) {
	s := adamSteps()[0]
	ams := s
	ams.AMSGrad = true
	x := func(n int) []float32 { return make([]float32, n) }
	for _, c := range []struct {
		s                 *AdamStep
		th, g, m, v, vmax []float32
		want              string
	}{
		{&s, x(3), x(2), x(3), x(3), nil, "len(grad) = 2"},
		{&s, x(3), x(3), x(4), x(3), nil, "len(m) = 4"},
		{&s, x(3), x(3), x(3), nil, nil, "len(v) = 0"},
		{&s, x(0), x(1), x(0), x(0), nil, "len(theta) = 0, len(grad) = 1"},
		{&ams, x(3), x(3), x(3), x(3), x(2), "len(vmax) = 2 (AMSGrad)"},
		{&ams, x(3), x(3), x(3), x(3), nil, "len(vmax) = 0 (AMSGrad)"},
	} {
		forEachImpl(t, func(t *testing.T, k Kernels) {
			th0 := append([]float32(nil), c.th...)
			msg := testkit.PanicMessage(func() { k.Adam(c.s, c.th, c.g, c.m, c.v, c.vmax) })
			if !strings.HasPrefix(msg, "asm: adam: ") || !strings.Contains(msg, c.want) {
				t.Errorf("panic %q, want one starting \"asm: adam: \" with %q", msg, c.want)
			}
			if !testkit.SameBits(c.th, th0) {
				t.Errorf("theta changed before the panic")
			}
		})
	}
}

// FuzzAdam compares every implementation with adamGeneric on values,
// sizes and options the fuzzer picks.
//
//	go test -run '^$' -fuzz FuzzAdam ./mat/asm/
func FuzzAdam(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint16(17), uint8(0))
	f.Add([]byte{14, 15, 0, 16, 1}, uint16(40), uint8(7))
	f.Add([]byte{4, 9, 12}, uint16(9), uint8(13))
	f.Fuzz(func(t *testing.T, data []byte, n uint16, opt uint8) {
		n %= 1024
		steps := adamSteps()
		s := &steps[int(opt)%len(steps)]
		var in [5][]float32
		for j := range in {
			in[j] = make([]float32, n)
			fuzzFill(in[j], data, 3*j)
		}
		want := make([][]float32, 5)
		for j := range in {
			want[j] = append([]float32(nil), in[j]...)
		}
		adamGeneric(s, want[0], want[1], want[2], want[3], want[4])
		for _, k := range all {
			var got [5][]float32
			for j := range in {
				got[j] = append([]float32(nil), in[j]...)
			}
			k.Adam(s, got[0], got[1], got[2], got[3], got[4])
			for j := range got {
				if i, ok := sameFloats(got[j], want[j]); !ok {
					t.Fatalf("%s: adam n=%d %v: array %d [%d] = %v, want %v", k.name, n, s, j, i, got[j][i], want[j][i])
				}
			}
		}
	})
}
