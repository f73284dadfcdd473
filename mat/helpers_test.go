package mat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"unsafe"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/internal/guard"
	"github.com/pente-go/pente/mat/asm"
)

func TestMain(m *testing.M) {
	fmt.Printf("mat: active kernels %q, available %v\n", asm.Active(), asm.Available())
	os.Exit(m.Run())
}

// Results are compared with float64 references within approx.Bound: twice
// the worst-case rounding error of a float32 sum of k products.
var tolerance, near = approx.Bound, approx.Close

// placement says where a test matrix's Data lives: flush against a
// protected page (guarded) or on the heap at an offset, padded.
type placement struct {
	guarded bool
	side    guard.Side
	off     int
}

func (p placement) String() string {
	if p.guarded {
		return p.side.String()
	}
	return fmt.Sprintf("heap+%d", p.off)
}

var placements = func() []placement {
	ps := []placement{{guarded: true, side: guard.End}, {guarded: true, side: guard.Start}}
	for off := 0; off < 8; off++ {
		ps = append(ps, placement{off: off})
	}
	return ps
}()

// newMat returns a rows×cols matrix with the given stride, its Data exactly
// as long as the matrix needs and placed as p says, filled by fill, with
// sentinels in the gaps between rows. The returned check fails the test if
// anything outside the matrix's elements changed.
func newMat(t *testing.T, p placement, rows, cols, stride int, fill func(i, j int) float32) (*Dense, func()) {
	t.Helper()
	size := 0
	if rows > 0 && cols > 0 {
		size = (rows-1)*stride + cols
	}
	var data []float32
	checkPad := func() {}
	if p.guarded {
		data = guard.Alloc(t, size, p.side)
	} else {
		data, checkPad = guard.Padded(t, size, p.off, 9)
	}
	for i := range data {
		data[i] = guard.Sentinel
	}
	m := &Dense{Rows: rows, Cols: cols, Stride: stride, Data: data}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			data[i*stride+j] = fill(i, j)
		}
	}
	return m, func() {
		t.Helper()
		checkPad()
		for i, v := range data {
			if i%stride >= cols && math.Float32bits(v) != math.Float32bits(guard.Sentinel) {
				t.Fatalf("element %d in the gap after row %d (stride %d, %d columns) was overwritten", i, i/stride, stride, cols)
			}
		}
	}
}

func uniform(r *rand.Rand) func(i, j int) float32 {
	return func(i, j int) float32 { return 2*r.Float32() - 1 }
}

func constant(v float32) func(i, j int) float32 {
	return func(i, j int) float32 { return v }
}

// sprinkle overwrites a few random elements of m with NaN, +Inf or -Inf.
func sprinkle(r *rand.Rand, m *Dense) {
	if m.Rows == 0 || m.Cols == 0 {
		return
	}
	specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	for range 1 + r.IntN(2) {
		m.Data[r.IntN(m.Rows)*m.Stride+r.IntN(m.Cols)] = specials[r.IntN(3)]
	}
}

// snapshot copies the elements of m, to verify later that an input was not
// modified.
func snapshot(m *Dense) []uint32 {
	var s []uint32
	for i := 0; i < m.Rows; i++ {
		for j := 0; j < m.Cols; j++ {
			s = append(s, math.Float32bits(m.Data[i*m.Stride+j]))
		}
	}
	return s
}

func forEachImpl(t *testing.T, f func(t *testing.T, k asm.Kernels)) {
	for _, k := range kernelSets() {
		t.Run(k.Name(), func(t *testing.T) { f(t, k) })
	}
}

// kernelSets returns every kernel set available here, fastest first.
func kernelSets() []asm.Kernels {
	var ks []asm.Kernels
	for _, name := range asm.Available() {
		k, _ := asm.Lookup(name)
		ks = append(ks, k)
	}
	return ks
}

// threadsOf returns a thread count of n, for the plans.
func threadsOf(n int) func() int { return func() int { return n } }

// gemmSplit computes Gemm on kernels k by the packed path, split into up to
// parts parts as planGemm would split a large product, whatever the size:
// how the tests reach the packed and parallel paths on small shapes.
func gemmSplit(k asm.Kernels, parts int, tA, tB Transpose, alpha float32, a, b *Dense, beta float32, c *Dense) {
	m, n, kk := gemmShapes(tA, tB, a, b, c)
	if m == 0 || n == 0 {
		return
	}
	p := gemmPlan{route: routeScale}
	if alpha != 0 && kk != 0 {
		p.route = routePacked
		p.parts, p.rows = split(k.Blocks(), parts, m, n)
	}
	gemm(k, p, tA, tB, m, n, kk, alpha, a, b, beta, c)
}

// unsafePointer returns the address of s's first element.
func unsafePointer(s []float32) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(s)) }
