// Command mnist trains the network every PyTorch user has trained:
// 784-256-128-10 with ReLU on MNIST, SGD with momentum, cross-entropy,
// shuffled mini-batches, then the accuracy on held-out images. It is the
// run internal/gen/mnist.py makes in PyTorch, step for step: the same
// initial weights from the same seed (torch.manual_seed), the same
// shuffle order (DataLoader(..., shuffle=True, generator=g), here
// data.Loader), the same hyperparameters; testdata/pytorch.json records
// PyTorch's losses and accuracy, which the test compares with.
//
//	go run ./examples/mnist                       # the bundled 10,000 images: 8,000 train, 2,000 test
//	go run ./examples/mnist -data ~/mnist         # the official 60,000 + 10,000 files in ~/mnist
//	go run ./examples/mnist -epochs 3 -train 2000 # shorter
//
// With -data, DIR holds train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
// t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (or the same
// names without .gz), as downloaded from the MNIST site.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/mat/asm"
)

func main() {
	cfg := defaults
	dir := flag.String("data", "", "a directory with the official MNIST files (default: the bundled 10,000 images)")
	flag.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "passes over the training images")
	flag.IntVar(&cfg.Batch, "batch", cfg.Batch, "images per step")
	lr := flag.Float64("lr", float64(cfg.LR), "learning rate (with -optim adam: 0.001, torch's default, unless given)")
	momentum := flag.Float64("momentum", float64(cfg.Momentum), "SGD momentum")
	flag.StringVar(&cfg.Optim, "optim", cfg.Optim, "the optimiser: sgd (with -momentum) or adam")
	flag.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the initial weights and of the shuffle")
	ntrain := flag.Int("train", 0, "train on the first N training images only (0: all)")
	save := flag.String("save", "", "write the trained model's parameters to this safetensors file")
	flag.Parse()
	lrGiven := false
	flag.Visit(func(f *flag.Flag) { lrGiven = lrGiven || f.Name == "lr" })
	if cfg.Optim == "adam" && !lrGiven {
		*lr = 1e-3
	}
	cfg.LR, cfg.Momentum = float32(*lr), float32(*momentum)
	if flag.NArg() > 0 {
		fail("unexpected arguments %q", flag.Args())
	}
	if *save != "" {
		if err := checkSave(*save); err != nil {
			fail("-save: %v", err)
		}
	}

	model, opt, err := newRun(cfg)
	if err != nil {
		fail("%v", err)
	}
	tr, te, err := bundled()
	source := "the bundled MNIST subset"
	if *dir != "" {
		tr, te, err = fromDir(*dir)
		source = *dir
	}
	if err != nil {
		fail("%v", err)
	}
	if *ntrain < 0 || *ntrain > tr.X.Rows {
		fail("-train %d: there are %d training images", *ntrain, tr.X.Rows)
	}
	if *ntrain > 0 {
		tr = tr.slice(0, *ntrain)
	}
	fmt.Printf("MLP 784-256-128-10 on %d training and %d test images of %s: batch %d, %s lr %g momentum %g, seed %d (kernels: %s, %d threads)\n",
		tr.X.Rows, te.X.Rows, source, cfg.Batch, cfg.Optim, cfg.LR, cfg.Momentum, cfg.Seed, asm.Active(), runtime.GOMAXPROCS(0))

	start := time.Now()
	res := train(model, opt, tr, te, cfg, progressLine(isTerminal(os.Stdout), cfg.Epochs, start))
	elapsed := time.Since(start)
	fmt.Printf("test accuracy %.2f%% (%d of %d) after %d epochs in %.2f s\n",
		res.Accuracy, res.Right, te.X.Rows, cfg.Epochs, elapsed.Seconds())
	if *save != "" {
		if err := saveModel(*save, model); err != nil {
			fail("-save: %v", err)
		}
		fmt.Printf("saved the parameters to %s\n", *save)
	}
}

// progressLine returns the progress report: on a terminal one line
// rewritten (\r) at every step, elsewhere one line per epoch.
func progressLine(live bool, epochs int, start time.Time) progress {
	return func(epoch, step, steps int, loss float64) {
		line := fmt.Sprintf("epoch %2d/%d  step %3d/%d  loss %.4f  %5.1f s", epoch, epochs, step, steps, loss, time.Since(start).Seconds())
		switch {
		case live:
			fmt.Printf("\r\033[K%s", line)
			if step == steps {
				fmt.Println()
			}
		case step == steps:
			fmt.Println(line)
		}
	}
}

// checkSave and saveModel are -save: the trained parameters to a
// safetensors file, named as model.state_dict() names them.
// checkSave fails early, before the training, where the file cannot be
// written: a directory that does not exist.
func checkSave(path string) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: no directory %s to write it in", path, dir)
	}
	return nil
}

func saveModel(path string, model *layer.Sequential) error {
	return layer.SaveFile(path, model)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mnist: "+format+"\n", args...)
	os.Exit(2)
}
