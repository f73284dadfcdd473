// Command bench measures pente's BLAS and training step against gonum's
// pure-Go BLAS, OpenBLAS (built with -tags openblas, through cgo) and
// PyTorch (with -torch), on this machine, and prints Markdown tables:
//
//	cd bench && go run .                       # pente and gonum
//	go run -tags openblas . -threads 1,2       # and OpenBLAS
//	go run . -torch /usr/bin/python3           # and PyTorch's training step
//	go run . -ops mnist -torch /usr/bin/python3 # examples/mnist's run to the end, against PyTorch's
//	go run . -json > run.json                  # everything, machine-readable
//	go run . -ops gemm -plot gemm.svg          # GFLOP/s against n
//
// It is its own module, so that gonum, gonum/plot and cgo never reach the
// library's go.mod. README.md explains the columns.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// allOps are the values -ops takes, in the order the tables come.
var allOps = []string{"gemm", "dgemm", "gemv", "axpy", "dot", "train", "infer", "mnist"}

// config is the command line.
type config struct {
	sizes   []int         // -sizes: gemm and dgemm n
	threads []int         // -threads
	ops     []string      // -ops, in allOps order
	optims  []string      // -optim, in allOptims order
	time    time.Duration // -time: per measurement
	json    bool          // -json: JSON on stdout, tables on stderr
	plot    string        // -plot: file for the gemm NN plot
	peak    float64       // -peak: GFLOP/s per core, instead of the measured clock
	torch   string        // -torch: a Python with torch
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if err := run(cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// parseFlags parses the command line; usage and flag errors go to errw.
func parseFlags(args []string, errw io.Writer) (config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(errw)
	sizes := fs.String("sizes", "64,128,256,512,1024,2048", "gemm and dgemm sizes n (n×n matrices), comma-separated")
	threads := fs.String("threads", "1,2", "thread counts, comma-separated: GOMAXPROCS for pente and gonum, openblas_set_num_threads for OpenBLAS, torch.set_num_threads for PyTorch")
	ops := fs.String("ops", strings.Join(allOps, ","), "tables to run, comma-separated, from "+strings.Join(allOps, ","))
	optims := fs.String("optim", strings.Join(allOptims, ","), "optimisers of the training steps, comma-separated, from "+strings.Join(allOptims, ",")+
		": SGD lr 0.01 momentum 0.9, Adam's defaults (lr 1e-3)")
	minTime := fs.Duration("time", 200*time.Millisecond, "minimum running time of each measurement (best of 3 batches of a third of it)")
	jsonOut := fs.Bool("json", false, "print everything as JSON on stdout (the tables go to stderr)")
	plotPath := fs.String("plot", "", "write gemm NN GFLOP/s against n to this file (.svg, .png or .pdf)")
	peakFlag := fs.Float64("peak", 0, "peak GFLOP/s of one core for '% peak', instead of measuring the clock (required where it cannot be measured)")
	torch := fs.String("torch", "", "a Python 3 with torch (e.g. /usr/bin/python3): time the training steps and the MNIST run in PyTorch as well")
	fs.Usage = func() {
		fmt.Fprintln(errw, "usage: go run [-tags openblas] . [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	cfg := config{time: *minTime, json: *jsonOut, plot: *plotPath, peak: *peakFlag, torch: *torch}
	var err error
	if cfg.sizes, err = parseInts("-sizes", *sizes); err != nil {
		return config{}, err
	}
	if cfg.threads, err = parseInts("-threads", *threads); err != nil {
		return config{}, err
	}
	if cfg.ops, err = parseNames("-ops", *ops, allOps); err != nil {
		return config{}, err
	}
	if cfg.optims, err = parseNames("-optim", *optims, allOptims); err != nil {
		return config{}, err
	}
	if cfg.time <= 0 {
		return config{}, fmt.Errorf("-time must be positive, got %v", cfg.time)
	}
	if cfg.peak < 0 {
		return config{}, fmt.Errorf("-peak must be positive, got %g", cfg.peak)
	}
	return cfg, nil
}

// parseNames parses a comma-separated list of names from all, and returns
// those given in the order of all.
func parseNames(name, s string, all []string) ([]string, error) {
	asked := strings.Split(strings.ReplaceAll(s, " ", ""), ",")
	for _, n := range asked {
		if !slices.Contains(all, n) {
			return nil, fmt.Errorf("%s: unknown %q (have %s)", name, n, strings.Join(all, ","))
		}
	}
	var out []string
	for _, n := range all {
		if slices.Contains(asked, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// parseInts parses a comma-separated list of positive integers.
func parseInts(name, s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s: %q is not a positive integer", name, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// bench is one run: what it times, with what, and where it writes.
type bench struct {
	cfg  config
	libs []*library
	m    machine
	rep  *report
	out  io.Writer // the tables
	rng  *rand.Rand
}

// names returns the library names in the order of the table columns:
// pente first.
func (b *bench) names() []string {
	names := []string{"pente"}
	for _, l := range b.libs {
		if l.name != "pente" {
			names = append(names, l.name)
		}
	}
	return names
}

// refIndex is the index in libs of gonum, whose results the others'
// are compared with, entry by entry. libraries puts it first, so that its
// result is there when the others are checked.
func (b *bench) refIndex() int {
	return slices.IndexFunc(b.libs, func(l *library) bool { return l.name == "gonum" })
}

// setThreads sets GOMAXPROCS, which pente and gonum follow, and every
// library's own thread count to t.
func (b *bench) setThreads(t int) {
	runtime.GOMAXPROCS(t)
	for _, l := range b.libs {
		l.setThreads(t)
	}
}

// measure times f on lib with th threads (see measure), then, if lib's
// threads spin after a call and there are several, waits until they sleep.
func (b *bench) measure(lib *library, th int, f func(), check func() error) (float64, error) {
	ns, err := measure(b.cfg.time, f, check)
	if th > 1 {
		time.Sleep(lib.spin)
	}
	return ns, err
}

// run runs the benchmark cfg describes, writing tables to stdout (to
// stderr with -json, stdout then getting the JSON).
func run(cfg config, stdout, stderr io.Writer) error {
	libs, ob := libraries()
	m, err := describeMachine(cfg.peak, ob)
	if err != nil {
		return err
	}
	b := &bench{
		cfg:  cfg,
		libs: libs,
		out:  stdout,
		rng:  rand.New(rand.NewPCG(1, 2)),
		rep: &report{Settings: settings{
			Sizes: cfg.sizes, Threads: cfg.threads, Ops: cfg.ops, Optims: cfg.optims, MinTimeSec: cfg.time.Seconds(),
			Method: "best of 3 batches, each of at least min_time/3, after one checked warm-up call",
		}},
	}
	if cfg.json {
		b.out = stderr
	}

	var torch *torchTimes
	if cfg.torch != "" && slices.Contains(cfg.ops, "train") {
		var err error
		torch, m.Torch, err = runTorch(cfg.torch, cfg.threads, cfg.optims, cfg.time)
		if err != nil {
			m.Torch.Error = err.Error()
			fmt.Fprintln(stderr, "bench: PyTorch left out:", err)
		}
	} else if cfg.torch != "" && slices.Contains(cfg.ops, "mnist") {
		m.Torch = torchVersion(cfg.torch)
	}
	var torchInfer map[torchKey]float64
	if cfg.torch != "" && slices.Contains(cfg.ops, "infer") {
		t, info, err := runTorchInfer(cfg.torch, cfg.threads, cfg.time)
		torchInfer = t
		if err != nil {
			info.Error = err.Error()
			fmt.Fprintln(stderr, "bench: PyTorch left out of the inference table:", err)
		}
		if m.Torch == nil { // the training table's run, if any, names it
			m.Torch = info
		}
	}
	b.m = m
	b.rep.Machine = m
	printHeader(b.out, m, cfg)

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	if slices.Contains(cfg.ops, "gemm") {
		if err := b.runGemm(); err != nil {
			return err
		}
	}
	if slices.Contains(cfg.ops, "dgemm") {
		if err := b.runDgemm(); err != nil {
			return err
		}
	}
	if slices.Contains(cfg.ops, "gemv") {
		if err := b.runGemv(); err != nil {
			return err
		}
	}
	var level1 []string
	for _, op := range cfg.ops {
		if op == "axpy" || op == "dot" {
			level1 = append(level1, op)
		}
	}
	if len(level1) > 0 {
		if err := b.runLevel1(level1); err != nil {
			return err
		}
	}
	if slices.Contains(cfg.ops, "train") {
		if err := b.runTrain(torch); err != nil {
			return err
		}
	}
	if slices.Contains(cfg.ops, "infer") {
		if err := b.runInfer(torchInfer); err != nil {
			return err
		}
	}

	if slices.Contains(cfg.ops, "mnist") {
		if err := b.runMNIST(); err != nil {
			return err
		}
	}

	if cfg.plot != "" {
		if err := writePlot(cfg.plot, b.rep.Gemm, b.names(), cfg.threads, m.Peak.GFLOPSPerCore); err != nil {
			return err
		}
		fmt.Fprintf(b.out, "\nplot: %s\n", cfg.plot)
	}
	if cfg.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(b.rep)
	}
	return nil
}
