package gonumblas

import "math"

func axpy[T float](k *kernels[T], n int, alpha T, x []T, incX int, y []T, incY int) {
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	if n < 1 {
		if n == 0 {
			return
		}
		panic(nLT0)
	}
	if shortVec(len(x), n, incX) {
		panic(shortX)
	}
	if shortVec(len(y), n, incY) {
		panic(shortY)
	}
	if alpha == 0 {
		return
	}
	k.axpy(n, alpha, x, incX, y, incY)
}

func dot[T float](k *kernels[T], n int, x []T, incX int, y []T, incY int) T {
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	if n <= 0 {
		if n == 0 {
			return 0
		}
		panic(nLT0)
	}
	if shortVec(len(x), n, incX) {
		panic(shortX)
	}
	if shortVec(len(y), n, incY) {
		panic(shortY)
	}
	return k.dot(n, x, incX, y, incY)
}

func scal[T float](k *kernels[T], n int, alpha T, x []T, incX int) {
	if incX < 1 {
		if incX == 0 {
			panic(zeroIncX)
		}
		return
	}
	if n < 1 {
		if n == 0 {
			return
		}
		panic(nLT0)
	}
	if shortVec(len(x), n, incX) {
		panic(shortX)
	}
	scaleVec(k, n, alpha, x, incX)
}

// nrm2 is ‖x‖₂ as the square root of x·x on pente's dot when that sum can
// be trusted: finite (nothing overflowed, no NaN or Inf in x) and at least
// tiny, so that squares that underflowed cannot matter. Otherwise, for huge
// and tiny values, NaN and Inf, it is gonum's own scaled algorithm, with
// gonum's results.
func nrm2[T float](k *kernels[T], n int, x []T, incX int, tiny, huge T) T {
	if incX < 1 {
		if incX == 0 {
			panic(zeroIncX)
		}
		return 0
	}
	if n > 0 && shortVec(len(x), n, incX) {
		panic(shortX)
	}
	if n < 2 {
		return k.nrm2(n, x, incX) // gonum's panics and small cases
	}
	s := k.dot(n, x, incX, x, incX)
	if s >= tiny && s <= huge {
		return T(math.Sqrt(float64(s)))
	}
	return k.nrm2(n, x, incX)
}

// asum is Σ|x_i|, in four partial sums.
func asum[T float](n int, x []T, incX int) T {
	if n < 0 {
		panic(nLT0)
	}
	if incX < 1 {
		if incX == 0 {
			panic(zeroIncX)
		}
		return 0
	}
	if n > 0 && shortVec(len(x), n, incX) {
		panic(shortX)
	}
	var s0, s1, s2, s3 T
	i, ix := 0, 0
	for ; i+4 <= n; i, ix = i+4, ix+4*incX {
		s0 += abs(x[ix])
		s1 += abs(x[ix+incX])
		s2 += abs(x[ix+2*incX])
		s3 += abs(x[ix+3*incX])
	}
	for ; i < n; i, ix = i+1, ix+incX {
		s0 += abs(x[ix])
	}
	return (s0 + s1) + (s2 + s3)
}

func abs[T float](v T) T { return T(math.Abs(float64(v))) }

// idamax is Idamax for incX = 1, n ≥ 2 and x long enough, with gonum's
// results: the index of the first element of largest absolute value, a NaN
// passed over (x > NaN and NaN > x are both false), unless it is element 0,
// which is then the answer. It runs in two passes over x without branches
// that depend on the data: the largest |x_i| as the bits of a float64 with
// the sign cleared (which order as the values do; a NaN's, above +Inf's,
// are taken as 0), in four lanes, then the first element with those bits.
func idamax(x []float64) int {
	const sign, inf = 1 << 63, 0x7ff << 52
	if x[0] != x[0] {
		return 0
	}
	var m0, m1, m2, m3 uint64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v := x[i : i+4 : i+4]
		b0, b1 := math.Float64bits(v[0])&^sign, math.Float64bits(v[1])&^sign
		b2, b3 := math.Float64bits(v[2])&^sign, math.Float64bits(v[3])&^sign
		if b0 > inf {
			b0 = 0
		}
		if b1 > inf {
			b1 = 0
		}
		if b2 > inf {
			b2 = 0
		}
		if b3 > inf {
			b3 = 0
		}
		m0, m1, m2, m3 = max(m0, b0), max(m1, b1), max(m2, b2), max(m3, b3)
	}
	for ; i < len(x); i++ {
		if b := math.Float64bits(x[i]) &^ sign; b <= inf {
			m0 = max(m0, b)
		}
	}
	m := max(m0, m1, m2, m3)
	for i, v := range x {
		if math.Float64bits(v)&^sign == m {
			return i
		}
	}
	return 0 // not reached: some element has the bits m
}

// Daxpy computes y += alpha·x on pente's daxpy, with any increments.
func (Implementation) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	axpy(f64, n, alpha, x, incX, y, incY)
}

// Saxpy is Daxpy in float32.
func (Implementation) Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	axpy(f32, n, alpha, x, incX, y, incY)
}

// Ddot returns xᵀ·y on pente's ddot, with any increments.
func (Implementation) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	return dot(f64, n, x, incX, y, incY)
}

// Sdot is Ddot in float32.
func (Implementation) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	return dot(f32, n, x, incX, y, incY)
}

// Dscal computes x = alpha·x on pente's dscal (x = 0 when alpha is 0, as
// gonum); incX < 0 does nothing, as gonum.
func (Implementation) Dscal(n int, alpha float64, x []float64, incX int) {
	scal(f64, n, alpha, x, incX)
}

// Sscal is Dscal in float32.
func (Implementation) Sscal(n int, alpha float32, x []float32, incX int) {
	scal(f32, n, alpha, x, incX)
}

// Dnrm2 returns ‖x‖₂: √(xᵀ·x) on pente's ddot when that sum neither
// overflows nor underflows, else gonum's scaled algorithm, so that huge and
// tiny values give gonum's results.
func (Implementation) Dnrm2(n int, x []float64, incX int) float64 {
	return nrm2(f64, n, x, incX, 0x1p-900, math.MaxFloat64)
}

// Snrm2 is Dnrm2 in float32.
func (Implementation) Snrm2(n int, x []float32, incX int) float32 {
	return nrm2(f32, n, x, incX, 0x1p-60, math.MaxFloat32)
}

// Dasum returns Σ|x_i|.
func (Implementation) Dasum(n int, x []float64, incX int) float64 {
	return asum(n, x, incX)
}

// Sasum is Dasum in float32.
func (Implementation) Sasum(n int, x []float32, incX int) float32 {
	return asum(n, x, incX)
}

// Idamax returns the index of the first element of x with the largest
// absolute value, NaNs passed over as gonum passes them (-1 when n is 0 or
// incX negative). Unit increments are pente's (idamax), strided ones
// gonum's: they are bound by the memory, not the comparisons.
func (Implementation) Idamax(n int, x []float64, incX int) int {
	if incX != 1 || n < 2 || len(x) < n {
		return g.Idamax(n, x, incX) // gonum's panics and small cases
	}
	return idamax(x[:n])
}
