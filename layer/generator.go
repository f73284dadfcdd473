package layer

import (
	"fmt"
	"math"
	"sync"

	"github.com/pente-go/pente/mat"
)

// DefaultSeed is the seed PyTorch's default CPU generator starts from
// (default_rng_seed_val in c10), which C++ libtorch programs get when they
// never seed. Python's torch reseeds that generator randomly at import, so
// a Python run is reproducible only after torch.manual_seed: use
// [ManualSeed] with the same seed.
const DefaultSeed uint64 = 67280421310721

// Generator is PyTorch's CPU random number generator: MT19937 seeded as
// torch.manual_seed seeds it, drawn from as tensor.uniform_ draws. The same
// seed and the same sequence of draws give bit-identical values to PyTorch
// 1.13, so a model initialised here starts where the PyTorch run starts.
//
// A Generator is safe for concurrent use; the order of concurrent draws is
// then unspecified.
type Generator struct {
	mu    sync.Mutex
	seed  uint64
	state [mtN]uint32
	next  int
}

// defaultGenerator serves NewLinear(in, out, nil), as torch's default
// generator serves nn.Linear.
var defaultGenerator = ManualSeed(DefaultSeed)

// Default returns the generator that NewLinear draws from when given nil:
// Default().Seed(s) is torch.manual_seed(s).
func Default() *Generator { return defaultGenerator }

// ManualSeed returns a generator in the state torch.manual_seed(seed) gives
// PyTorch's: MT19937's init_genrand with the low 32 bits of seed.
func ManualSeed(seed uint64) *Generator {
	g := new(Generator)
	g.Seed(seed)
	return g
}

// Seed resets g as torch.manual_seed(seed) does.
func (g *Generator) Seed(seed uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seed = seed
	g.state[0] = uint32(seed)
	for i := 1; i < mtN; i++ {
		prev := g.state[i-1]
		g.state[i] = 1812433253*(prev^prev>>30) + uint32(i)
	}
	g.next = mtN
}

// InitialSeed returns the seed g was last seeded with, as
// torch.initial_seed.
func (g *Generator) InitialSeed() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.seed
}

// Uint32 returns the next 32-bit output of the generator.
func (g *Generator) Uint32() uint32 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.uint32()
}

// Uniform fills dst with values uniform in [lo, hi), as
// tensor.uniform_(lo, hi) fills a float32 tensor of len(dst) elements in
// PyTorch: one 32-bit draw r per element, u = (r mod 2²⁴)·2⁻²⁴ and the value
// u·(hi − lo) + lo fused into one float32 rounding, with lo and hi first
// rounded to float32. Uniform panics if lo > hi or either is not finite.
func (g *Generator) Uniform(dst []float32, lo, hi float64) {
	if !(lo <= hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		panic("layer: Generator.Uniform: need finite lo ≤ hi")
	}
	from, to := float32(lo), float32(hi)
	span := to - from
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := range dst {
		u := float32(g.uint32()&(1<<24-1)) * 0x1p-24
		dst[i] = fma32(u, span, from)
	}
}

// Rand returns a rows×cols matrix of values uniform in [0, 1), as
// torch.rand(rows, cols).
func (g *Generator) Rand(rows, cols int) *mat.Dense {
	m := mat.NewDense(rows, cols, nil)
	g.Uniform(m.Data, 0, 1)
	return m
}

// fma32 returns a·b + c rounded once to float32, as a fused multiply-add in
// single precision computes it. The product of two float32 values is exact in
// float64; the sum is rounded to float64 by round-to-odd (its rounding error
// is recovered exactly by TwoSum), which leaves enough bits for the final
// rounding to float32 to be correct.
func fma32(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	s := p + float64(c)
	bv := s - p
	err := (p - (s - bv)) + (float64(c) - bv)
	if err != 0 && math.Float64bits(s)&1 == 0 {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), err))
	}
	return float32(s)
}

// MT19937 (Matsumoto and Nishimura, 1998), the engine of at::mt19937.
const (
	mtN      = 624
	mtM      = 397
	mtMatrix = 0x9908b0df
	mtUpper  = 0x80000000
	mtLower  = 0x7fffffff
)

func (g *Generator) uint32() uint32 {
	if g.next >= mtN {
		g.twist()
	}
	y := g.state[g.next]
	g.next++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

func (g *Generator) twist() {
	s := &g.state
	for i := 0; i < mtN; i++ {
		y := s[i]&mtUpper | s[(i+1)%mtN]&mtLower
		v := s[(i+mtM)%mtN] ^ y>>1
		if y&1 != 0 {
			v ^= mtMatrix
		}
		s[i] = v
	}
	g.next = 0
}

// Randperm returns a random permutation of 0, …, n−1, as
// torch.randperm(n, generator=g) on the CPU in PyTorch 1.13: the identity,
// then for i = 0, …, n−2 element i swapped with element i + r mod (n − i),
// r the next 32-bit draw. It takes n − 1 draws (none for n ≤ 1) and gives
// PyTorch's permutation from the same generator state, for every n.
// (PyTorch 2 draws 64 bits at a time for n ≥ 2³²/20; 1.13 does not.)
// Randperm panics if n is negative, as torch does.
func (g *Generator) Randperm(n int) []int {
	if n < 0 {
		panic(fmt.Sprintf("layer: Generator.Randperm: n must be non-negative, got %d", n))
	}
	perm := make([]int, n)
	g.Permute(perm)
	return perm
}

// Permute fills perm with a random permutation of 0, …, len(perm)−1, the one
// Randperm(len(perm)) returns, without allocating.
func (g *Generator) Permute(perm []int) {
	n := len(perm)
	for i := range perm {
		perm[i] = i
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := 0; i < n-1; i++ {
		z := i + int(uint64(g.uint32())%uint64(n-i))
		perm[i], perm[z] = perm[z], perm[i]
	}
}

// Uint64 returns the next 64 bits of the generator: two 32-bit draws, the
// first in the high half, as PyTorch's CPUGeneratorImpl::random64.
func (g *Generator) Uint64() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.uint64()
}

func (g *Generator) uint64() uint64 {
	hi := g.uint32()
	return uint64(hi)<<32 | uint64(g.uint32())
}

// bernoulli sets keep[i] to whether a draw of tensor.bernoulli_(q) in
// PyTorch is 1: PyTorch without MKL draws, for each element in order, a
// double u = (random64 mod 2⁵³)·2⁻⁵³ uniform in [0, 1) and gives 1 where
// u < q.
func (g *Generator) bernoulli(keep []bool, q float64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := range keep {
		u := float64(g.uint64()&(1<<53-1)) * 0x1p-53
		keep[i] = u < q
	}
}
