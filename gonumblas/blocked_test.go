package gonumblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The blocked routines against gonum's own implementation, at sizes on
// either side of every block edge (base3, split, symmBlock, base2 and their
// multiples), all sides, triangles, transposes and diagonals, with leading
// dimensions and increments beyond the minimum and guard values around the
// operands. float64 is held to gonum's float64 results; float32 (the same
// inputs, rounded) to the same float64 results with a float32 tolerance.

var ref gonum.Implementation

const guardValue = 777.25

// sizes3 straddle base3 = split = 16, half() of the sizes above, and
// symmBlock = 128.
var sizes3 = []int{1, 2, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 100, 127, 128, 129, 200, 257}

// others are the sizes of the dimension that is not triangular or
// symmetric.
var others = []int{1, 5, 33, 70}

// sizes2 straddle base2 = 64 and its multiples.
var sizes2 = []int{1, 2, 7, 63, 64, 65, 127, 128, 129, 200, 300}

func randMat(r *rand.Rand, rows, cols, ld int) []float64 {
	a := make([]float64, max(0, (rows-1)*ld+cols)+ld) // a row of guard after the matrix
	for i := range a {
		a[i] = guardValue
	}
	for i := range rows {
		for j := range cols {
			a[i*ld+j] = 2*r.Float64() - 1
		}
	}
	return a
}

// dominant makes the diagonal of the n×n matrix a large, so that its
// triangles are well conditioned and a solve's error is rounding alone.
// With a unit diagonal, the triangles are scaled by 1/n instead.
func dominant(a []float64, n, ld int, d blas.Diag) {
	for i := range n {
		if d == blas.Unit {
			for j := range n {
				a[i*ld+j] /= float64(n)
			}
			continue
		}
		a[i*ld+i] = float64(n) * (1.5 + 0.5*a[i*ld+i])
	}
}

func to32(a []float64) []float32 {
	b := make([]float32, len(a))
	for i, v := range a {
		b[i] = float32(v)
	}
	return b
}

func to64(a []float32) []float64 {
	b := make([]float64, len(a))
	for i, v := range a {
		b[i] = float64(v)
	}
	return b
}

// closeTo compares got with want, element by element, within
// tol·(1 + |want|); NaN matches NaN. It reports the first difference.
func closeTo(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	for i := range want {
		g, w := got[i], want[i]
		if math.IsNaN(g) && math.IsNaN(w) {
			continue
		}
		if !(math.Abs(g-w) <= tol*(1+math.Abs(w))) {
			t.Fatalf("%s: element %d is %v, want %v", what, i, g, w)
		}
	}
}

const (
	tol64 = 1e-12
	tol32 = 1e-4
)

var (
	uplos  = []blas.Uplo{blas.Upper, blas.Lower}
	transs = []blas.Transpose{blas.NoTrans, blas.Trans}
	sides  = []blas.Side{blas.Left, blas.Right}
	diags  = []blas.Diag{blas.NonUnit, blas.Unit}
)

func TestTrxmBlocked(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, solve := range []bool{false, true} {
		for _, s := range sides {
			for _, ul := range uplos {
				for _, tA := range transs {
					for _, d := range diags {
						for _, na := range sizes3 {
							for _, o := range others {
								if na > 100 && o > 33 {
									continue // enough at these sizes: keep the qemu run short
								}
								m, n := na, o
								if s == blas.Right {
									m, n = o, na
								}
								lda, ldb := na+na%3, n+2
								a := randMat(r, na, na, lda)
								dominant(a, na, lda, d)
								b := randMat(r, m, n, ldb)
								alpha := []float64{1, -0.75, 2}[(na+o)%3]
								what := fmt.Sprintf("solve=%v side=%c uplo=%c trans=%c diag=%c m=%d n=%d", solve, s, ul, tA, d, m, n)
								want := append([]float64(nil), b...)
								got := append([]float64(nil), b...)
								got32 := to32(b)
								if solve {
									ref.Dtrsm(s, ul, tA, d, m, n, alpha, a, lda, want, ldb)
									impl.Dtrsm(s, ul, tA, d, m, n, alpha, a, lda, got, ldb)
									impl.Strsm(s, ul, tA, d, m, n, float32(alpha), to32(a), lda, got32, ldb)
								} else {
									ref.Dtrmm(s, ul, tA, d, m, n, alpha, a, lda, want, ldb)
									impl.Dtrmm(s, ul, tA, d, m, n, alpha, a, lda, got, ldb)
									impl.Strmm(s, ul, tA, d, m, n, float32(alpha), to32(a), lda, got32, ldb)
								}
								scale := 1.0
								if !solve {
									scale = float64(na) // the products grow with the diagonal
								}
								closeTo(t, what, got, want, tol64*scale)
								closeTo(t, what+" (float32)", to64(got32), want, tol32*scale)
							}
						}
					}
				}
			}
		}
	}
}

func TestSyrkBlocked(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, two := range []bool{false, true} {
		for _, ul := range uplos {
			for _, tA := range transs {
				for _, n := range sizes3 {
					for _, k := range others {
						ar, ac := n, k
						if tA == blas.Trans {
							ar, ac = k, n
						}
						lda, ldb, ldc := ac+1, ac+2, n+3
						a := randMat(r, ar, ac, lda)
						b := randMat(r, ar, ac, ldb)
						c := randMat(r, n, n, ldc)
						alpha := []float64{1, -0.5, 3}[(n+k)%3]
						beta := []float64{0, 1, -2, 0.5}[(n+2*k)%4]
						what := fmt.Sprintf("syr2k=%v uplo=%c trans=%c n=%d k=%d alpha=%v beta=%v", two, ul, tA, n, k, alpha, beta)
						want := append([]float64(nil), c...)
						if beta == 0 {
							// BLAS: C is not read when beta is 0. gonum's Dsyrk
							// multiplies by beta on some paths, so its reference
							// runs on zeros where ours gets NaN.
							for i := range n {
								for j := range n {
									c[i*ldc+j] = math.NaN()
									want[i*ldc+j] = math.NaN()
									if (j <= i) == (ul == blas.Lower) || i == j {
										want[i*ldc+j] = 0
									}
								}
							}
						}
						got := append([]float64(nil), c...)
						got32 := to32(c)
						if two {
							ref.Dsyr2k(ul, tA, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
							impl.Dsyr2k(ul, tA, n, k, alpha, a, lda, b, ldb, beta, got, ldc)
							impl.Ssyr2k(ul, tA, n, k, float32(alpha), to32(a), lda, to32(b), ldb, float32(beta), got32, ldc)
						} else {
							ref.Dsyrk(ul, tA, n, k, alpha, a, lda, beta, want, ldc)
							impl.Dsyrk(ul, tA, n, k, alpha, a, lda, beta, got, ldc)
							impl.Ssyrk(ul, tA, n, k, float32(alpha), to32(a), lda, float32(beta), got32, ldc)
						}
						closeTo(t, what, got, want, tol64*float64(k))
						closeTo(t, what+" (float32)", to64(got32), want, tol32*float64(k))
					}
				}
			}
		}
	}
}

func TestSymmBlocked(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, s := range sides {
		for _, ul := range uplos {
			for _, na := range sizes3 {
				for _, o := range others {
					m, n := na, o
					if s == blas.Right {
						m, n = o, na
					}
					lda, ldb, ldc := na+2, n+1, n+3
					a := randMat(r, na, na, lda)
					b := randMat(r, m, n, ldb)
					c := randMat(r, m, n, ldc)
					alpha := []float64{1, -0.5, 3}[(na+o)%3]
					beta := []float64{0, 1, -2, 0.5}[(na+2*o)%4]
					what := fmt.Sprintf("side=%c uplo=%c m=%d n=%d alpha=%v beta=%v", s, ul, m, n, alpha, beta)
					want := append([]float64(nil), c...)
					got := append([]float64(nil), c...)
					got32 := to32(c)
					ref.Dsymm(s, ul, m, n, alpha, a, lda, b, ldb, beta, want, ldc)
					impl.Dsymm(s, ul, m, n, alpha, a, lda, b, ldb, beta, got, ldc)
					impl.Ssymm(s, ul, m, n, float32(alpha), to32(a), lda, to32(b), ldb, float32(beta), got32, ldc)
					closeTo(t, what, got, want, tol64*float64(na))
					closeTo(t, what+" (float32)", to64(got32), want, tol32*float64(na))
				}
			}
		}
	}
}

// incs are the increments of the level 2 tests: unit, strided, negative.
var incs = []int{1, 3, -1, -2}

func randVec(r *rand.Rand, n, inc int) []float64 {
	if inc < 0 {
		inc = -inc
	}
	x := make([]float64, (n-1)*inc+1+2)
	for i := range x {
		x[i] = guardValue
	}
	for i := range n {
		x[i*inc] = 2*r.Float64() - 1
	}
	return x
}

func TestTrxvBlocked(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, solve := range []bool{false, true} {
		for _, ul := range uplos {
			for _, tA := range transs {
				for _, d := range diags {
					for _, n := range sizes2 {
						for _, inc := range incs {
							lda := n + n%2
							a := randMat(r, n, n, lda)
							dominant(a, n, lda, d)
							x := randVec(r, n, inc)
							what := fmt.Sprintf("solve=%v uplo=%c trans=%c diag=%c n=%d inc=%d", solve, ul, tA, d, n, inc)
							want := append([]float64(nil), x...)
							got := append([]float64(nil), x...)
							got32 := to32(x)
							if solve {
								ref.Dtrsv(ul, tA, d, n, a, lda, want, inc)
								impl.Dtrsv(ul, tA, d, n, a, lda, got, inc)
								impl.Strsv(ul, tA, d, n, to32(a), lda, got32, inc)
							} else {
								ref.Dtrmv(ul, tA, d, n, a, lda, want, inc)
								impl.Dtrmv(ul, tA, d, n, a, lda, got, inc)
								impl.Strmv(ul, tA, d, n, to32(a), lda, got32, inc)
							}
							scale := 1.0
							if !solve {
								scale = float64(n)
							}
							closeTo(t, what, got, want, tol64*scale)
							closeTo(t, what+" (float32)", to64(got32), want, tol32*scale)
						}
					}
				}
			}
		}
	}
}

func TestSymvBlocked(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, ul := range uplos {
		for _, n := range sizes2 {
			for _, inc := range incs {
				for _, incY := range []int{1, -3} {
					lda := n + 1
					a := randMat(r, n, n, lda)
					x := randVec(r, n, inc)
					y := randVec(r, n, incY)
					alpha := []float64{1, -0.5, 3, 0}[(n+inc+4)%4]
					beta := []float64{0, 1, -2, 0.5}[(n+2*inc+8)%4]
					what := fmt.Sprintf("uplo=%c n=%d incX=%d incY=%d alpha=%v beta=%v", ul, n, inc, incY, alpha, beta)
					want := append([]float64(nil), y...)
					got := append([]float64(nil), y...)
					got32 := to32(y)
					ref.Dsymv(ul, n, alpha, a, lda, x, inc, beta, want, incY)
					impl.Dsymv(ul, n, alpha, a, lda, x, inc, beta, got, incY)
					impl.Ssymv(ul, n, float32(alpha), to32(a), lda, to32(x), inc, float32(beta), got32, incY)
					closeTo(t, what, got, want, tol64*float64(n))
					closeTo(t, what+" (float32)", to64(got32), want, tol32*float64(n))
				}
			}
		}
	}
}

// The routines that map straight onto pente's: gemm, gemv, ger and level
// 1, in float32 against gonum's float64, at sizes across pente's tiles.
func TestDirect32(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, tA := range transs {
		for _, tB := range transs {
			for _, m := range []int{1, 7, 33, 130} {
				for _, n := range []int{1, 17, 64, 129} {
					for _, k := range []int{1, 9, 300} {
						ar, ac := m, k
						if tA == blas.Trans {
							ar, ac = k, m
						}
						br, bc := k, n
						if tB == blas.Trans {
							br, bc = n, k
						}
						a, b, c := randMat(r, ar, ac, ac+1), randMat(r, br, bc, bc+2), randMat(r, m, n, n+3)
						want := append([]float64(nil), c...)
						got32 := to32(c)
						ref.Dgemm(tA, tB, m, n, k, -0.5, a, ac+1, b, bc+2, 2, want, n+3)
						impl.Sgemm(tA, tB, m, n, k, -0.5, to32(a), ac+1, to32(b), bc+2, 2, got32, n+3)
						closeTo(t, fmt.Sprintf("Sgemm %c%c %d×%d×%d", tA, tB, m, n, k), to64(got32), want, tol32*float64(k))
					}
				}
			}
		}
	}
	for _, tA := range transs {
		for _, m := range sizes2 {
			for _, n := range []int{1, 8, 65, 200} {
				for _, inc := range incs {
					lx, ly := n, m
					if tA == blas.Trans {
						lx, ly = m, n
					}
					a := randMat(r, m, n, n+1)
					x, y := randVec(r, lx, inc), randVec(r, ly, -inc)
					want := append([]float64(nil), y...)
					got32 := to32(y)
					ref.Dgemv(tA, m, n, 1.5, a, n+1, x, inc, -1, want, -inc)
					impl.Sgemv(tA, m, n, 1.5, to32(a), n+1, to32(x), inc, -1, got32, -inc)
					closeTo(t, fmt.Sprintf("Sgemv %c %d×%d inc %d", tA, m, n, inc), to64(got32), want, tol32*float64(max(m, n)))

					x, y = randVec(r, m, inc), randVec(r, n, 2)
					want = append([]float64(nil), a...)
					got32 = to32(a)
					refGer(m, n, 0.75, x, inc, y, 2, want, n+1)
					impl.Sger(m, n, 0.75, to32(x), inc, to32(y), 2, got32, n+1)
					closeTo(t, fmt.Sprintf("Sger %d×%d inc %d", m, n, inc), to64(got32), want, tol32)
				}
			}
		}
	}
	for _, n := range []int{1, 2, 3, 4, 5, 15, 16, 17, 31, 32, 33, 100, 1000} {
		for _, inc := range incs {
			x, y := randVec(r, n, inc), randVec(r, n, -inc)
			want := append([]float64(nil), y...)
			got32 := to32(y)
			ref.Daxpy(n, -2, x, inc, want, -inc)
			impl.Saxpy(n, -2, to32(x), inc, got32, -inc)
			closeTo(t, fmt.Sprintf("Saxpy n=%d inc=%d", n, inc), to64(got32), want, tol32)
			what := fmt.Sprintf("Sdot n=%d inc=%d", n, inc)
			closeTo(t, what, []float64{float64(impl.Sdot(n, to32(x), inc, to32(y), -inc))}, []float64{ref.Ddot(n, x, inc, y, -inc)}, tol32*float64(n))
			if inc < 0 {
				continue
			}
			closeTo(t, fmt.Sprintf("Snrm2 n=%d inc=%d", n, inc), []float64{float64(impl.Snrm2(n, to32(x), inc))}, []float64{ref.Dnrm2(n, x, inc)}, tol32)
			closeTo(t, fmt.Sprintf("Sasum n=%d inc=%d", n, inc), []float64{float64(impl.Sasum(n, to32(x), inc))}, []float64{ref.Dasum(n, x, inc)}, tol32)
			want = append([]float64(nil), x...)
			got32 = to32(x)
			ref.Dscal(n, 0.3, want, inc)
			impl.Sscal(n, 0.3, got32, inc)
			closeTo(t, fmt.Sprintf("Sscal n=%d inc=%d", n, inc), to64(got32), want, tol32)
		}
	}
}

// Dnrm2 and Snrm2 give gonum's results, to the last bit, where the sum of
// squares would overflow or underflow, and for NaN and Inf.
func TestNrm2Extremes(t *testing.T) {
	for _, v := range []float64{1e300, 1e-300, 1e-160, 1e160, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.NaN()} {
		for _, n := range []int{2, 3, 17, 100} {
			x := make([]float64, n)
			for i := range x {
				x[i] = v * float64(i%3+1)
			}
			if got, want := impl.Dnrm2(n, x, 1), ref.Dnrm2(n, x, 1); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("Dnrm2 of %d × %v: %v, want gonum's %v", n, v, got, want)
			}
			x32 := to32(x)
			if v32 := float32(v); v32 == 0 || math.IsInf(float64(v32), 0) && !math.IsInf(v, 0) {
				for i := range x32 { // v is out of float32's range: scale it into its edges
					x32[i] = float32(math.Copysign(1, v)) * []float32{1e-40, 1e30}[i%2]
				}
			}
			if got, want := impl.Snrm2(n, x32, 1), ref.Snrm2(n, x32, 1); got != want && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
				t.Errorf("Snrm2 of %v: %v, want gonum's %v", x32[:2], got, want)
			}
		}
	}
}

// refGer is A += alpha·x·yᵀ as BLAS defines it, for any increments: gonum's
// own Dger (v0.17) leaves A as it is when an increment is negative.
func refGer(m, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	at := func(v []float64, l, inc, i int) float64 {
		if inc < 0 {
			return v[(l-1-i)*-inc]
		}
		return v[i*inc]
	}
	for i := range m {
		for j := range n {
			a[i*lda+j] += alpha * at(x, m, incX, i) * at(y, n, incY, j)
		}
	}
}

// Idamax gives gonum's index, on vectors whose largest magnitude comes up
// more than once and in either sign, with NaN (first or elsewhere), ±Inf,
// ±0 and denormals among the values, at every length across the four
// lanes and tails, with unit and other increments.
func TestIdamaxAsGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 5e-324, -3, 3}
	for n := range 70 {
		for _, inc := range []int{1, 2, 3, -1, 0} {
			for trial := range 40 {
				l := 1
				if n > 0 && inc > 0 {
					l = (n-1)*inc + 1 + trial%3 // a tail beyond the vector too
				}
				x := make([]float64, l)
				for i := range x {
					switch r.IntN(6) {
					case 0:
						x[i] = special[r.IntN(len(special))]
					case 1:
						x[i] = float64(r.IntN(7) - 3) // ties
					default:
						x[i] = 6*r.Float64() - 3
					}
				}
				want := panicOf(func() { ref.Idamax(n, x, inc) })
				got := panicOf(func() { impl.Idamax(n, x, inc) })
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("Idamax(%d, %v, %d) panics with %v, gonum with %v", n, x, inc, got, want)
				}
				if want != nil {
					continue
				}
				if got, want := impl.Idamax(n, x, inc), ref.Idamax(n, x, inc); got != want {
					t.Fatalf("Idamax(%d, %v, %d) = %d, gonum's %d", n, x, inc, got, want)
				}
			}
		}
	}
}
