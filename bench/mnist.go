package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/pente-go/pente/data"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/sgd"
)

// The MNIST run of examples/mnist and internal/gen/mnist.py, timed to the
// end: 784-256-128-10 with ReLU from seed 0, SGD lr 0.05 momentum 0.9,
// batches of 128 of the first 8,000 bundled images in DataLoader's order,
// 10 epochs, then the accuracy on the last 2,000. bench runs from bench/,
// so the data and the PyTorch script are found relative to it.
const (
	mnistDir      = "../examples/mnist/mnist10k"
	mnistScript   = "../internal/gen/mnist.py"
	mnistTrain    = 8000
	mnistTest     = 2000
	mnistEpochs   = 10
	mnistBatch    = 128
	mnistLR       = 0.05
	mnistMomentum = 0.9
	mnistRepeat   = 3 // runs of each library per row, alternating, the best kept
)

// mnistRow is one line of the MNIST table.
type mnistRow struct {
	Threads  int                  `json:"threads"`
	Epochs   int                  `json:"epochs"`
	Train    int                  `json:"train_images"`
	Test     int                  `json:"test_images"`
	Results  map[string]result    `json:"results"`  // NsPerCall is the whole run, best of mnistRepeat
	Accuracy map[string]float64   `json:"accuracy"` // on the test images, %
	Losses   map[string][]float64 `json:"losses"`   // per epoch, the mean batch loss
	// OtherCores is the cores busy with other processes during the row; -1 unknown.
	OtherCores float64 `json:"other_cores"`
}

// mnistData is the bundled subset, split as the run splits it.
type mnistData struct {
	train, test *mat.Dense
	ytrain      []int
	ytest       []int
}

func loadMNIST() (*mnistData, error) {
	images, err := data.ReadIDXFile(mnistDir + "/mnist10k-images-idx3-ubyte.gz")
	if err != nil {
		return nil, fmt.Errorf("%w (run bench from bench/)", err)
	}
	labels, err := data.ReadIDXFile(mnistDir + "/mnist10k-labels-idx1-ubyte.gz")
	if err != nil {
		return nil, err
	}
	x, err := images.Dense(255)
	if err != nil {
		return nil, err
	}
	y, err := labels.Labels()
	if err != nil {
		return nil, err
	}
	if x.Rows != len(y) || x.Rows < mnistTrain+mnistTest {
		return nil, fmt.Errorf("%s: %d images and %d labels", mnistDir, x.Rows, len(y))
	}
	n := x.Rows
	return &mnistData{
		train: x.Slice(0, mnistTrain, 0, x.Cols), ytrain: y[:mnistTrain],
		test: x.Slice(n-mnistTest, n, 0, x.Cols), ytest: y[n-mnistTest:],
	}, nil
}

// penteMNIST trains the run in pente, as examples/mnist does, and returns
// its time, the test accuracy (%) and the per-epoch losses.
func penteMNIST(d *mnistData) (time.Duration, float64, []float64, error) {
	start := time.Now()
	g := layer.ManualSeed(0)
	model := layer.NewSequential(
		layer.NewLinear(784, 256, g), layer.NewReLU(),
		layer.NewLinear(256, 128, g), layer.NewReLU(),
		layer.NewLinear(128, 10, g))
	opt, err := sgd.New(model.Params(), sgd.Config{LR: mnistLR, Momentum: mnistMomentum})
	if err != nil {
		return 0, 0, nil, err
	}
	criterion := loss.NewCrossEntropy()
	loader := data.NewLoader(d.train, mnistBatch, true, layer.ManualSeed(0))
	y := make([]int, mnistBatch)
	var losses []float64
	for range mnistEpochs {
		total, steps := 0.0, 0
		for loader.Epoch(); ; steps++ {
			x, index, ok := loader.Next()
			if !ok {
				break
			}
			yb := y[:len(index)]
			for k, i := range index {
				yb[k] = d.ytrain[i]
			}
			opt.ZeroGrad()
			total += float64(criterion.Forward(model.Forward(x), yb))
			model.Backward(criterion.Backward())
			opt.Step()
		}
		losses = append(losses, total/float64(steps))
	}
	elapsed := time.Since(start)
	scores := model.Predict(d.test, nil)
	right := 0
	for i, want := range d.ytest {
		best := 0
		for j, v := range scores.Row(i) {
			if v > scores.At(i, best) {
				best = j
			}
		}
		if best == want {
			right++
		}
	}
	return elapsed, 100 * float64(right) / float64(len(d.ytest)), losses, nil
}

// torchMNIST runs internal/gen/mnist.py once on th threads and returns
// what it measured.
func torchMNIST(python string, th int) (time.Duration, float64, []float64, error) {
	if _, err := os.Stat(mnistScript); err != nil {
		return 0, 0, nil, fmt.Errorf("%w (run bench from bench/)", err)
	}
	cmd := exec.Command(python, mnistScript, "--bench", "--threads", fmt.Sprint(th), "--repeat", "1", "--data", mnistDir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, 0, nil, fmt.Errorf("%s %s: %v: %s", python, mnistScript, err, lastLine(stderr.String()))
	}
	var res struct {
		Results []struct {
			Threads  int       `json:"threads"`
			Seconds  float64   `json:"seconds"`
			Accuracy float64   `json:"accuracy"`
			Losses   []float64 `json:"losses"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &res); err != nil || len(res.Results) != 1 {
		return 0, 0, nil, fmt.Errorf("%s printed no result: %v", mnistScript, err)
	}
	r := res.Results[0]
	return time.Duration(r.Seconds * 1e9), r.Accuracy, r.Losses, nil
}

// runMNIST times the MNIST run to the end on each thread count, in pente
// and, with -torch, in PyTorch, alternating the two mnistRepeat times and
// keeping each one's best. The accuracies must agree within half a point.
func (b *bench) runMNIST() error {
	d, err := loadMNIST()
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	names := []string{"pente"}
	if b.cfg.torch != "" {
		names = append(names, "PyTorch")
	}
	t := &table{w: b.out, cols: compareColumns([]column{{title: "threads"}}, names, "s", column{title: "pente accuracy %"})}
	if len(names) > 1 {
		t.cols = append(t.cols, column{title: "PyTorch accuracy %"})
	}
	t.cols = append(t.cols, othersColumn)
	t.header(fmt.Sprintf("MNIST 784-256-128-10 (examples/mnist): %d epochs on %d images, batch %d, SGD lr %g momentum %g, then %d test images; seconds to train, best of %d",
		mnistEpochs, mnistTrain, mnistBatch, mnistLR, mnistMomentum, mnistTest, mnistRepeat))
	for _, th := range b.cfg.threads {
		b.setThreads(th)
		row := mnistRow{Threads: th, Epochs: mnistEpochs, Train: mnistTrain, Test: mnistTest,
			Results: map[string]result{}, Accuracy: map[string]float64{}, Losses: map[string][]float64{}}
		start := sampleCPU()
		best := map[string]time.Duration{}
		for range mnistRepeat {
			runtime.GC()
			el, acc, losses, err := penteMNIST(d)
			if err != nil {
				return fmt.Errorf("mnist threads %d: pente: %w", th, err)
			}
			if best["pente"] == 0 || el < best["pente"] {
				best["pente"] = el
			}
			row.Accuracy["pente"], row.Losses["pente"] = acc, losses
			if b.cfg.torch == "" {
				continue
			}
			el, acc, losses, err = torchMNIST(b.cfg.torch, th)
			if err != nil {
				return fmt.Errorf("mnist threads %d: PyTorch: %w", th, err)
			}
			if best["PyTorch"] == 0 || el < best["PyTorch"] {
				best["PyTorch"] = el
			}
			row.Accuracy["PyTorch"], row.Losses["PyTorch"] = acc, losses
		}
		for n, el := range best {
			row.Results[n] = result{NsPerCall: float64(el.Nanoseconds())}
		}
		if acc, ok := row.Accuracy["PyTorch"]; ok && math.Abs(acc-row.Accuracy["pente"]) > 0.5 {
			return fmt.Errorf("mnist threads %d: pente's accuracy %.2f%%, PyTorch's %.2f%%: more than half a point apart", th, row.Accuracy["pente"], acc)
		}
		row.OtherCores = othersSince(start)
		b.rep.MNIST = append(b.rep.MNIST, row)
		cells := compareCells([]string{fmt.Sprint(th)}, names, row.Results,
			func(r result) string { return fmt.Sprintf("%.2f", r.NsPerCall/1e9) },
			func(r result) float64 { return 1 / r.NsPerCall },
			fmt.Sprintf("%.2f", row.Accuracy["pente"]))
		if len(names) > 1 {
			cells = append(cells, fmt.Sprintf("%.2f", row.Accuracy["PyTorch"]))
		}
		t.row(append(cells, fmtOthers(row.OtherCores))...)
	}
	return nil
}

// torchVersion asks python for torch's version, for the header.
func torchVersion(python string) *torchInfo {
	info := &torchInfo{Python: python, OtherCores: -1}
	out, err := exec.Command(python, "-c", "import torch; print(torch.__version__)").Output()
	if err != nil {
		info.Error = fmt.Sprintf("%s cannot import torch: %v", python, err)
		return info
	}
	info.Version = string(bytes.TrimSpace(out))
	return info
}
