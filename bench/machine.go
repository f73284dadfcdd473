package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/klauspost/cpuid/v2"

	"github.com/pente-go/pente/bench/internal/clock"
	"github.com/pente-go/pente/mat/asm"
)

// machine describes where the benchmark ran: the header of the tables and
// the "machine" object of -json.
type machine struct {
	CPU           string   `json:"cpu"`            // brand string
	Vendor        string   `json:"vendor"`         // e.g. Intel
	Family        int      `json:"family"`         // CPUID family (x86)
	Model         int      `json:"model"`          // CPUID model (x86)
	Features      []string `json:"features"`       // the vector features that matter here
	PhysicalCores int      `json:"physical_cores"` // 0 if unknown
	LogicalCores  int      `json:"logical_cores"`  // runtime.NumCPU
	Hypervisor    string   `json:"hypervisor,omitempty"`
	L1D           int      `json:"l1d_bytes"` // per core; -1 if unknown
	L2            int      `json:"l2_bytes"`
	L3            int      `json:"l3_bytes"`

	GoVersion  string `json:"go_version"`
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	GOMAXPROCS int    `json:"gomaxprocs"` // at start; each row sets its own
	// LoadAvg is the 1-minute load average when the run started (Linux;
	// -1 elsewhere): other processes busy on the cores skew the rows that
	// use them.
	LoadAvg float64 `json:"load_avg_1min"`

	Kernels    string     `json:"pente_kernels"`           // asm.Active()
	KernelSets []string   `json:"pente_kernels_available"` // asm.Available()
	Blocks     asm.Blocks `json:"pente_blocks"`            // gemm block sizes of the active set
	DBlocks    asm.Blocks `json:"pente_dblocks"`           // dgemm block sizes of the active set
	PenteCPU   string     `json:"pente_cpu"`               // asm.CPU()
	Gonum      string     `json:"gonum_version"`

	Peak     peak         `json:"peak"`
	OpenBLAS openblasInfo `json:"openblas"`
	Torch    *torchInfo   `json:"torch,omitempty"`
}

// peak is the float32 peak of one core, against which gemm's "% peak" is
// computed.
type peak struct {
	// GFLOPSPerCore is FlopsPerCycle × ClockGHz, or the -peak flag.
	GFLOPSPerCore float64 `json:"gflops_per_core"`
	// FromFlag is set when -peak gave GFLOPSPerCore.
	FromFlag bool `json:"from_flag"`
	// ClockGHz is measured by clock.Measure (0 with -peak).
	ClockGHz float64 `json:"clock_ghz,omitempty"`
	// Pipes, Lanes and FlopsPerCycle (2·Pipes·Lanes) come from the
	// active kernel set, as kernelWidths gives them.
	Pipes         int `json:"fma_pipes"`
	Lanes         int `json:"lanes"`
	FlopsPerCycle int `json:"flops_per_cycle"`
	// WidestLanes is the widest float32 vector the CPU has (16 with
	// AVX-512), whether or not pente uses it.
	WidestLanes int `json:"cpu_widest_lanes"`
}

// openblasInfo is what OpenBLAS says about itself, in the header.
type openblasInfo struct {
	Built     bool    `json:"built"`                       // built with -tags openblas
	Corename  string  `json:"corename,omitempty"`          // openblas_get_corename()
	Config    string  `json:"config,omitempty"`            // openblas_get_config()
	Coretype  string  `json:"openblas_coretype,omitempty"` // $OPENBLAS_CORETYPE
	Threads   int     `json:"default_threads,omitempty"`   // openblas_get_num_threads() at start
	CgoCallNs float64 `json:"cgo_call_ns,omitempty"`       // one empty Go→C call
}

// kernelWidths gives, for each of pente's kernel sets (by name prefix),
// the FMA pipes of one core and the float32 lanes of the vectors it uses:
// a core then does 2·pipes·lanes flops per cycle. These are assumptions,
// right for the usual cores and wrong for some: Intel cores with a single
// AVX-512 FMA unit, Apple's M cores with four NEON pipes. Pass -peak where
// they are wrong. generic is pente's pure-Go kernels: scalar code.
var kernelWidths = []struct {
	prefix       string
	pipes, lanes int
}{
	{"avx512", 2, 16},
	{"avx2fma", 2, 8},
	{"neon", 2, 4},
	{"generic", 2, 1},
}

// describeMachine collects the machine's description. It measures the
// clock unless peakFlag (GFLOP/s per core) is positive, and fails if it can
// neither measure it nor was given -peak.
func describeMachine(peakFlag float64, ob openblasInfo) (machine, error) {
	c := cpuid.CPU
	m := machine{
		CPU:           strings.TrimSpace(c.BrandName),
		Vendor:        c.VendorID.String(),
		Family:        c.Family,
		Model:         c.Model,
		Features:      vectorFeatures(),
		PhysicalCores: c.PhysicalCores,
		LogicalCores:  runtime.NumCPU(),
		L1D:           c.Cache.L1D,
		L2:            c.Cache.L2,
		L3:            c.Cache.L3,
		GoVersion:     runtime.Version(),
		GOOS:          runtime.GOOS,
		GOARCH:        runtime.GOARCH,
		GOMAXPROCS:    runtime.GOMAXPROCS(0),
		LoadAvg:       loadAvg(),
		Kernels:       asm.Active(),
		KernelSets:    asm.Available(),
		Blocks:        asm.Default().Blocks(),
		DBlocks:       asm.Default().DBlocks(),
		PenteCPU:      asm.CPU(),
		Gonum:         moduleVersion("gonum.org/v1/gonum"),
		OpenBLAS:      ob,
	}
	if m.CPU == "" {
		m.CPU = runtime.GOARCH
	}
	if c.VM() {
		m.Hypervisor = c.HypervisorVendorID.String()
	}
	for _, w := range kernelWidths {
		if strings.HasPrefix(m.Kernels, w.prefix) {
			m.Peak.Pipes, m.Peak.Lanes = w.pipes, w.lanes
			m.Peak.FlopsPerCycle = 2 * w.pipes * w.lanes
			break
		}
	}
	m.Peak.WidestLanes = widestLanes()
	switch {
	case peakFlag > 0:
		m.Peak.GFLOPSPerCore, m.Peak.FromFlag = peakFlag, true
	case m.Peak.FlopsPerCycle == 0:
		return m, fmt.Errorf("no flops-per-cycle entry for the kernel set %q: pass -peak (GFLOP/s per core)", m.Kernels)
	default:
		ghz, err := clock.Measure()
		if err != nil {
			return m, fmt.Errorf("%v: pass -peak (GFLOP/s per core)", err)
		}
		m.Peak.ClockGHz = ghz
		m.Peak.GFLOPSPerCore = float64(m.Peak.FlopsPerCycle) * ghz
	}
	return m, nil
}

// vectorFeatures lists the CPU's features that decide which kernels can
// run: x86 vector extensions and Arm's SIMD.
func vectorFeatures() []string {
	var fs []string
	for _, f := range []cpuid.FeatureID{
		cpuid.SSE3, cpuid.AVX, cpuid.AVX2, cpuid.FMA3,
		cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512VL, cpuid.AVX512VNNI, cpuid.AVX512BF16, cpuid.AVX512FP16,
		cpuid.AMXTILE, cpuid.ASIMD, cpuid.ASIMDHP, cpuid.SVE,
	} {
		if cpuid.CPU.Supports(f) {
			fs = append(fs, f.String())
		}
	}
	return fs
}

// widestLanes is the number of float32 lanes of the CPU's widest FMA
// vectors: 16 with AVX-512, 8 with AVX2 and FMA, 4 with Arm's ASIMD.
func widestLanes() int {
	switch {
	case cpuid.CPU.Supports(cpuid.AVX512F):
		return 16
	case cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3):
		return 8
	case cpuid.CPU.Supports(cpuid.ASIMD):
		return 4
	}
	return 1
}

// loadAvg returns the 1-minute load average from /proc/loadavg, or -1.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// moduleVersion returns the version of the module path this binary was
// built with, or "unknown".
func moduleVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "unknown"
}
