package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCheckFirstStep: the first step of each optimiser passes
// checkFirstStep for that optimiser, and fails it for the other one and
// after a second step, which moves every parameter again: the check can
// tell a wrong update from a right one.
func TestCheckFirstStep(t *testing.T) {
	c := mlpCases[2]
	x, target := testBatch(c)
	for _, optim := range allOptims {
		t.Run(optim, func(t *testing.T) {
			p := newPenteTrainer(c, optim)
			p.step(x, target)
			if err := checkFirstStep(optim, p.model.Params(), p.initial); err != nil {
				t.Errorf("first step: %v", err)
			}
			other := allOptims[1-slices.Index(allOptims, optim)]
			if err := checkFirstStep(other, p.model.Params(), p.initial); err == nil {
				t.Errorf("checked as %s: no error", other)
			}
			p.step(x, target)
			if err := checkFirstStep(optim, p.model.Params(), p.initial); err == nil {
				t.Error("second step: no error")
			}
		})
	}
}

// TestReset: after reset, a step is the first one again, bit for bit:
// the same loss and the same parameters as a new trainer's first step.
// For Adam this needs the step count back at 0, not only zero moments.
func TestReset(t *testing.T) {
	c := mlpCases[1]
	x, target := testBatch(c)
	for _, optim := range allOptims {
		t.Run(optim, func(t *testing.T) {
			fresh := newPenteTrainer(c, optim)
			want := fresh.step(x, target)
			p := newPenteTrainer(c, optim)
			for range 3 {
				p.step(x, target)
			}
			p.reset()
			if got := p.step(x, target); got != want {
				t.Errorf("loss after reset %g, a new trainer's %g", got, want)
			}
			for i, q := range p.model.Params() {
				if !slices.Equal(q.Value.Data, fresh.model.Params()[i].Value.Data) {
					t.Errorf("%s after reset and a step differs from a new trainer's", q.Name)
				}
			}
		})
	}
}

// TestTrainTables runs the training and optimiser-step tables with both
// optimisers: SGD rows for every network with gonum's figure, Adam rows
// for the two batched ones without, an optimiser-step row for each over
// the 235,146 parameters of 784-256-128-10, and both tables printed.
func TestTrainTables(t *testing.T) {
	cfg := config{threads: []int{1}, ops: []string{"train"}, optims: allOptims, time: time.Millisecond, json: true, peak: 100}
	var stdout, stderr bytes.Buffer
	if err := run(cfg, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	count := map[string]int{}
	for _, r := range rep.Train {
		count[r.Optim]++
		_, hasGonum := r.Results["gonum"]
		if r.Results["pente"].NsPerCall <= 0 || hasGonum != (r.Optim == "sgd") {
			t.Errorf("row %+v", r)
		}
	}
	if count["sgd"] != len(trainCases) || count["adam"] != 2 || len(rep.Train) != len(trainCases)+2 {
		t.Errorf("training rows per optimiser %v", count)
	}
	if len(rep.OptimStep) != len(allOptims) {
		t.Fatalf("%d optimiser-step rows, want %d", len(rep.OptimStep), len(allOptims))
	}
	for i, r := range rep.OptimStep {
		if r.Optim != allOptims[i] || r.Params != 235146 || r.Results["pente"].GBps <= 0 || r.BytesPerStep != float64(stepBytes[r.Optim]*235146) {
			t.Errorf("optimiser-step row %+v", r)
		}
	}
	for _, s := range []string{"### training step", "| 784-256-128-10 |   128 | adam  |", "### optimiser Step alone", "| adam  |  235146 |"} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("stderr has no %q:\n%s", s, stderr.String())
		}
	}
}

// TestRunTorch runs runTorch on a stand-in for Python that records its
// arguments and prints what torch/step.py prints: the script is asked for
// each optimiser's cases and steps, and the times land under their rows.
func TestRunTorch(t *testing.T) {
	dir := t.TempDir()
	args := filepath.Join(dir, "args")
	python := filepath.Join(dir, "python")
	out := `{"torch": "1.13.1", "python": "3.11.2",
 "results": [{"sizes": [64, 32, 10], "batch": 32, "optim": "adam", "threads": 2, "ns_per_step": 1500.0, "loss": 2.3}],
 "steps": [{"sizes": [784, 256, 128, 10], "optim": "adam", "threads": 1, "params": 235146, "ns_per_step": 900.0}]}`
	script := "#!/bin/sh\ncat >/dev/null\necho \"$@\" >" + args + "\ncat <<'EOF'\n" + out + "\nEOF\n"
	if err := os.WriteFile(python, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	times, info, err := runTorch(python, []int{1, 2}, allOptims, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(args)
	want := "- --time 0.03 --threads 1,2 --cases 16-8-4-2:1:sgd,64-32-10:32:sgd,784-256-128-10:128:sgd,64-32-10:32:adam,784-256-128-10:128:adam " +
		"--steps 784-256-128-10:sgd,784-256-128-10:adam\n"
	if string(got) != want {
		t.Errorf("arguments\n%q, want\n%q", got, want)
	}
	if info.Version != "1.13.1" {
		t.Errorf("version %q", info.Version)
	}
	if ns, ok := times.get(torchKey{"64-32-10", 32, "adam", 2}); !ok || ns != 1500 {
		t.Errorf("training step: %v %v", ns, ok)
	}
	if ns, ok := times.get(torchKey{"784-256-128-10", 0, "adam", 1}); !ok || ns != 900 {
		t.Errorf("optimiser step: %v %v", ns, ok)
	}
	if _, ok := times.get(torchKey{"64-32-10", 32, "sgd", 2}); ok {
		t.Error("a row the script did not time has a time")
	}
	var none *torchTimes
	if _, ok := none.get(torchKey{"64-32-10", 32, "adam", 2}); ok {
		t.Error("nil torchTimes has a time")
	}
}
