// Command mca predicts how fast the NEON kernels of mat/asm run on arm64
// cores that this project has no hardware for, with LLVM's machine-code
// analyser. It builds the arm64 test binary of mat/asm, disassembles every
// assembly kernel whose name ends in NEON, takes each kernel's main loop
// (the innermost backward branch with the most vector instructions), and
// runs llvm-mca on it for each CPU model:
//
//	apt-get install -y llvm-19
//	go run ./internal/mca                 # every NEON kernel, four models
//	go run ./internal/mca -run gemm -v    # one kernel, with the loop and llvm-mca's report
//
// For each kernel and model it prints the cycles an iteration of the loop
// takes as llvm-mca simulates it (dependencies included) and the bound set
// by the core's pipes alone, their ratio, and for loops that multiply-add,
// FMLA per cycle. The bound is the larger of llvm-mca's Block RThroughput
// and the cycles the busiest pipe was occupied per iteration (which counts
// pipes that loads and stores share, as on Neoverse V1). A loop at 100%
// of its bound is limited by the pipes it needs, not by how it chains its
// instructions.
//
// llvm-mca 14's Neoverse models are Cortex-A57's and wrong; use 19. The
// figures are predictions of a model, not measurements: the loads are
// assumed to hit L1, so they say how well a loop is scheduled, not how the
// kernel does from memory.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

const prefix = "github.com/pente-go/pente/mat/asm."

var models = []string{"neoverse-n1", "neoverse-v1", "neoverse-v2", "apple-m1"}

func main() {
	run := flag.String("run", "", "only kernels whose name matches this regular expression")
	verbose := flag.Bool("v", false, "print each loop and llvm-mca's summary")
	mca := flag.String("mca", "llvm-mca-19", "llvm-mca to run")
	objdump := flag.String("objdump", "llvm-objdump-19", "llvm-objdump to run")
	pkg := flag.String("pkg", "./mat/asm/", "package whose arm64 test binary holds the kernels")
	flag.Parse()
	filter, err := regexp.Compile(*run)
	check(err)

	dir, err := os.MkdirTemp("", "pente-mca")
	check(err)
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "asm.test")
	build := exec.Command("go", "test", "-c", "-o", bin, *pkg)
	build.Env = append(os.Environ(), "GOARCH=arm64", "GOOS=linux")
	build.Stderr = os.Stderr
	check(build.Run())

	syms, err := exec.Command(*objdump, "--syms", bin).Output()
	check(err)
	var kernels []string
	for _, line := range strings.Split(string(syms), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		name := f[len(f)-1]
		if strings.HasPrefix(name, prefix) && strings.HasSuffix(name, "NEON.abi0") && filter.MatchString(name) {
			kernels = append(kernels, name)
		}
	}
	sort.Strings(kernels)
	if len(kernels) == 0 {
		fmt.Fprintln(os.Stderr, "mca: no NEON kernel matches")
		os.Exit(1)
	}

	fmt.Printf("%-16s %5s", "kernel", "insns")
	for _, m := range models {
		fmt.Printf(" | %-27s", m+": cyc/bound = %")
	}
	fmt.Println()
	for _, k := range kernels {
		out, err := exec.Command(*objdump, "-d", "--no-show-raw-insn", "--disassemble-symbols="+k, bin).Output()
		check(err)
		loop := mainLoop(parse(out))
		short := strings.TrimSuffix(strings.TrimPrefix(k, prefix), ".abi0")
		if loop == nil {
			fmt.Printf("%-16s %5s   (no loop)\n", short, "-")
			continue
		}
		src := asmText(loop)
		fmt.Printf("%-16s %5d", short, len(loop))
		var reports []string
		for _, m := range models {
			r := analyse(*mca, m, src)
			reports = append(reports, r.text)
			cell := fmt.Sprintf("%5.2f/%5.2f = %3.0f%%", r.cycles, r.limit(), 100*r.limit()/r.cycles)
			if n := fmlas(loop); n > 0 {
				cell += fmt.Sprintf(" %3.1fF", float64(n)/r.cycles)
			}
			fmt.Printf(" | %-27s", cell)
		}
		fmt.Println()
		if *verbose {
			fmt.Println(src)
			for i, m := range models {
				fmt.Printf("--- %s\n%s\n", m, reports[i])
			}
		}
	}
	fmt.Println("\ncyc: cycles per iteration simulated; bound: the busier of Block RThroughput and the busiest pipe; F: FMLA per cycle")
}

type insn struct {
	addr uint64
	text string // mnemonic and operands
	back uint64 // target of a backward branch, or 0
}

var (
	lineRE   = regexp.MustCompile(`^\s*([0-9a-f]+):\s+(.*)$`)
	branchRE = regexp.MustCompile(`^(b\.\w+|b|cbn?z|tbn?z)\s.*0x([0-9a-f]+)`)
)

func parse(dump []byte) []insn {
	var code []insn
	sc := bufio.NewScanner(bytes.NewReader(dump))
	for sc.Scan() {
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		addr, _ := strconv.ParseUint(m[1], 16, 64)
		text := strings.TrimSpace(m[2])
		if i := strings.Index(text, " <"); i >= 0 {
			text = text[:i]
		}
		in := insn{addr: addr, text: text}
		if b := branchRE.FindStringSubmatch(text); b != nil {
			if t, err := strconv.ParseUint(b[2], 16, 64); err == nil && t <= addr {
				in.back = t
			}
		}
		code = append(code, in)
	}
	return code
}

// mainLoop returns the body of the innermost loop (one holding no other
// backward branch) with the most vector instructions, its branch included.
func mainLoop(code []insn) []insn {
	var best []insn
	bestScore := -1
	for j, in := range code {
		if in.back == 0 {
			continue
		}
		i := j
		for i > 0 && code[i-1].addr >= in.back {
			i--
		}
		body := code[i : j+1]
		inner := true
		for _, b := range body[:len(body)-1] {
			if b.back != 0 && b.back >= in.back {
				inner = false
			}
		}
		if !inner {
			continue
		}
		score := 0
		for _, b := range body {
			if strings.Contains(b.text, " v") || strings.Contains(b.text, "{ v") {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = body, score
		}
	}
	return best
}

func fmlas(loop []insn) int {
	n := 0
	for _, in := range loop {
		if strings.HasPrefix(in.text, "fmla") {
			n++
		}
	}
	return n
}

// asmText writes the loop for llvm-mca. Branches keep their form but
// jump to offset 0: llvm-mca does not follow them, so a loop with a
// branch over some of its work (an option) is simulated with that work.
func asmText(loop []insn) string {
	var b strings.Builder
	for _, in := range loop {
		t := in.text
		if branchRE.MatchString(t) {
			t = t[:strings.LastIndex(t, "0x")] + "0x0"
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String()
}

type result struct {
	cycles  float64 // per iteration, as simulated
	bound   float64 // Block RThroughput: the pipes' bound
	busiest float64 // cycles of the busiest pipe per iteration, as simulated
	text    string
}

// limit is the fewest cycles an iteration can take on the pipes it uses.
func (r result) limit() float64 { return max(r.bound, r.busiest) }

func analyse(mca, cpu, src string) result {
	const iterations = 400
	cmd := exec.Command(mca, "-mtriple=aarch64", "-mcpu="+cpu, fmt.Sprintf("-iterations=%d", iterations))
	cmd.Stdin = strings.NewReader(src)
	out, err := cmd.CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "mca: %s on %s: %v\n%s\n%s", mca, cpu, err, out, src)
		os.Exit(1)
	}
	var r result
	lines := strings.Split(string(out), "\n")
	for i, line := range lines {
		// The row under the header of "Resource pressure per iteration":
		// how many cycles of each pipe an iteration took. The busiest
		// pipe bounds the loop too, where the pipes are shared in ways
		// that Block RThroughput does not see (loads and store addresses
		// on the same units of Neoverse V1, for one).
		if strings.HasPrefix(line, "Resource pressure per iteration") && i+2 < len(lines) {
			for _, f := range strings.Fields(lines[i+2]) {
				if v, err := strconv.ParseFloat(f, 64); err == nil && v > r.busiest {
					r.busiest = v
				}
			}
		}
		if v, ok := strings.CutPrefix(line, "Total Cycles:"); ok {
			c, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			r.cycles = c / iterations
		}
		if v, ok := strings.CutPrefix(line, "Block RThroughput:"); ok {
			r.bound, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	if i := strings.Index(string(out), "\n\n\nInstruction Info"); i > 0 {
		r.text = string(out[:i])
	} else {
		r.text = string(out)
	}
	return r
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "mca:", err)
		os.Exit(1)
	}
}
