package asm

import (
	"math"
	"testing"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/internal/testkit"
)

// The fuzz targets compare every available implementation with a float64
// reference on inputs the fuzzer chooses: sizes, scalars, and the values
// themselves, each byte of data picking one from fuzzValues. The table keeps
// magnitudes where float32 neither overflows nor underflows, so that the
// tolerance of the other tests holds, and includes ±0, NaN and ±Inf.
//
// The seeds below run with every go test; to search further:
//
//	go test -run '^$' -fuzz FuzzGemm ./mat/asm/
var fuzzValues = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1, 0.5, -0.25, 2, -3, 1.0000001, 0.1, -0.7, 1e3, -1e-3, 7.5,
	float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
}

// fuzzFill fills s from data, cycling through it; no data means ones.
func fuzzFill(s []float32, data []byte, salt int) {
	for i := range s {
		if len(data) == 0 {
			s[i] = 1
			continue
		}
		s[i] = fuzzValues[(int(data[(i+salt)%len(data)])+i/len(data))%len(fuzzValues)]
	}
}

func fuzzScalar(b uint8) float32 {
	return []float32{0, 1, -1, 0.5, -2, 3.25, float32(math.Copysign(0, -1))}[int(b)%7]
}

func FuzzAxpy(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint16(17), uint8(3))
	f.Add([]byte{14, 15, 0}, uint16(40), uint8(4))
	f.Add([]byte{}, uint16(0), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, n uint16, a uint8) {
		n %= 2048
		alpha := fuzzScalar(a)
		x, y0 := make([]float32, n), make([]float32, n)
		fuzzFill(x, data, 0)
		fuzzFill(y0, data, 7)
		for _, k := range all {
			y := append([]float32(nil), y0...)
			k.Axpy(alpha, x, y)
			for i := range y {
				want := float64(y0[i]) + float64(alpha)*float64(x[i])
				if !approx.Close(y[i], want, approx.Bound(1, math.Abs(float64(y0[i]))+math.Abs(float64(alpha*x[i])))) {
					t.Fatalf("%s: axpy n=%d alpha=%v: y[%d] = %v, want %v", k.name, n, alpha, i, y[i], want)
				}
			}
		}
	})
}

func FuzzDot(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint16(33))
	f.Add([]byte{5, 14}, uint16(9))
	f.Fuzz(func(t *testing.T, data []byte, n uint16) {
		n %= 4096
		x, y := make([]float32, n), make([]float32, n)
		fuzzFill(x, data, 0)
		fuzzFill(y, data, 3)
		var want, mag float64
		for i := range x {
			p := float64(x[i]) * float64(y[i])
			want += p
			mag += math.Abs(p)
		}
		for _, k := range all {
			if got := k.Dot(x, y); !approx.Close(got, want, approx.Bound(int(n), mag)) {
				t.Fatalf("%s: dot n=%d: got %v, want %v", k.name, n, got, want)
			}
		}
	})
}

func FuzzGemv(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, uint8(5), uint8(9), uint8(2), false, uint8(3))
	f.Add([]byte{1, 2, 3, 4}, uint8(17), uint8(4), uint8(0), true, uint8(4))
	f.Add([]byte{16}, uint8(1), uint8(1), uint8(1), true, uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, m, n, pad uint8, trans bool, a uint8) {
		rows, cols, lda := int(m), int(n), int(n)+int(pad%9)
		alpha := fuzzScalar(a)
		amat := make([]float32, max(0, (rows-1)*lda+cols))
		if rows == 0 || cols == 0 {
			amat = nil
		}
		fuzzFill(amat, data, 0)
		lx, ly := cols, rows
		if trans {
			lx, ly = rows, cols
		}
		x, y0 := make([]float32, lx), make([]float32, ly)
		fuzzFill(x, data, 5)
		fuzzFill(y0, data, 11)
		want, mag := make([]float64, ly), make([]float64, ly)
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				if trans {
					p := float64(amat[i*lda+j]) * float64(x[i])
					want[j] += p
					mag[j] += math.Abs(p)
				} else {
					p := float64(amat[i*lda+j]) * float64(x[j])
					want[i] += p
					mag[i] += math.Abs(p)
				}
			}
		}
		for i := range want {
			want[i] = float64(alpha)*want[i] + float64(y0[i])
			mag[i] = math.Abs(float64(alpha))*mag[i] + math.Abs(float64(y0[i]))
		}
		depth := cols
		if trans {
			depth = rows
		}
		for _, k := range all {
			kernel := k.GemvN
			if trans {
				kernel = k.GemvT
			}
			y := append([]float32(nil), y0...)
			kernel(rows, cols, alpha, amat, max(lda, 1), x, y)
			for i := range y {
				if !approx.Close(y[i], want[i], approx.Bound(depth, mag[i])) {
					t.Fatalf("%s: gemv trans=%v %d×%d lda=%d alpha=%v: y[%d] = %v, want %v",
						k.name, trans, rows, cols, lda, alpha, i, y[i], want[i])
				}
			}
		}
	})
}

// FuzzGer checks every implementation's rank-1 update against a float64
// reference, on any shape, leading dimension and values.
func FuzzGer(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, uint8(5), uint8(9), uint8(2), uint8(3))
	f.Add([]byte{200, 7}, uint8(1), uint8(40), uint8(0), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, m, n, pad uint8, a uint8) {
		rows, cols, lda := int(m), int(n), max(int(n)+int(pad%9), 1)
		alpha := fuzzScalar(a)
		x, y := make([]float32, rows), make([]float32, cols)
		fuzzFill(x, data, 3)
		fuzzFill(y, data, 7)
		a0 := make([]float32, max(0, (rows-1)*lda+cols))
		if rows == 0 || cols == 0 {
			a0 = nil
		}
		fuzzFill(a0, data, 0)
		for _, k := range all {
			amat := append([]float32(nil), a0...)
			k.Ger(rows, cols, alpha, x, y, amat, lda)
			for e := range amat {
				i, j := e/lda, e%lda
				if j >= cols {
					if !testkit.SameBits(amat[e:e+1], a0[e:e+1]) {
						t.Fatalf("%s: ger %d×%d lda=%d wrote into the gap at %d", k.name, rows, cols, lda, e)
					}
					continue
				}
				p := float64(float32(alpha*x[i])) * float64(y[j])
				want := float64(a0[e]) + p
				if !approx.Close(amat[e], want, approx.Bound(1, math.Abs(p)+math.Abs(float64(a0[e])))) {
					t.Fatalf("%s: ger %d×%d lda=%d alpha=%v: A(%d,%d) = %v, want %v", k.name, rows, cols, lda, alpha, i, j, amat[e], want)
				}
			}
		}
	})
}

func FuzzGemm(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5}, uint16(7), uint8(1), uint8(2), uint8(0))
	f.Add([]byte{1, 2, 3, 4, 5}, uint16(300), uint8(5), uint8(0), uint8(3))
	f.Add([]byte{14, 2}, uint16(1), uint8(1), uint8(1), uint8(1))
	f.Add([]byte{}, uint16(0), uint8(2), uint8(3), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, depth uint16, a, b, pad uint8) {
		kk := int(depth % 1024)
		alpha, beta := fuzzScalar(a), fuzzScalar(b)
		for _, k := range all {
			mr, nr, ldc := k.blocks.MR, k.blocks.NR, k.blocks.NR+int(pad%7)
			pa, pb := make([]float32, kk*mr), make([]float32, kk*nr)
			fuzzFill(pa, data, 0)
			fuzzFill(pb, data, 1)
			c := make([]float32, (mr-1)*ldc+nr)
			fuzzFill(c, data, 2)
			c0 := append([]float32(nil), c...)
			k.Gemm(kk, alpha, pa, pb, beta, c, ldc)
			for i := 0; i < mr; i++ {
				for j := 0; j < ldc && i*ldc+j < len(c); j++ {
					got := c[i*ldc+j]
					if j >= nr {
						if math.Float32bits(got) != math.Float32bits(c0[i*ldc+j]) {
							t.Fatalf("%s: k=%d ldc=%d: gap element (%d,%d) changed", k.name, kk, ldc, i, j)
						}
						continue
					}
					var s, m float64
					for l := 0; l < kk; l++ {
						p := float64(pa[l*mr+i]) * float64(pb[l*nr+j])
						s += p
						m += math.Abs(p)
					}
					want, mag := float64(alpha)*s, math.Abs(float64(alpha))*m
					if beta != 0 {
						want += float64(beta) * float64(c0[i*ldc+j])
						mag += math.Abs(float64(beta) * float64(c0[i*ldc+j]))
					}
					if !approx.Close(got, want, approx.Bound(kk, mag)) {
						t.Fatalf("%s: gemm k=%d alpha=%v beta=%v: C(%d,%d) = %v, want %v", k.name, kk, alpha, beta, i, j, got, want)
					}
				}
			}
		}
	})
}

// FuzzPack checks every implementation's PackRows and PackCols bit for bit
// against their specification, on any depth, width, panel width and
// leading dimension, and that nothing past k·nr in the panel and nothing
// in src changes.
func FuzzPack(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint16(17), uint8(6), uint8(5), uint8(1), false)
	f.Add([]byte{14, 15, 16, 4}, uint16(515), uint8(32), uint8(31), uint8(3), true)
	f.Add([]byte{9}, uint16(259), uint8(12), uint8(11), uint8(0), true)
	f.Add([]byte{7, 0}, uint16(64), uint8(16), uint8(15), uint8(8), false)
	f.Add([]byte{}, uint16(0), uint8(8), uint8(7), uint8(2), true)
	f.Fuzz(func(t *testing.T, data []byte, depth uint16, width, panelWidth, pad uint8, trans bool) {
		kk := int(depth % 1100)
		nr := 1 + int(panelWidth%32)
		w := int(width) % (nr + 1)
		rows, cols := kk, w
		if trans {
			rows, cols = w, kk
		}
		ld := max(cols+int(pad%9), 1)
		var src []float32
		if rows > 0 && cols > 0 {
			src = make([]float32, (rows-1)*ld+cols)
		}
		fuzzFill(src, data, 0)
		src0 := append([]float32(nil), src...)
		want := packWant(trans, kk, w, nr, src, ld)
		for _, k := range all {
			pack := k.PackRows
			if trans {
				pack = k.PackCols
			}
			panel := make([]float32, kk*nr+3)
			fillWith(packFill)(panel)
			pack(kk, w, nr, src, ld, panel)
			if !testkit.SameBits(src, src0) {
				t.Fatalf("%s: pack trans=%v k=%d w=%d nr=%d ld=%d modified src", k.name, trans, kk, w, nr, ld)
			}
			if !testkit.SameBits(panel[:kk*nr], want) {
				t.Fatalf("%s: pack trans=%v k=%d w=%d nr=%d ld=%d: got %v, want %v", k.name, trans, kk, w, nr, ld, panel[:kk*nr], want)
			}
			if !testkit.SameBits(panel[kk*nr:], []float32{packFill, packFill, packFill}) {
				t.Fatalf("%s: pack trans=%v k=%d w=%d nr=%d ld=%d wrote past k·nr", k.name, trans, kk, w, nr, ld)
			}
		}
	})
}
