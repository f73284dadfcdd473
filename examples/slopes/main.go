// Command slopes is the first half of the lesson: a derivative is the
// slope of the loss curve. Steep slopes give big steps, gentle ones small
// steps, and at a valley floor the derivative is zero. A convex curve has
// one valley, and gradient descent finds its floor from anywhere; a
// non-convex one has several, and the descent stops in whichever the
// start leads to. Too large a learning rate overshoots.
//
// Everything is computed by pente: two tiny models whose loss is a
// function of one weight w (a Linear fitted by MSE, convex; a network
// with a Tanh layer, non-convex). For points along each curve it prints
// the loss, the gradient Backward gives and the slope measured by finite
// differences beside it; then it runs gradient descent, w ← w − lr·dL/dw,
// by hand and with sgd.SGD, from several starts and learning rates, says
// what happened, draws each run on the terminal and writes it as an SVG
// picture:
//
//	go run ./examples/slopes                  # pictures in ./slopes-svg
//	go run ./examples/slopes -svg /tmp/slopes
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("svg", "slopes-svg", "directory for the SVG pictures, one per descent (empty: none)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "slopes: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := lesson(os.Stdout, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "slopes:", err)
		os.Exit(1)
	}
}

// descentCase is one gradient descent of the lesson.
type descentCase struct {
	start, lr float32
	steps     int
}

// The descents: on the convex curve a small learning rate, one that
// overshoots yet settles, and one too large; on the non-convex one two
// starts in each valley, then too large a learning rate.
var (
	convexRuns    = []descentCase{{-3, 0.1, 30}, {5, 0.5, 30}, {2.5, 0.7, 30}}
	nonConvexRuns = []descentCase{{-3.5, 1, 40}, {-1, 1, 40}, {0.2, 1, 40}, {3, 1, 40}, {-1, 3.5, 40}}
)

// lessonResult is what the lesson computed, for the test.
type lessonResult struct {
	curves   []*curve
	minima   [][]minimum
	runs     [][]*run
	verdicts [][]verdict
	files    []string
}

func lesson(out io.Writer, svgDir string) error {
	_, err := runLesson(out, svgDir)
	return err
}

func runLesson(out io.Writer, svgDir string) (*lessonResult, error) {
	if svgDir != "" {
		if err := os.MkdirAll(svgDir, 0o755); err != nil {
			return nil, err
		}
	}
	res := &lessonResult{}
	for ci, c := range []*curve{convex(), nonConvex()} {
		cases := convexRuns
		if ci == 1 {
			cases = nonConvexRuns
		}
		fmt.Fprintf(out, "== %s: %s ==\n", c.name, c.title)
		ms := c.minima()
		slopeTable(out, c, ms)
		var runs []*run
		var vs []verdict
		for i, dc := range cases {
			r := descend(c, dc.start, dc.lr, dc.steps)
			v := judge(c, ms, r)
			fmt.Fprintf(out, "\ngradient descent, w ← w − lr·dL/dw with lr %g from w = %g, %d steps:\n  w: %s\n",
				dc.lr, dc.start, dc.steps, pathText(r))
			writeASCII(out, c, r)
			fmt.Fprintf(out, "  → %s\n", v.words)
			ws, err := descendSGD(c, dc.start, dc.lr, 0, dc.steps)
			if err != nil {
				return nil, err
			}
			d, rel := maxDiff(ws, r.w)
			switch {
			case len(ws) != len(r.w):
				return nil, fmt.Errorf("%s, lr %g from %g: sgd.SGD ran %d steps, by hand %d", c.name, dc.lr, dc.start, len(ws)-1, len(r.w)-1)
			case d == 0:
				fmt.Fprintf(out, "  sgd.SGD(lr=%g) takes the same %d steps, to the same w = %.4f.\n", dc.lr, len(ws)-1, ws[len(ws)-1])
			default:
				fmt.Fprintf(out, "  sgd.SGD(lr=%g) takes the same %d steps, to w = %.4f: it differs from the steps by hand by %.2g at most (%.2g relative), float32 rounding (SGD rounds w − lr·g once, by hand it is rounded twice).\n",
					dc.lr, len(ws)-1, ws[len(ws)-1], d, rel)
			}
			if svgDir != "" {
				name := filepath.Join(svgDir, fmt.Sprintf("%s-%d.svg", c.name, i+1))
				if err := writeFile(name, c, ms, r, v); err != nil {
					return nil, err
				}
				fmt.Fprintf(out, "  picture: %s\n", name)
				res.files = append(res.files, name)
			}
			runs, vs = append(runs, r), append(vs, v)
		}
		fmt.Fprintln(out)
		res.curves, res.minima = append(res.curves, c), append(res.minima, ms)
		res.runs, res.verdicts = append(res.runs, runs), append(res.verdicts, vs)
	}
	return res, nil
}

// slopeTable prints the loss, Backward's gradient and the finite-difference
// slope at whole w across the curve and at its minima.
func slopeTable(out io.Writer, c *curve, ms []minimum) {
	fmt.Fprintf(out, "%8s %10s %18s %18s\n", "w", "loss L(w)", "dL/dw (Backward)", "slope (L(w±h))")
	var ws []float64
	for w := math.Ceil(c.lo); w <= c.hi; w++ {
		ws = append(ws, w)
	}
	for _, m := range ms {
		ws = append(ws, m.w)
	}
	for i, w := range ws {
		l, g := c.grad(float32(w))
		s := c.slope(float32(w))
		words := describe(float64(g))
		if i >= len(ws)-len(ms) {
			kind := "the floor of a valley"
			if len(ms) > 1 && ms[i-(len(ws)-len(ms))].global {
				kind = "the floor of the deepest valley"
			} else if len(ms) > 1 {
				kind = "the floor of a shallower valley"
			}
			words = "zero: " + kind
		}
		fmt.Fprintf(out, "%8.3f %10.4f %18.4f %18.4f   %s\n", w, l, g, s, words)
	}
	fmt.Fprintf(out, "(slope: (L(w+h) − L(w−h)) / 2h with h = 1/128, from the loss alone, no derivative)\n")
}

// describe puts a slope into words.
func describe(g float64) string {
	steep := "gentle"
	switch a := math.Abs(g); {
	case a < 1e-3:
		return "flat"
	case a > 2:
		steep = "steep"
	case a < 0.2:
		steep = "almost flat"
	}
	if g < 0 {
		return steep + ", downhill to the right: w grows"
	}
	return steep + ", downhill to the left: w shrinks"
}

// pathText lists the first steps of r and its last w.
func pathText(r *run) string {
	s := ""
	for k, w := range r.w {
		if k == 8 && len(r.w) > 10 {
			s += fmt.Sprintf(" → … → %.4g", r.w[len(r.w)-1])
			break
		}
		if k > 0 {
			s += " → "
		}
		s += fmt.Sprintf("%.4g", w)
	}
	return s
}

// maxDiff returns the largest difference between a and b, absolute and
// relative to the larger magnitude.
func maxDiff(a, b []float32) (abs, rel float64) {
	for i := range min(len(a), len(b)) {
		d := math.Abs(float64(a[i]) - float64(b[i]))
		abs = max(abs, d)
		if m := max(math.Abs(float64(a[i])), math.Abs(float64(b[i]))); m > 0 {
			rel = max(rel, d/m)
		}
	}
	return abs, rel
}

func writeFile(name string, c *curve, ms []minimum, r *run, v verdict) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := writeSVG(f, c, ms, r, v); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
