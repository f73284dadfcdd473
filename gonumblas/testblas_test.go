package gonumblas

import (
	"testing"

	"gonum.org/v1/gonum/blas/testblas"
)

// gonum's own suites, the ones gonum runs against its implementation, for
// every float64 routine Implementation overrides. They check results and
// the panics for bad arguments.

var impl Implementation

func TestDgemm(t *testing.T)  { testblas.TestDgemm(t, impl) }
func TestDsyrk(t *testing.T)  { testblas.DsyrkTest(t, impl) }
func TestDsyr2k(t *testing.T) { testblas.Dsyr2kTest(t, impl) }
func TestDsymm(t *testing.T)  { testblas.DsymmTest(t, impl) }
func TestDtrmm(t *testing.T)  { testblas.DtrmmTest(t, impl) }
func TestDtrsm(t *testing.T)  { testblas.DtrsmTest(t, impl) }
func TestDgemv(t *testing.T)  { testblas.DgemvTest(t, impl) }
func TestDger(t *testing.T)   { testblas.DgerTest(t, impl) }
func TestDsymv(t *testing.T)  { testblas.DsymvTest(t, impl) }
func TestDtrsv(t *testing.T)  { testblas.DtrsvTest(t, impl) }
func TestDtrmv(t *testing.T)  { testblas.DtrmvTest(t, impl) }
func TestDtxmv(t *testing.T)  { testblas.DtxmvTest(t, impl) }
func TestDtbsv(t *testing.T)  { testblas.DtbsvTest(t, impl) } // Dtbsv against Dtrsv
func TestDaxpy(t *testing.T)  { testblas.DaxpyTest(t, impl) }
func TestDdot(t *testing.T)   { testblas.DdotTest(t, impl) }
func TestDscal(t *testing.T)  { testblas.DscalTest(t, impl) }
func TestDnrm2(t *testing.T)  { testblas.Dnrm2Test(t, impl) }
func TestDasum(t *testing.T)  { testblas.DasumTest(t, impl) }
func TestIdamax(t *testing.T) { testblas.IdamaxTest(t, impl) }
