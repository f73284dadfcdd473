package main

import (
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// writePlot draws the gemm NN rows as GFLOP/s against n (log-2 axis), one
// line per library and thread count (colour by library, dashes by thread
// count), with the peak of each thread count as a grey line, and saves it
// to path; the format follows the extension (.svg, .png, .pdf).
func writePlot(path string, rows []gemmRow, names []string, threads []int, peakPerCore float64) error {
	var sizes []int
	for _, r := range rows {
		if r.Op == "NN" && !slices.Contains(sizes, r.N) {
			sizes = append(sizes, r.N)
		}
	}
	if len(sizes) == 0 {
		return fmt.Errorf("plot %s: no gemm NN rows (run with -ops gemm)", path)
	}
	slices.Sort(sizes)

	p := plot.New()
	p.Title.Text = "gemm NN, float32, n×n"
	p.X.Label.Text = "n"
	p.Y.Label.Text = "GFLOP/s"
	p.X.Scale = plot.LogScale{}
	var ticks plot.ConstantTicks
	for _, n := range sizes {
		ticks = append(ticks, plot.Tick{Value: float64(n), Label: fmt.Sprint(n)})
	}
	p.X.Tick.Marker = ticks
	p.Y.Min = 0
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())

	lo, hi := float64(sizes[0]), float64(sizes[len(sizes)-1])
	top := 0.0
	for ti, th := range threads {
		peak := peakPerCore * float64(th)
		top = max(top, peak)
		l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: peak}, {X: hi, Y: peak}})
		if err != nil {
			return err
		}
		l.Color = color.Gray{Y: 160}
		l.Dashes = plotutil.Dashes(ti)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("peak, %d core(s)", th), l)
	}
	for li, name := range names {
		for ti, th := range threads {
			var xys plotter.XYs
			for _, r := range rows {
				if res, ok := r.Results[name]; ok && r.Op == "NN" && r.Threads == th {
					xys = append(xys, plotter.XY{X: float64(r.N), Y: res.GFLOPS})
				}
			}
			if len(xys) == 0 {
				continue
			}
			for _, xy := range xys {
				top = max(top, xy.Y)
			}
			slices.SortFunc(xys, func(a, b plotter.XY) int { return int(a.X - b.X) })
			l, s, err := plotter.NewLinePoints(xys)
			if err != nil {
				return err
			}
			l.Color, s.Color = plotutil.Color(li), plotutil.Color(li)
			l.Dashes = plotutil.Dashes(ti)
			s.Shape = plotutil.Shape(li)
			p.Add(l, s)
			p.Legend.Add(fmt.Sprintf("%s, %d thread(s)", name, th), l, s)
		}
	}
	p.Y.Max = 1.6 * top // room for the legend above the lines
	return p.Save(8*vg.Inch, 6*vg.Inch, path)
}
