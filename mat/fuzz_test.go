package mat

import (
	"math"
	"testing"

	"github.com/pente-go/pente/internal/approx"
)

// FuzzGemm drives the whole of Gemm (checks, packing, blocking, edge tiles,
// micro-kernel) with shapes, transposes, strides, scalars and values chosen
// by the fuzzer, on every available implementation, against a float64
// reference. Each byte of data picks a value from a table that includes ±0,
// NaN and ±Inf but keeps float32 clear of overflow and underflow.
//
//	go test -run '^$' -fuzz FuzzGemm ./mat/
func FuzzGemm(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint8(7), uint8(17), uint16(5), uint8(0), uint8(1), uint8(0))
	f.Add([]byte{9, 4, 14, 2}, uint8(13), uint8(33), uint16(257), uint8(3), uint8(5), uint8(2))
	f.Add([]byte{0}, uint8(0), uint8(3), uint16(2), uint8(1), uint8(0), uint8(6))
	f.Add([]byte{15, 1}, uint8(6), uint8(16), uint16(0), uint8(2), uint8(2), uint8(4))
	values := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.5, -0.25, 2, -3, 0.1, -0.7, 1e3, 7.5,
		float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	scalars := []float32{0, 1, -1, 0.5, -2, 3.25}
	f.Fuzz(func(t *testing.T, data []byte, m, n uint8, k uint16, trans, scal, pad uint8) {
		rows, cols, depth := int(m)%100, int(n)%100, int(k)%600
		tA, tB := Transpose(trans&1), Transpose(trans>>1&1)
		alpha, beta := scalars[int(scal)%6], scalars[int(scal/6)%6]
		next := 0
		fill := func(i, j int) float32 {
			if len(data) == 0 {
				return 1
			}
			next++
			return values[(int(data[next%len(data)])+next/len(data))%len(values)]
		}
		mk := func(r, c, extra int) *Dense {
			d := &Dense{Rows: r, Cols: c, Stride: c + extra}
			if r > 0 && c > 0 {
				d.Data = make([]float32, (r-1)*d.Stride+c)
			}
			for i := 0; i < r; i++ {
				for j := 0; j < c; j++ {
					d.Data[i*d.Stride+j] = fill(i, j)
				}
			}
			return d
		}
		ar, ac := rows, depth
		if tA == Trans {
			ar, ac = ac, ar
		}
		br, bc := depth, cols
		if tB == Trans {
			br, bc = bc, br
		}
		a, b := mk(ar, ac, int(pad)%3), mk(br, bc, int(pad/3)%3)
		c0 := mk(rows, cols, int(pad/9)%3)
		want, mag := refGemm(tA, tB, alpha, a, b, beta, c0)
		for _, kern := range kernelSets() {
			c := &Dense{Rows: c0.Rows, Cols: c0.Cols, Stride: c0.Stride, Data: append([]float32(nil), c0.Data...)}
			gemmOn(kern, Threads, tA, tB, alpha, a, b, beta, c)
			for i := 0; i < rows; i++ {
				for j := 0; j < cols; j++ {
					w, tol := want[i*cols+j], approx.Bound(depth, mag[i*cols+j])
					if got := c.Data[i*c.Stride+j]; !approx.Close(got, w, tol) {
						t.Fatalf("%s: Gemm(%v, %v) m=%d n=%d k=%d alpha=%v beta=%v: C(%d,%d) = %v, want %v",
							kern.Name(), tA, tB, rows, cols, depth, alpha, beta, i, j, got, w)
					}
				}
			}
		}
	})
}
