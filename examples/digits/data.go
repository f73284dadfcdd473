package main

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/pente-go/pente/mat"
)

// digits.csv.gz: 1797 handwritten digits, 8×8 pixels of 0..16 and a label.
// Credit and licence (CC BY 4.0) in DATA.md.
//
//go:embed digits.csv.gz
var digitsCSV []byte

const (
	pixels  = 64
	classes = 10
)

// dataset is a set of images, one per row of X scaled to [0, 1], and labels.
type dataset struct {
	X      *mat.Dense
	Labels []int
}

// loadDigits parses the embedded data set.
func loadDigits() (*dataset, error) {
	zr, err := gzip.NewReader(bytes.NewReader(digitsCSV))
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = pixels + 1
	var xs []float32
	var labels []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for _, f := range rec[:pixels] {
			v, err := strconv.Atoi(f)
			if err != nil || v < 0 || v > 16 {
				return nil, fmt.Errorf("digits: bad pixel %q", f)
			}
			xs = append(xs, float32(v)/16)
		}
		y, err := strconv.Atoi(rec[pixels])
		if err != nil || y < 0 || y >= classes {
			return nil, fmt.Errorf("digits: bad label %q", rec[pixels])
		}
		labels = append(labels, y)
	}
	return &dataset{X: mat.NewDense(len(labels), pixels, xs), Labels: labels}, nil
}

// split returns the rows whose index i has i%5 == 4 as the test set (20%)
// and the others as the training set: a fixed split that every run and
// every seed shares.
func (d *dataset) split() (train, test *dataset) {
	train, test = &dataset{}, &dataset{}
	var trainX, testX []float32
	for i, y := range d.Labels {
		row := d.X.Row(i)
		if i%5 == 4 {
			testX = append(testX, row...)
			test.Labels = append(test.Labels, y)
		} else {
			trainX = append(trainX, row...)
			train.Labels = append(train.Labels, y)
		}
	}
	train.X = mat.NewDense(len(train.Labels), pixels, trainX)
	test.X = mat.NewDense(len(test.Labels), pixels, testX)
	return train, test
}
