package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// torchScript times the training steps in PyTorch; runTorch feeds it to
// the Python given by -torch on standard input.
//
//go:embed torch/step.py
var torchScript string

// torchInfo is the PyTorch that -torch ran, for the header.
type torchInfo struct {
	Python  string `json:"python"`  // the -torch path
	Version string `json:"version"` // torch.__version__
	Error   string `json:"error,omitempty"`
	// OtherCores is the cores busy with other processes while the
	// script ran; -1 unknown.
	OtherCores float64 `json:"other_cores"`
}

// torchKey names one training-table row, or with batch 0 one row of
// the optimiser-step table.
type torchKey struct {
	model   string
	batch   int
	optim   string
	threads int
}

// torchTimes are PyTorch's times, in ns per step, of the training steps
// and of the optimiser steps alone. A nil *torchTimes has none.
type torchTimes struct {
	train, step map[torchKey]float64
}

// get returns the time of row k, from step when k.batch is 0.
func (t *torchTimes) get(k torchKey) (float64, bool) {
	if t == nil {
		return 0, false
	}
	m := t.train
	if k.batch == 0 {
		m = t.step
	}
	ns, ok := m[k]
	return ns, ok
}

// torchOutput is what torch/step.py prints.
type torchOutput struct {
	Torch   string `json:"torch"`
	Python  string `json:"python"`
	Results []struct {
		Sizes     []int   `json:"sizes"`
		Batch     int     `json:"batch"`
		Optim     string  `json:"optim"`
		Threads   int     `json:"threads"`
		NsPerStep float64 `json:"ns_per_step"`
	} `json:"results"`
	Steps []struct {
		Sizes     []int   `json:"sizes"`
		Optim     string  `json:"optim"`
		Threads   int     `json:"threads"`
		Params    int     `json:"params"`
		NsPerStep float64 `json:"ns_per_step"`
	} `json:"steps"`
}

// runTorch runs torch/step.py with python for every training case of
// every optimiser in optims, the optimiser steps alone over stepCase's
// parameters, and every thread count (torch.set_num_threads), and returns
// the time per step of each row, in ns.
func runTorch(python string, threads []int, optims []string, minTime time.Duration) (*torchTimes, *torchInfo, error) {
	info := &torchInfo{Python: python}
	start := sampleCPU()
	var cases, steps, ths []string
	for _, o := range optims {
		for _, c := range optimCases(o) {
			cases = append(cases, fmt.Sprintf("%s:%d:%s", c.name(), c.batch, o))
		}
		steps = append(steps, fmt.Sprintf("%s:%s", stepCase.name(), o))
	}
	for _, t := range threads {
		ths = append(ths, fmt.Sprint(t))
	}
	cmd := exec.Command(python, "-", "--time", fmt.Sprint(minTime.Seconds()),
		"--threads", strings.Join(ths, ","), "--cases", strings.Join(cases, ","), "--steps", strings.Join(steps, ","))
	cmd.Stdin = strings.NewReader(torchScript)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, info, fmt.Errorf("%s torch/step.py: %v: %s", python, err, lastLine(stderr.String()))
	}
	var res torchOutput
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, info, fmt.Errorf("%s torch/step.py printed no JSON: %v", python, err)
	}
	info.Version = res.Torch
	info.OtherCores = othersSince(start)
	times := &torchTimes{train: map[torchKey]float64{}, step: map[torchKey]float64{}}
	for _, r := range res.Results {
		c := trainCase{sizes: r.Sizes, batch: r.Batch}
		times.train[torchKey{c.name(), r.Batch, r.Optim, r.Threads}] = r.NsPerStep
	}
	for _, r := range res.Steps {
		c := trainCase{sizes: r.Sizes}
		times.step[torchKey{c.name(), 0, r.Optim, r.Threads}] = r.NsPerStep
	}
	return times, info, nil
}

// lastLine returns the last non-empty line of s: the message of a Python
// traceback.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
