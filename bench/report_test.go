package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTable: a compare table is Markdown with aligned columns, numbers
// on the right, and a dash where a library was not timed.
func TestTable(t *testing.T) {
	var buf bytes.Buffer
	names := []string{"pente", "gonum", "OpenBLAS"}
	tb := &table{w: &buf, cols: compareColumns(
		[]column{{title: "op", text: true}, {title: "n", width: 4}}, names, "GFLOP/s", column{title: "% peak"})}
	tb.header("gemm")
	res := map[string]result{"pente": {GFLOPS: 75.25}, "gonum": {GFLOPS: 7.5}}
	tb.row(compareCells([]string{"NN", "1024"}, names, res, showGFLOPS, gflops, "79%")...)
	want := `
### gemm

| op  | n    | pente GFLOP/s | % peak | gonum GFLOP/s | OpenBLAS GFLOP/s | pente/gonum | pente/OpenBLAS |
| --- | ---: | ------------: | -----: | ------------: | ---------------: | ----------: | -------------: |
| NN  | 1024 |          75.2 |    79% |          7.50 |                – |       10.03 |              – |
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{fmtRate(0), "–"}, {fmtRate(3.14159), "3.14"}, {fmtRate(31.4159), "31.4"}, {fmtRate(314.159), "314"},
		{fmtRatio(3, 2), "1.50"}, {fmtRatio(3, 0), "–"},
		{fmtMicros(2490e3), "2490"}, {fmtMicros(23.4e3), "23.4"}, {fmtMicros(1530), "1.53"},
		{fmtSize(1 << 10), "1K"}, {fmtSize(1 << 24), "16M"}, {fmtSize(1000), "1000"},
		{fmtBytes(48 << 10), "48 KiB"}, {fmtBytes(-1), "?"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"-ops", "train, dgemm, gemm", "-threads", "2,1", "-sizes", "8", "-time", "1ms"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.ops, ",") != "gemm,dgemm,train" || len(cfg.threads) != 2 || cfg.threads[0] != 2 || cfg.sizes[0] != 8 || cfg.time != time.Millisecond ||
		strings.Join(cfg.optims, ",") != "sgd,adam" {
		t.Errorf("got %+v", cfg)
	}
	if cfg, err := parseFlags([]string{"-optim", "adam, sgd"}, &bytes.Buffer{}); err != nil || strings.Join(cfg.optims, ",") != "sgd,adam" {
		t.Errorf("-optim 'adam, sgd': %v, %q", err, cfg.optims)
	}
	for _, args := range [][]string{{"-ops", "gemm,conv"}, {"-threads", "0"}, {"-sizes", "8,x"}, {"-time", "0s"}, {"-optim", "sgd,rmsprop"}, {"extra"}} {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// TestJSONAndPlot runs a tiny benchmark with -json and -plot: the JSON on
// stdout holds the machine and a row per size and thread count with every
// library, the tables go to stderr, and the plot is an SVG file.
func TestJSONAndPlot(t *testing.T) {
	plot := filepath.Join(t.TempDir(), "gemm.svg")
	cfg := config{sizes: []int{8, 33}, threads: []int{1, 2}, ops: []string{"gemm", "dgemm"}, time: time.Millisecond,
		json: true, plot: plot, peak: 100}
	var stdout, stderr bytes.Buffer
	if err := run(cfg, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
	}
	if rep.Machine.Kernels == "" || rep.Machine.Peak.GFLOPSPerCore != 100 || !rep.Machine.Peak.FromFlag {
		t.Errorf("machine: %+v", rep.Machine)
	}
	libs, _ := libraries()
	if len(rep.Gemm) != len(gemmOps)*2*2 {
		t.Errorf("%d gemm rows, want %d", len(rep.Gemm), len(gemmOps)*2*2)
	}
	for _, r := range rep.Gemm {
		if len(r.Results) != len(libs) || r.Results["pente"].GFLOPS <= 0 || r.PentePeakPct <= 0 {
			t.Errorf("row %+v", r)
		}
	}
	if len(rep.Dgemm) != len(gemmOps)*2*2 {
		t.Errorf("%d dgemm rows, want %d", len(rep.Dgemm), len(gemmOps)*2*2)
	}
	for _, r := range rep.Dgemm {
		// The float64 peak is half the float32 one: the same speed is
		// twice the per cent.
		if len(r.Results) != len(libs) || r.Results["pente"].GFLOPS <= 0 ||
			math.Abs(r.PentePeakPct-100*r.Results["pente"].GFLOPS/(50*float64(r.Threads))) > 1e-9*r.PentePeakPct {
			t.Errorf("dgemm row %+v", r)
		}
	}
	if rep.Machine.DBlocks.MR == 0 {
		t.Errorf("machine: no dgemm blocks: %+v", rep.Machine)
	}
	if !strings.Contains(stderr.String(), "### gemm") || !strings.Contains(stderr.String(), "| NN  |   33 |") {
		t.Errorf("stderr has no gemm table:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "### dgemm") || !strings.Contains(stderr.String(), "dgemm blocks MR") {
		t.Errorf("stderr has no dgemm table:\n%s", stderr.String())
	}
	svg, err := os.ReadFile(plot)
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("plot: %v, %.100q", err, svg)
	}
}

// TestOthers: on Linux the CPU accounting can be read, and what it tells
// is a number of cores, not negative.
func TestOthers(t *testing.T) {
	s := sampleCPU()
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skip("no /proc/stat")
	}
	if !s.ok {
		t.Fatal("/proc/stat or /proc/self/stat unreadable")
	}
	for i := 0; i < 1e7; i++ {
		_ = i * i
	}
	if v := othersSince(s); v < 0 {
		t.Errorf("othersSince = %v", v)
	}
	if got := fmtOthers(-1); got != "?" {
		t.Errorf("fmtOthers(-1) = %q", got)
	}
}
