// Command speed times gonum's mat with gonum's own BLAS and with
// gonumblas.Implementation, in one run: Dense.Mul, Cholesky.Factorize,
// LU.Factorize and Dense.Solve at n×n, the two alternating, best of
// -reps each, and prints the ratios.
//
//	go run ./speed [-n 1024] [-reps 5] [-ops mul,cholesky,lu,solve] [-cpuprofile pente.prof]
//
// -cpuprofile profiles -reps more runs of each operation on pente, after
// the timed ones, to see what of gonum's lapack
// remains on gonum's own level-1 and level-2 code.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"

	"github.com/klauspost/cpuid/v2"
	"github.com/pente-go/pente/gonumblas"
	pmat "github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/mat/asm"
)

func main() {
	n := flag.Int("n", 1024, "matrix size")
	reps := flag.Int("reps", 5, "runs of each, alternating; the best counts")
	ops := flag.String("ops", "mul,cholesky,lu,solve", "operations to time")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the pente runs to this file")
	flag.Parse()

	r := rand.New(rand.NewPCG(1, 2))
	rnd := func(rows, cols int) *mat.Dense {
		d := make([]float64, rows*cols)
		for i := range d {
			d[i] = 2*r.Float64() - 1
		}
		return mat.NewDense(rows, cols, d)
	}
	a, b := rnd(*n, *n), rnd(*n, *n)
	g := rnd(*n, *n) // general, for LU and Solve
	s := mat.NewSymDense(*n, nil)
	s.SymOuterK(1, a) // symmetric positive definite, for Cholesky
	for i := range *n {
		s.SetSym(i, i, s.At(i, i)+float64(*n))
	}
	rhs := rnd(*n, 1)

	var c, x mat.Dense
	var ch mat.Cholesky
	var lu mat.LU
	jobs := map[string]func(){
		"mul":      func() { c.Mul(a, b) },
		"cholesky": func() { ch.Factorize(s) },
		"lu":       func() { lu.Factorize(g) },
		"solve":    func() { _ = x.Solve(g, rhs) },
	}
	flops := map[string]float64{ // the leading terms
		"mul":      2 * float64(*n) * float64(*n) * float64(*n),
		"cholesky": float64(*n) * float64(*n) * float64(*n) / 3,
		"lu":       2 * float64(*n) * float64(*n) * float64(*n) / 3,
		"solve":    2 * float64(*n) * float64(*n) * float64(*n) / 3,
	}

	var pf *os.File
	if *prof != "" {
		var err error
		if pf, err = os.Create(*prof); err != nil {
			log.Fatal(err)
		}
	}
	if pf != nil {
		defer pf.Close()
	}
	fmt.Printf("CPU: %s, %d threads for pente (GOMAXPROCS %d); pente kernels %q; %s\n",
		cpuid.CPU.BrandName, pmat.Threads(), runtime.GOMAXPROCS(0), asm.Active(), runtime.Version())
	fmt.Printf("n = %d, best of %d, alternating\n\n", *n, *reps)
	fmt.Printf("| %-22s | %12s | %12s | %7s | %13s |\n", "", "gonum", "gonum+pente", "speed-up", "pente GFLOP/s")
	fmt.Printf("|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 24), strings.Repeat("-", 14), strings.Repeat("-", 14), strings.Repeat("-", 9), strings.Repeat("-", 15))
	names := map[string]string{"mul": "Dense.Mul", "cholesky": "Cholesky.Factorize", "lu": "LU.Factorize", "solve": "Dense.Solve (1 rhs)"}
	for _, op := range strings.Split(*ops, ",") {
		job, ok := jobs[op]
		if !ok {
			log.Fatalf("unknown operation %q", op)
		}
		best := [2]time.Duration{1 << 62, 1 << 62}
		for range *reps {
			for i, impl := range []blas.Float64{gonum.Implementation{}, gonumblas.Implementation{}} {
				blas64.Use(impl)
				t0 := time.Now()
				job()
				best[i] = min(best[i], time.Since(t0))
			}
		}
		if pf != nil { // the profile: -reps more runs on pente, untimed
			blas64.Use(gonumblas.Implementation{})
			pprof.StartCPUProfile(pf)
			for range *reps {
				job()
			}
			pprof.StopCPUProfile()
		}
		blas64.Use(gonum.Implementation{})
		fmt.Printf("| %-22s | %12v | %12v | %7.2f× | %13.1f |\n", names[op], best[0].Round(time.Millisecond/10), best[1].Round(time.Millisecond/10),
			best[0].Seconds()/best[1].Seconds(), flops[op]/best[1].Seconds()/1e9)
	}
}
