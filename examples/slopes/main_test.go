package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os"
	"strings"
	"testing"
)

// The curves in float64, written from their formulas (curve.go's doc
// comments), not from pente.
var (
	convexX = []float64{-1, 0.5, 1, 2}
	convexT = []float64{-1.2, 1.1, 1.4, 3.2}
)

func convexLoss(w float64) (l, dl float64) {
	for i, x := range convexX {
		e := w*x - convexT[i]
		l += e * e / 4
		dl += 2 * x * e / 4
	}
	return l, dl
}

func nonConvexLoss(w float64) (l, dl float64) {
	n := 2 * math.Tanh(0.5)
	v := []float64{-0.6 / n, 0.6 / n, -0.9 / n, 0.9 / n}
	c := []float64{0.5 + 2, -0.5 + 2, 0.5 - 1.5, -0.5 - 1.5}
	y, dy := 1.0, 0.0
	for k := range v {
		t := math.Tanh(w + c[k])
		y += v[k] * t
		dy += v[k] * (1 - t*t)
	}
	return y * y, 2 * y * dy
}

// floors64 returns the minima of f in [lo, hi]: sign changes − to + of
// its derivative on a fine grid, bisected.
func floors64(f func(float64) (float64, float64), lo, hi float64) []float64 {
	var ms []float64
	const step = 1e-3
	for w := lo; w+step <= hi; w += step {
		_, a := f(w)
		_, b := f(w + step)
		if a < 0 && b >= 0 {
			l, r := w, w+step
			for range 60 {
				m := (l + r) / 2
				if _, d := f(m); d < 0 {
					l = m
				} else {
					r = m
				}
			}
			ms = append(ms, (l+r)/2)
		}
	}
	return ms
}

func TestGradientsAndSlopes(t *testing.T) {
	for _, tc := range []struct {
		c *curve
		f func(float64) (float64, float64)
	}{{convex(), convexLoss}, {nonConvex(), nonConvexLoss}} {
		for w := tc.c.lo; w <= tc.c.hi; w += 0.125 {
			l, g := tc.c.grad(float32(w))
			l64, g64 := tc.f(w)
			if math.Abs(float64(l)-l64) > 1e-6*max(1, l64) {
				t.Errorf("%s: L(%g) = %.7g, float64 %.7g", tc.c.name, w, l, l64)
			}
			if math.Abs(float64(g)-g64) > 1e-5*max(1, math.Abs(g64)) {
				t.Errorf("%s: Backward's dL/dw at %g = %.7g, float64 %.7g", tc.c.name, w, g, g64)
			}
			// The finite difference, from the float32 losses alone, agrees
			// with the derivative to the rounding of those losses,
			// 6e-8·L/h: 1e-4 for these losses.
			if s := tc.c.slope(float32(w)); math.Abs(s-g64) > 1e-4*max(1, l64) {
				t.Errorf("%s: finite-difference slope at %g = %.7g, derivative %.7g", tc.c.name, w, s, g64)
			}
		}
		want := floors64(tc.f, tc.c.lo, tc.c.hi)
		got := tc.c.minima()
		if len(got) != len(want) {
			t.Fatalf("%s: minima %v, float64 %v", tc.c.name, got, want)
		}
		for i := range want {
			if math.Abs(got[i].w-want[i]) > 1e-4 {
				t.Errorf("%s: minimum %d at %.6f, float64 %.6f", tc.c.name, i, got[i].w, want[i])
			}
		}
	}
	// The convex minimum in closed form: Σxt / Σx².
	var sxt, sxx float64
	for i, x := range convexX {
		sxt += x * convexT[i]
		sxx += x * x
	}
	if ms := convex().minima(); len(ms) != 1 || math.Abs(ms[0].w-sxt/sxx) > 1e-5 {
		t.Errorf("convex minima %v, want one at %g", ms, sxt/sxx)
	}
}

func TestDescents(t *testing.T) {
	var out bytes.Buffer
	dir := t.TempDir()
	res, err := runLesson(&out, dir)
	if err != nil {
		t.Fatal(err)
	}
	var sxt, sxx float64
	for i, x := range convexX {
		sxt += x * convexT[i]
		sxx += x * x
	}
	wstar := sxt / sxx
	nc := floors64(nonConvexLoss, -5, 5) // [local, global]
	if len(nc) != 2 {
		t.Fatalf("non-convex minima %v", nc)
	}
	type want struct {
		outcome outcome
		at      float64 // settled: the minimum
		words   string
	}
	wants := [][]want{
		{{settled, wstar, "reached the one minimum"}, {settled, wstar, "overshooting the floor"}, {diverged, 0, "overshot"}},
		{{settled, nc[0], "landed in the local minimum"}, {settled, nc[0], "landed in the local minimum"},
			{settled, nc[1], "reached the global minimum"}, {settled, nc[1], "reached the global minimum"}, {bouncing, 0, "overshot"}},
	}
	for ci, ws := range wants {
		for i, w := range ws {
			r, v := res.runs[ci][i], res.verdicts[ci][i]
			name := res.curves[ci].name
			last := float64(r.w[len(r.w)-1])
			if v.outcome != w.outcome || !strings.Contains(v.words, w.words) {
				t.Errorf("%s run %d (lr %g from %g): outcome %d %q, want %d %q", name, i+1, r.lr, r.start, v.outcome, v.words, w.outcome, w.words)
			}
			if w.outcome == settled && math.Abs(last-w.at) > 1e-3 {
				t.Errorf("%s run %d: ended at w = %.6f, the minimum is at %.6f", name, i+1, last, w.at)
			}
			if w.outcome == diverged && math.Abs(last-wstar) < 100 {
				t.Errorf("%s run %d: ended at w = %.6f, not far from the minimum", name, i+1, last)
			}
			// sgd.SGD's steps match the steps by hand within float32 rounding.
			ss, err := descendSGD(res.curves[ci], r.start, r.lr, 0, r.steps)
			if err != nil {
				t.Fatal(err)
			}
			if _, rel := maxDiff(ss, r.w); len(ss) != len(r.w) || rel > 1e-5 {
				t.Errorf("%s run %d: sgd.SGD's steps differ from those by hand by %.2g relative", name, i+1, rel)
			}
		}
	}
	if len(res.files) != 8 {
		t.Fatalf("%d pictures, want 8", len(res.files))
	}
	k := 0
	for ci := range res.runs {
		for _, r := range res.runs[ci] {
			checkSVG(t, res.files[k], r)
			k++
		}
	}
	s := out.String()
	for _, want := range []string{"dL/dw (Backward)", "zero: the floor of the deepest valley", "+-----", "picture: "} {
		if !strings.Contains(s, want) {
			t.Errorf("the output has no %q", want)
		}
	}
}

// checkSVG walks an SVG file with encoding/xml: it must be well-formed,
// an <svg> root with the curve as one polyline and a circle for each
// point of r that is drawn (all of them unless it flies off the picture).
func checkSVG(t *testing.T, name string, r *run) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]int{}
	root := ""
	depth := 0
	d := xml.NewDecoder(f)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", name, err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root = e.Name.Local
			}
			depth++
			counts[e.Name.Local]++
		case xml.EndElement:
			depth--
		}
	}
	if root != "svg" || depth != 0 || counts["polyline"] != 1 || counts["text"] < 10 {
		t.Errorf("%s: root %q, depth %d, elements %v", name, root, depth, counts)
	}
	if r != nil && counts["circle"] != len(r.w) && (r.w[len(r.w)-1] < 1e3 && r.w[len(r.w)-1] > -1e3) {
		t.Errorf("%s: %d circles for %d points", name, counts["circle"], len(r.w))
	}
}

// TestCommittedPicture checks the picture README.md shows.
func TestCommittedPicture(t *testing.T) {
	checkSVG(t, "nonconvex-1.svg", nil)
}
