// Command digits trains a multilayer perceptron on the UCI handwritten
// digits (1797 images of 8×8 pixels, embedded in the binary) and reports,
// epoch by epoch, the loss, the accuracy on the training set and on a
// held-out test set (every fifth image), and the training speed.
//
//	go run ./examples/digits
//	go run ./examples/digits -hidden 64,32 -epochs 40 -lr 0.05
//	go run ./examples/digits -save digits.safetensors
//
// -save writes the trained parameters as a safetensors file, torch's
// state_dict (layer.SaveFile), which examples/classify, or PyTorch, loads.
//
// The model is what a PyTorch user would write: nn.Sequential of nn.Linear
// and nn.ReLU layers initialised from torch.manual_seed(seed),
// nn.CrossEntropyLoss and optim.SGD with momentum, here layer, loss and
// sgd.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat"
	"github.com/pente-go/pente/mat/asm"
)

func main() {
	epochs := flag.Int("epochs", 30, "passes over the training set")
	batch := flag.Int("batch", 32, "images per SGD step")
	hidden := flag.String("hidden", "32", "comma-separated sizes of the hidden layers")
	optim := flag.String("optim", "sgd", "optimizer: sgd (with -momentum) or adam")
	lr := flag.Float64("lr", 0.1, "learning rate (with -optim adam, 0.001 unless given)")
	momentum := flag.Float64("momentum", 0.9, "SGD momentum")
	dropout := flag.Float64("dropout", 0, "probability of the Dropout after each hidden layer (0: none)")
	seed := flag.Uint64("seed", 1, "seed of the initial weights and the shuffling")
	save := flag.String("save", "", "write the trained model to this safetensors `file`")
	flag.Parse()
	if *optim == "adam" && !flagSet("lr") {
		*lr = 1e-3 // torch.optim.Adam's default
	}

	sizes := []int{pixels}
	for _, f := range strings.Split(*hidden, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fail("bad -hidden %q: want positive sizes separated by commas", *hidden)
		}
		sizes = append(sizes, n)
	}
	sizes = append(sizes, classes)
	if *epochs < 1 || *batch < 1 {
		fail("-epochs and -batch must be positive")
	}

	data, err := loadDigits()
	if err != nil {
		fail("%v", err)
	}
	train, test := data.split()
	r := rand.New(rand.NewPCG(*seed, 0x9e3779b97f4a7c15))
	if *dropout < 0 || *dropout >= 1 {
		fail("-dropout must be in [0, 1)")
	}
	model, err := newClassifier(sizes, *seed, training{*optim, *lr, *momentum, float32(*dropout)})
	if err != nil {
		fail("%v", err)
	}
	how := fmt.Sprintf("SGD lr %g, momentum %g", *lr, *momentum)
	if *optim == "adam" {
		how = fmt.Sprintf("Adam lr %g", *lr)
	}
	if *dropout > 0 {
		how += fmt.Sprintf(", dropout %g", *dropout)
	}
	fmt.Printf("MLP %v on %d training and %d test images, batch %d, %s (kernels: %s)\n",
		sizes, train.X.Rows, test.X.Rows, *batch, how, asm.Active())

	live := isTerminal(os.Stdout)
	xb := mat.NewDense(*batch, pixels, nil)
	yb := make([]int, *batch)
	order := make([]int, train.X.Rows)
	for i := range order {
		order[i] = i
	}
	start := time.Now()
	var testAcc float64
	for epoch := 1; epoch <= *epochs; epoch++ {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		t0 := time.Now()
		loss := trainEpoch(model, train, order, xb, yb)
		speed := float64(len(order)) / time.Since(t0).Seconds()
		trainAcc, testAccNow := model.accuracy(train), model.accuracy(test)
		testAcc = testAccNow
		line := fmt.Sprintf("epoch %3d/%d  loss %.4f  train %5.1f%%  test %5.1f%%  %8.0f samples/s",
			epoch, *epochs, loss, 100*trainAcc, 100*testAcc, speed)
		if live {
			fmt.Printf("\r\033[K%s", line)
		} else {
			fmt.Println(line)
		}
	}
	if live {
		fmt.Println()
	}
	fmt.Printf("test accuracy %.1f%% after %d epochs in %.2f s\n", 100*testAcc, *epochs, time.Since(start).Seconds())
	if *save != "" {
		if err := layer.SaveFile(*save, model.model); err != nil {
			fail("%v", err)
		}
		fmt.Printf("saved the model to %s\n", *save)
	}
}

// trainEpoch runs one SGD step for each batch of d's rows taken in the
// given order, using xb and yb (one batch long) as buffers, and returns the
// mean of the batch losses.
func trainEpoch(c *classifier, d *dataset, order []int, xb *mat.Dense, yb []int) float64 {
	var lossSum float64
	steps := 0
	for lo := 0; lo < len(order); lo += xb.Rows {
		idx := order[lo:min(lo+xb.Rows, len(order))]
		x, labels := xb.Slice(0, len(idx), 0, pixels), yb[:len(idx)]
		for k, i := range idx {
			copy(x.Row(k), d.X.Row(i))
			labels[k] = d.Labels[i]
		}
		lossSum += float64(c.step(x, labels))
		steps++
	}
	return lossSum / float64(steps)
}

// flagSet reports whether the command line gave the flag.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "digits: "+format+"\n", args...)
	os.Exit(2)
}
