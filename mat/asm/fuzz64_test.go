package asm

import (
	"math"
	"testing"

	"github.com/pente-go/pente/internal/approx"
	"github.com/pente-go/pente/internal/testkit"
)

// The float64 fuzz targets are those of fuzz_test.go for DGemvN/DGemvT,
// DGer and the float64 packers: every available implementation against
// the double-double reference of kernels64_test.go (bit for bit for the
// packers), on sizes, leading dimensions, scalars and values the fuzzer
// chooses from fuzzValues, ±0, NaN and ±Inf included. The seeds run with
// every go test; to search further:
//
//	go test -run '^$' -fuzz FuzzDGemv ./mat/asm/

// fuzzFill64 is fuzzFill for float64.
func fuzzFill64(s []float64, data []byte, salt int) {
	for i := range s {
		if len(data) == 0 {
			s[i] = 1
			continue
		}
		s[i] = float64(fuzzValues[(int(data[(i+salt)%len(data)])+i/len(data))%len(fuzzValues)])
	}
}

func FuzzDGemv(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, uint8(5), uint8(9), uint8(2), false, uint8(3))
	f.Add([]byte{1, 2, 3, 4}, uint8(17), uint8(15), uint8(0), true, uint8(4))
	f.Add([]byte{7, 8}, uint8(9), uint8(31), uint8(5), false, uint8(1))
	f.Add([]byte{16}, uint8(1), uint8(1), uint8(1), true, uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, m, n, pad uint8, trans bool, a uint8) {
		rows, cols, lda := int(m), int(n), int(n)+int(pad%9)
		alpha := float64(fuzzScalar(a))
		var amat []float64
		if rows > 0 && cols > 0 {
			amat = make([]float64, (rows-1)*lda+cols)
		}
		fuzzFill64(amat, data, 0)
		lx, ly := cols, rows
		if trans {
			lx, ly = rows, cols
		}
		x, y0 := make([]float64, lx), make([]float64, ly)
		fuzzFill64(x, data, 5)
		fuzzFill64(y0, data, 11)
		sums := make([]ddSum, ly)
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				if trans {
					sums[j].add(amat[i*lda+j], x[i])
				} else {
					sums[i].add(amat[i*lda+j], x[j])
				}
			}
		}
		depth := cols
		if trans {
			depth = rows
		}
		for _, k := range all {
			kernel := k.DGemvN
			if trans {
				kernel = k.DGemvT
			}
			y := append([]float64(nil), y0...)
			kernel(rows, cols, alpha, amat, max(lda, 1), x, y)
			for i, s := range sums {
				want := alpha*s.value() + y0[i]
				tol := approx.Bound64(depth, math.Abs(alpha)*s.mag+math.Abs(y0[i]))
				if rows == 0 || cols == 0 {
					want, tol = y0[i], 0 // y unchanged, even for alpha = ±Inf
				}
				if !approx.Close64(y[i], want, tol) {
					t.Fatalf("%s: dgemv trans=%v %d×%d lda=%d alpha=%v: y[%d] = %v, want %v",
						k.name, trans, rows, cols, lda, alpha, i, y[i], want)
				}
			}
		}
	})
}

// FuzzDGer checks every implementation's float64 rank-1 update against
// the double-double reference, on any shape, leading dimension and values.
func FuzzDGer(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4}, uint8(5), uint8(9), uint8(2), uint8(3))
	f.Add([]byte{9, 10, 13}, uint8(7), uint8(19), uint8(0), uint8(4))
	f.Add([]byte{16}, uint8(1), uint8(1), uint8(1), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, m, n, pad, a uint8) {
		rows, cols, lda := int(m), int(n), int(n)+int(pad%9)
		alpha := float64(fuzzScalar(a))
		var a0 []float64
		if rows > 0 && cols > 0 {
			a0 = make([]float64, (rows-1)*lda+cols)
		}
		fuzzFill64(a0, data, 0)
		x, y := make([]float64, rows), make([]float64, cols)
		fuzzFill64(x, data, 3)
		fuzzFill64(y, data, 7)
		for _, k := range all {
			amat := append([]float64(nil), a0...)
			k.DGer(rows, cols, alpha, x, y, amat, max(lda, 1))
			for e := range amat {
				i, j := e/lda, e%lda
				if j >= cols {
					if math.Float64bits(amat[e]) != math.Float64bits(a0[e]) {
						t.Fatalf("%s: dger %d×%d lda=%d wrote the gap element %d", k.name, rows, cols, lda, e)
					}
					continue
				}
				s := ddSum{hi: a0[e], plain: a0[e], mag: math.Abs(a0[e])}
				s.add(alpha*x[i], y[j])
				if want := s.value(); !approx.Close64(amat[e], want, approx.Bound64(1, s.mag)) {
					t.Fatalf("%s: dger %d×%d lda=%d alpha=%v: A(%d,%d) = %v, want %v",
						k.name, rows, cols, lda, alpha, i, j, amat[e], want)
				}
			}
		}
	})
}

// FuzzDPack checks every implementation's float64 packers bit for bit
// against the specification's loop.
func FuzzDPack(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint16(17), uint8(6), uint8(5), uint8(1), false)
	f.Add([]byte{14, 15, 16, 4}, uint16(515), uint8(8), uint8(7), uint8(3), true)
	f.Add([]byte{9}, uint16(259), uint8(6), uint8(5), uint8(0), true)
	f.Add([]byte{7, 0}, uint16(64), uint8(8), uint8(7), uint8(8), false)
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
		var src []float64
		if rows > 0 && cols > 0 {
			src = make([]float64, (rows-1)*ld+cols)
		}
		fuzzFill64(src, data, 0)
		src0 := append([]float64(nil), src...)
		want := dpackWant(trans, kk, w, nr, src, ld)
		for _, k := range all {
			pack := k.DPackRows
			if trans {
				pack = k.DPackCols
			}
			panel := make([]float64, kk*nr+3)
			fillWith64(dpackFill)(panel)
			pack(kk, w, nr, src, ld, panel)
			if !testkit.SameBits64(src, src0) {
				t.Fatalf("%s: dpack trans=%v k=%d w=%d nr=%d ld=%d modified src", k.name, trans, kk, w, nr, ld)
			}
			if !testkit.SameBits64(panel[:kk*nr], want) {
				t.Fatalf("%s: dpack trans=%v k=%d w=%d nr=%d ld=%d: got %v, want %v", k.name, trans, kk, w, nr, ld, panel[:kk*nr], want)
			}
			if !testkit.SameBits64(panel[kk*nr:], []float64{dpackFill, dpackFill, dpackFill}) {
				t.Fatalf("%s: dpack trans=%v k=%d w=%d nr=%d ld=%d wrote past k·nr", k.name, trans, kk, w, nr, ld)
			}
		}
	})
}
