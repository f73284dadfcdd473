package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// The terminal picture's size, in characters.
const asciiWidth, asciiHeight = 72, 14

// writeASCII draws c as '·' and the first steps of r as the digits 0–9
// (the start is 0), then letters, on a grid of characters.
func writeASCII(out io.Writer, c *curve, r *run) {
	ls := make([]float64, asciiWidth)
	top := 0.0
	for i := range ls {
		ls[i] = float64(c.loss(float32(c.lo + (c.hi-c.lo)*(float64(i)+0.5)/asciiWidth)))
		top = max(top, ls[i])
	}
	top = roundTop(top * 1.05)
	grid := make([][]rune, asciiHeight)
	for i := range grid {
		grid[i] = []rune(strings.Repeat(" ", asciiWidth))
	}
	row := func(l float64) int { return asciiHeight - 1 - int(math.Round(l/top*(asciiHeight-1))) }
	for i, l := range ls {
		grid[row(l)][i] = '·'
	}
	const marks = "0123456789abcdefghijklmnopqrstuvwxyz"
	for k := 0; k < len(r.w) && k < len(marks); k++ {
		w, l := float64(r.w[k]), float64(r.loss[k])
		col := int(math.Floor((w - c.lo) / (c.hi - c.lo) * asciiWidth))
		if !finiteAll(w, l) || col < 0 || col >= asciiWidth || l > top {
			break
		}
		grid[row(l)][col] = rune(marks[k])
	}
	for i, line := range grid {
		label := "      "
		switch i {
		case 0:
			label = fmt.Sprintf("%5.3g ", top)
		case asciiHeight - 1:
			label = fmt.Sprintf("%5.3g ", 0.0)
		}
		fmt.Fprintf(out, "  %s|%s\n", label, strings.TrimRight(string(line), " "))
	}
	fmt.Fprintf(out, "        +%s\n", strings.Repeat("-", asciiWidth))
	lo, hi := fmt.Sprintf("w = %g", c.lo), fmt.Sprintf("%g", c.hi)
	fmt.Fprintf(out, "        %s%s%s\n", lo, strings.Repeat(" ", asciiWidth+1-len(lo)-len(hi)), hi)
	fmt.Fprintf(out, "        · the curve L(w); 0 the start, 1, 2, …, z the steps after it\n")
}
