package main

import (
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestMatchesPyTorch runs the lesson and compares its output with what
// PyTorch printed for the same program (internal/gen/lesson.py): the same
// words, and every number equal up to its last printed digit (values that
// straddle a rounding boundary may print one unit apart there).
func TestMatchesPyTorch(t *testing.T) {
	want, err := os.ReadFile("testdata/pytorch.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := lesson(&out); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	wantLines := strings.Split(strings.TrimSpace(string(want)), "\n")
	if len(got) != len(wantLines) {
		t.Fatalf("%d lines, PyTorch printed %d:\n%s", len(got), len(wantLines), out.String())
	}
	numbers := 0
	for i := range got {
		g, w := strings.Fields(clean(got[i])), strings.Fields(clean(wantLines[i]))
		if len(g) != len(w) {
			t.Fatalf("line %d:\n got  %s\n want %s", i+1, got[i], wantLines[i])
		}
		for k := range g {
			gv, gerr := strconv.ParseFloat(g[k], 64)
			wv, werr := strconv.ParseFloat(w[k], 64)
			if gerr != nil || werr != nil {
				if g[k] != w[k] {
					t.Errorf("line %d: %q, PyTorch printed %q", i+1, g[k], w[k])
				}
				continue
			}
			numbers++
			if unit := lastDigit(w[k]); math.Abs(gv-wv) > unit*1.01 {
				t.Errorf("line %d: %s, PyTorch printed %s", i+1, g[k], w[k])
			}
		}
	}
	if numbers < 200 {
		t.Fatalf("compared only %d numbers", numbers)
	}
}

// clean spaces out brackets and colons so that numbers stand alone.
func clean(s string) string {
	return strings.NewReplacer("[", " [ ", "]", " ] ", ":", " : ").Replace(s)
}

// lastDigit returns the value of one unit in the last printed digit of s.
func lastDigit(s string) float64 {
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return 1
	}
	return math.Pow(10, -float64(len(s)-i-1))
}
