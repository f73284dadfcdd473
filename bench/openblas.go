//go:build openblas

package main

// OpenBLAS through cgo. On Debian (libopenblas-dev) <cblas.h> is found on
// the compiler's default include path: /usr/include/<triplet>/cblas.h is
// the alternatives system's link to OpenBLAS's own header, which declares
// the openblas_* extensions too. /usr/include/openblas is where Fedora
// keeps it.

/*
#cgo CFLAGS: -I/usr/include/openblas
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import (
	"os"
	"time"
	"unsafe"

	"github.com/pente-go/pente/mat"
)

// openblasLibrary returns OpenBLAS's CBLAS, called in row-major order, and
// what OpenBLAS says about itself: the kernel set it chose (corename) and
// its build configuration.
func openblasLibrary() (*library, openblasInfo) {
	info := openblasInfo{
		Built:    true,
		Corename: C.GoString(C.openblas_get_corename()),
		Config:   C.GoString(C.openblas_get_config()),
		Coretype: os.Getenv("OPENBLAS_CORETYPE"),
		Threads:  int(C.openblas_get_num_threads()),
	}
	info.CgoCallNs = cgoCallNs()
	lib := &library{
		name:       "OpenBLAS",
		setThreads: func(t int) { C.openblas_set_num_threads(C.int(t)) },
		// Idle OpenBLAS threads spin for 2²⁸ cycles (its default
		// THREAD_TIMEOUT) before they sleep: under 0.15 s above 1.8 GHz.
		spin: 150 * time.Millisecond,
		gemm: func(tA, tB mat.Transpose, a, b, c *mat.Dense) {
			m, n, k := gemmDims(tA, tB, a, b)
			C.cblas_sgemm(C.CblasRowMajor, cblasTrans(tA), cblasTrans(tB),
				C.blasint(m), C.blasint(n), C.blasint(k),
				1, cfloat(a.Data), C.blasint(a.Stride), cfloat(b.Data), C.blasint(b.Stride),
				0, cfloat(c.Data), C.blasint(c.Stride))
		},
		dgemm: func(tA, tB mat.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
			C.cblas_dgemm(C.CblasRowMajor, cblasTrans(tA), cblasTrans(tB),
				C.blasint(m), C.blasint(n), C.blasint(k),
				1, cdouble(a), C.blasint(lda), cdouble(b), C.blasint(ldb),
				0, cdouble(c), C.blasint(ldc))
		},
		gemv: func(tA mat.Transpose, a *mat.Dense, x, y []float32) {
			C.cblas_sgemv(C.CblasRowMajor, cblasTrans(tA), C.blasint(a.Rows), C.blasint(a.Cols),
				1, cfloat(a.Data), C.blasint(a.Stride), cfloat(x), 1, 0, cfloat(y), 1)
		},
		axpy: func(alpha float32, x, y []float32) {
			C.cblas_saxpy(C.blasint(len(x)), C.float(alpha), cfloat(x), 1, cfloat(y), 1)
		},
		dot: func(x, y []float32) float32 {
			return float32(C.cblas_sdot(C.blasint(len(x)), cfloat(x), 1, cfloat(y), 1))
		},
	}
	return lib, info
}

// cblasTrans is t as a CBLAS_TRANSPOSE.
func cblasTrans(t mat.Transpose) C.enum_CBLAS_TRANSPOSE {
	if t == mat.Trans {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}

// cfloat returns a C pointer to x's first element, or nil for an empty x.
func cfloat(x []float32) *C.float {
	if len(x) == 0 {
		return nil
	}
	return (*C.float)(unsafe.Pointer(&x[0]))
}

// cdouble returns a C pointer to x's first element, or nil for an empty x.
func cdouble(x []float64) *C.double {
	if len(x) == 0 {
		return nil
	}
	return (*C.double)(unsafe.Pointer(&x[0]))
}

// cgoCallNs returns the time of one call from Go into C, in ns: the
// floor of every OpenBLAS time in the tables.
func cgoCallNs() float64 {
	const calls = 1_000_000
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		for range calls {
			C.openblas_get_num_threads()
		}
		best = min(best, time.Since(start))
	}
	return float64(best.Nanoseconds()) / calls
}
