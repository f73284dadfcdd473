package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pente-go/pente/bench/internal/clock"
)

// report is everything a run measured: the -json output.
type report struct {
	Machine  machine    `json:"machine"`
	Settings settings   `json:"settings"`
	Gemm     []gemmRow  `json:"gemm,omitempty"`
	Dgemm    []gemmRow  `json:"dgemm,omitempty"` // pente_peak_pct of the float64 peak
	Gemv     []vecRow   `json:"gemv,omitempty"`
	Level1   []vecRow   `json:"level1,omitempty"`
	Train    []trainRow `json:"train,omitempty"`
	Infer    []inferRow `json:"infer,omitempty"`
	MNIST    []mnistRow `json:"mnist,omitempty"`
	// OptimStep is the optimiser step alone, run with the training table.
	OptimStep []optimStepRow `json:"optim_step,omitempty"`
}

// settings are the flags that shaped the run.
type settings struct {
	Sizes      []int    `json:"gemm_sizes"`
	Threads    []int    `json:"threads"`
	Ops        []string `json:"ops"`
	Optims     []string `json:"optims"`     // -optim
	MinTimeSec float64  `json:"min_time_s"` // -time: per measurement
	Method     string   `json:"method"`
}

// result is one library's measurement of one row.
type result struct {
	NsPerCall float64 `json:"ns_per_call"` // best of 3 batches
	GFLOPS    float64 `json:"gflops"`
	GBps      float64 `json:"gb_per_s,omitempty"` // bytes the op must move, over time (level 1 and 2)
}

// table prints a Markdown table row by row, as the measurements arrive,
// with columns padded to fixed widths so that it also reads as plain text.
type table struct {
	w    io.Writer
	cols []column
}

// column is one column of a table: its title, its minimum width, and
// whether it holds text (left-aligned) rather than numbers.
type column struct {
	title string
	width int
	text  bool
}

// header prints an empty line, the title as a Markdown heading, and the
// table's head.
func (t *table) header(title string) {
	fmt.Fprintf(t.w, "\n### %s\n\n", title)
	titles := make([]string, len(t.cols))
	rules := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.title
		rule := strings.Repeat("-", t.width(i))
		if !c.text {
			rule = rule[1:] + ":"
		}
		rules[i] = rule
	}
	t.print(titles, true)
	fmt.Fprintf(t.w, "|%s|\n", strings.Join(wrap(rules), "|"))
}

// wrap surrounds each string with one space.
func wrap(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = " " + s + " "
	}
	return out
}

// row prints one row; cells beyond the columns are dropped, missing ones
// left empty.
func (t *table) row(cells ...string) {
	t.print(cells, false)
}

func (t *table) print(cells []string, head bool) {
	padded := make([]string, len(t.cols))
	for i, c := range t.cols {
		s := ""
		if i < len(cells) {
			s = cells[i]
		}
		pad := strings.Repeat(" ", max(0, t.width(i)-utf8.RuneCountInString(s)))
		if c.text || head {
			padded[i] = s + pad
		} else {
			padded[i] = pad + s
		}
	}
	fmt.Fprintf(t.w, "|%s|\n", strings.Join(wrap(padded), "|"))
}

func (t *table) width(i int) int {
	return max(t.cols[i].width, utf8.RuneCountInString(t.cols[i].title), 3)
}

// missing stands in a cell for a library that was not timed.
const missing = "–"

// fmtRate formats a rate (GFLOP/s, GB/s) to three significant digits or
// so; zero, for a library not timed, is shown as missing.
func fmtRate(v float64) string {
	switch {
	case v <= 0:
		return missing
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// fmtRatio formats a/b, how many times faster pente (a) is than another
// library (b); missing when either was not timed.
func fmtRatio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return missing
	}
	return fmt.Sprintf("%.2f", a/b)
}

// fmtMicros formats a time in nanoseconds as microseconds.
func fmtMicros(ns float64) string {
	if ns <= 0 {
		return missing
	}
	us := ns / 1e3
	switch {
	case us >= 100:
		return fmt.Sprintf("%.0f", us)
	case us >= 10:
		return fmt.Sprintf("%.1f", us)
	}
	return fmt.Sprintf("%.2f", us)
}

// fmtNs formats a small time in nanoseconds.
func fmtNs(ns float64) string {
	if ns <= 0 {
		return missing
	}
	if ns >= 10 {
		return fmt.Sprintf("%.1f", ns)
	}
	return fmt.Sprintf("%.3f", ns)
}

// fmtSize writes n as 1K, 16K, 1M when it is such a multiple.
func fmtSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dM", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dK", n>>10)
	}
	return fmt.Sprint(n)
}

// fmtBytes writes a cache size.
func fmtBytes(n int) string {
	if n <= 0 {
		return "?"
	}
	switch {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// compareColumns returns the columns of a table that compares libraries:
// the lead columns, pente's value (unit) and its extra columns, the other
// libraries' values, then pente's speed over each other library's.
func compareColumns(lead []column, names []string, unit string, extra ...column) []column {
	cols := append([]column(nil), lead...)
	cols = append(cols, column{title: names[0] + " " + unit, width: 6})
	cols = append(cols, extra...)
	for _, n := range names[1:] {
		cols = append(cols, column{title: n + " " + unit, width: 6})
	}
	for _, n := range names[1:] {
		cols = append(cols, column{title: names[0] + "/" + n, width: 5})
	}
	return cols
}

// compareCells returns the cells of one row of a compareColumns table:
// show formats a value, speed gives the number whose ratio is taken
// (a rate, or the reciprocal of a time). A library missing from res is
// shown as missing.
func compareCells(lead []string, names []string, res map[string]result, show func(result) string, speed func(result) float64, extra ...string) []string {
	cell := func(n string) string {
		r, ok := res[n]
		if !ok {
			return missing
		}
		return show(r)
	}
	spd := func(n string) float64 {
		r, ok := res[n]
		if !ok {
			return 0
		}
		return speed(r)
	}
	cells := append([]string(nil), lead...)
	cells = append(cells, cell(names[0]))
	cells = append(cells, extra...)
	for _, n := range names[1:] {
		cells = append(cells, cell(n))
	}
	for _, n := range names[1:] {
		cells = append(cells, fmtRatio(spd(names[0]), spd(n)))
	}
	return cells
}

// printHeader prints the machine and the settings as a two-column
// Markdown table.
func printHeader(w io.Writer, m machine, cfg config) {
	line := func(k, v string) { fmt.Fprintf(w, "| %-8s | %s |\n", k, v) }
	fmt.Fprintf(w, "## pente bench, %s\n\n", time.Now().Format("2006-01-02 15:04"))
	fmt.Fprintln(w, "| | |")
	fmt.Fprintln(w, "|---|---|")
	cpu := m.CPU
	if m.Family != 0 || m.Model != 0 {
		cpu += fmt.Sprintf(" (%s family %d model %d)", m.Vendor, m.Family, m.Model)
	}
	if m.Hypervisor != "" {
		cpu += ", " + m.Hypervisor + " guest"
	}
	line("CPU", cpu)
	line("features", strings.Join(m.Features, " "))
	cores := fmt.Sprintf("%d logical", m.LogicalCores)
	if m.PhysicalCores > 0 {
		cores = fmt.Sprintf("%d physical, %s", m.PhysicalCores, cores)
	}
	line("cores", fmt.Sprintf("%s; L1d %s, L2 %s, L3 %s", cores, fmtBytes(m.L1D), fmtBytes(m.L2), fmtBytes(m.L3)))
	line("Go", fmt.Sprintf("%s %s/%s, GOMAXPROCS %d at start, set to the thread count of each row", m.GoVersion, m.GOOS, m.GOARCH, m.GOMAXPROCS))
	if m.LoadAvg >= 0 {
		load := fmt.Sprintf("1-minute load average %.2f at start", m.LoadAvg)
		if m.LoadAvg >= 0.5 {
			load += ": something else has kept the cores busy lately, and rows that use every core may suffer"
		}
		line("load", load)
	}
	bl := m.Blocks
	line("pente", fmt.Sprintf("kernels %s (available: %s); gemm blocks MR %d, NR %d, MC %d, KC %d, NC %d",
		m.Kernels, strings.Join(m.KernelSets, ", "), bl.MR, bl.NR, bl.MC, bl.KC, bl.NC))
	if slices.Contains(cfg.ops, "dgemm") {
		bl := m.DBlocks
		line("", fmt.Sprintf("dgemm blocks MR %d, NR %d, MC %d, KC %d, NC %d", bl.MR, bl.NR, bl.MC, bl.KC, bl.NC))
	}
	pk := m.Peak
	if pk.FromFlag {
		line("peak", fmt.Sprintf("%.1f GFLOP/s per core, from -peak", pk.GFLOPSPerCore))
	} else {
		line("clock", fmt.Sprintf("%.2f GHz, measured: %dM dependent integer additions, one per cycle, best of 5", pk.ClockGHz, clock.Adds/1_000_000))
		line("peak", fmt.Sprintf("%.1f GFLOP/s per core = %d FMA pipes × %d float32 lanes (%s) × 2 flops × %.2f GHz; %% peak is of threads × this",
			pk.GFLOPSPerCore, pk.Pipes, pk.Lanes, m.Kernels, pk.ClockGHz))
		if pk.WidestLanes > pk.Lanes {
			line("", fmt.Sprintf("this CPU has %d-lane FMA vectors: %.0f GFLOP/s per core for code that uses them (OpenBLAS's SkylakeX kernels)",
				pk.WidestLanes, float64(2*pk.Pipes*pk.WidestLanes)*pk.ClockGHz))
		}
	}
	line("gonum", fmt.Sprintf("gonum.org/v1/gonum %s, blas/gonum.Implementation", m.Gonum))
	ob := m.OpenBLAS
	if ob.Built {
		coretype := "OPENBLAS_CORETYPE unset"
		if ob.Coretype != "" {
			coretype = "OPENBLAS_CORETYPE=" + ob.Coretype
		}
		line("OpenBLAS", fmt.Sprintf("core %s, %s; %s; a cgo call costs %.0f ns", ob.Corename, coretype, ob.Config, ob.CgoCallNs))
		if m.Peak.WidestLanes >= 8 && !avx2Core(ob.Corename) {
			line("", fmt.Sprintf("OpenBLAS did not recognise this CPU and runs its %s kernels, without AVX2: "+
				"OPENBLAS_CORETYPE=Haswell selects its AVX2 kernels, SkylakeX its AVX-512 ones", ob.Corename))
		}
	} else {
		line("OpenBLAS", "not built: go run -tags openblas . (needs cgo and libopenblas-dev)")
	}
	switch t := m.Torch; {
	case t == nil:
		line("PyTorch", "not run: -torch /usr/bin/python3 (a Python with torch)")
	case t.Error != "":
		line("PyTorch", "failed: "+t.Error)
	default:
		text := fmt.Sprintf("torch %s (%s), torch.set_num_threads(threads)", t.Version, t.Python)
		if slices.Contains(cfg.ops, "train") {
			text += fmt.Sprintf("; the training steps run before the tables, others %s", fmtOthers(t.OtherCores))
		}
		if slices.Contains(cfg.ops, "mnist") {
			text += "; the MNIST runs alternate with pente's"
		}
		line("PyTorch", text)
	}
	line("timing", fmt.Sprintf("best of 3 batches of at least %v each (-time %v), after one warm-up call "+
		"whose result is checked against float64 (and, gemm and gemv, every entry against gonum's); inputs uniform in [-1, 1]",
		(cfg.time/3).Round(time.Millisecond), cfg.time))
	line("others", "last column: cores kept busy by other processes (or the hypervisor) while the row ran; "+
		"well above 0, rows with as many threads as cores are not to be trusted")
}

// avx2Core reports whether an OpenBLAS core name is one of the kernel
// sets that use AVX2 or wider.
func avx2Core(name string) bool {
	switch strings.ToLower(name) {
	case "haswell", "skylakex", "cooperlake", "sapphirerapids", "zen", "excavator":
		return true
	}
	return false
}
