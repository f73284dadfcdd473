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

// torchKey names one training-table row.
type torchKey struct {
	model          string
	batch, threads int
}

// torchOutput is what torch/step.py prints.
type torchOutput struct {
	Torch   string `json:"torch"`
	Python  string `json:"python"`
	Results []struct {
		Sizes     []int   `json:"sizes"`
		Batch     int     `json:"batch"`
		Threads   int     `json:"threads"`
		NsPerStep float64 `json:"ns_per_step"`
	} `json:"results"`
}

// runTorch runs torch/step.py with python for every training case and
// thread count (torch.set_num_threads), and returns the time per step of
// each row, in ns.
func runTorch(python string, threads []int, minTime time.Duration) (map[torchKey]float64, *torchInfo, error) {
	info := &torchInfo{Python: python}
	start := sampleCPU()
	var cases, ths []string
	for _, c := range trainCases {
		cases = append(cases, fmt.Sprintf("%s:%d", c.name(), c.batch))
	}
	for _, t := range threads {
		ths = append(ths, fmt.Sprint(t))
	}
	cmd := exec.Command(python, "-", "--time", fmt.Sprint(minTime.Seconds()),
		"--threads", strings.Join(ths, ","), "--cases", strings.Join(cases, ","))
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
	times := map[torchKey]float64{}
	for _, r := range res.Results {
		c := trainCase{sizes: r.Sizes, batch: r.Batch}
		times[torchKey{c.name(), r.Batch, r.Threads}] = r.NsPerStep
	}
	return times, info, nil
}

// lastLine returns the last non-empty line of s: the message of a Python
// traceback.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
