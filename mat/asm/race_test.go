package asm

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestRaceDetectorSeesAssembly builds testdata/racy with -race and runs it:
// a kernel of the fastest set racing with plain Go code on the same memory
// must be reported as a data race, and the same program with the two
// synchronised must run clean. Without
// the wrappers' calls to raceRead, raceWrite and raceMat (race.go) the
// detector would see nothing of what the assembly reads and writes.
//
// The program is built whether or not this test runs under -race itself,
// so that a plain go test checks it too; the build cache makes it a link
// of a few seconds. The test skips only where the race detector cannot
// run: a platform it does not support, a test binary that is not native to
// the machine (GOARCH=arm64 under qemu-aarch64), or no cgo where -race
// needs it.
func TestRaceDetectorSeesAssembly(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build testdata/racy with: %v", err)
	}
	cmd := exec.Command(goTool, "env", "GOHOSTOS", "GOHOSTARCH", "CGO_ENABLED")
	cmd.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	env := strings.Fields(string(out))
	if len(env) != 3 {
		t.Fatalf("go env GOHOSTOS GOHOSTARCH CGO_ENABLED: %q", out)
	}
	switch {
	case !raceSupported(runtime.GOOS, runtime.GOARCH):
		t.Skipf("the race detector does not support %s/%s", runtime.GOOS, runtime.GOARCH)
	case env[0] != runtime.GOOS || env[1] != runtime.GOARCH:
		t.Skipf("this %s/%s test binary runs on a %s/%s host, under an emulator: the race detector needs a native run",
			runtime.GOOS, runtime.GOARCH, env[0], env[1])
	case env[2] != "1" && runtime.GOOS != "darwin":
		t.Skipf("-race needs cgo on %s, and CGO_ENABLED=%s", runtime.GOOS, env[2])
	}

	bin := filepath.Join(t.TempDir(), "racy")
	build := exec.Command(goTool, "build", "-race", "-o", bin, "./testdata/racy")
	build.Env = cmd.Env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -race ./testdata/racy: %v\n%s", err, out)
	}
	// The report is not searched for a frame of package asm: Dot, for
	// one, is inlined into its caller, and the report shows the call site.
	for _, kernel := range []string{
		"axpy", // the kernel writes y, Go writes y
		"dot",  // the kernel reads x, Go writes x
		"gemm", // the kernel writes C, Go reads C
	} {
		for _, mode := range []string{"race", "sync"} {
			run := exec.Command(bin, kernel, mode)
			run.Env = append(os.Environ(), "GORACE=exitcode=66")
			out, err := run.CombinedOutput()
			report := string(out)
			what := "racy " + kernel + " " + mode
			if !strings.Contains(report, "racy: "+kernel+" "+mode+" on ") {
				t.Fatalf("%s did not run to its end: %v\n%s", what, err, report)
			}
			raced := strings.Contains(report, "WARNING: DATA RACE")
			if mode == "sync" {
				if raced || err != nil {
					t.Errorf("%s: synchronised, yet: %v\n%s", what, err, report)
				}
				continue
			}
			var exit *exec.ExitError
			if !raced || !errors.As(err, &exit) || exit.ExitCode() != 66 {
				t.Errorf("%s: want a data race reported and exit status 66, got %v\n%s", what, err, report)
			}
		}
	}
}

// raceSupported reports whether the race detector runs on goos/goarch,
// as the go command's internal/platform.RaceDetectorSupported says.
func raceSupported(goos, goarch string) bool {
	switch goos {
	case "linux":
		return goarch == "amd64" || goarch == "arm64" || goarch == "loong64" || goarch == "ppc64le" || goarch == "riscv64" || goarch == "s390x"
	case "darwin":
		return goarch == "amd64" || goarch == "arm64"
	case "freebsd", "netbsd", "windows":
		return goarch == "amd64"
	}
	return false
}
