package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// The picture's size and margins, in SVG user units (pixels).
const (
	svgWidth, svgHeight         = 720, 500
	marginLeft, marginRight     = 64, 24
	marginTop, marginBottom     = 100, 68
	plotWidth, plotHeight       = svgWidth - marginLeft - marginRight, svgHeight - marginTop - marginBottom
	curvePoints                 = 400
	pathColor, curveColor, grey = "#d9480f", "#1c7ed6", "#868e96"
)

// frame maps (w, loss) to the picture.
type frame struct{ lo, hi, bottom, top float64 }

func (f frame) x(w float64) float64 {
	return marginLeft + (w-f.lo)/(f.hi-f.lo)*plotWidth
}

func (f frame) y(l float64) float64 {
	return marginTop + (f.top-l)/(f.top-f.bottom)*plotHeight
}

// writeSVG draws c, its minima and the run r with its verdict: the curve
// as a line, each step of the descent as a point on the curve and an
// arrow to the next. Points outside the frame are clipped.
func writeSVG(out io.Writer, c *curve, ms []minimum, r *run, v verdict) error {
	ws := make([]float64, curvePoints+1)
	ls := make([]float64, curvePoints+1)
	top := 0.0
	for i := range ws {
		ws[i] = c.lo + (c.hi-c.lo)*float64(i)/curvePoints
		ls[i] = float64(c.loss(float32(ws[i])))
		top = max(top, ls[i])
	}
	f := frame{lo: c.lo, hi: c.hi, bottom: 0, top: roundTop(top * 1.05)}

	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="13">`+"\n",
		svgWidth, svgHeight, svgWidth, svgHeight)
	p(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`, pathColor)
	p(`<clipPath id="plot"><rect x="%d" y="%d" width="%d" height="%d"/></clipPath></defs>`+"\n", marginLeft, marginTop, plotWidth, plotHeight)
	p(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	p(`<text x="%d" y="22" font-size="16" font-weight="bold">%s: lr %g from w = %g</text>`+"\n", marginLeft, esc(c.title), r.lr, r.start)
	for i, line := range wrap(v.words, 96) {
		p(`<text x="%d" y="%d" fill="#343a40">%s</text>`+"\n", marginLeft, 42+16*i, esc(line))
	}

	// Axes, ticks and grid.
	p(`<g stroke="%s" stroke-width="1">`, "#dee2e6")
	for w := math.Ceil(c.lo); w <= c.hi; w++ {
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`, f.x(w), marginTop, f.x(w), marginTop+plotHeight)
	}
	ticks := lossTicks(f.top)
	for _, l := range ticks {
		p(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, marginLeft, f.y(l), marginLeft+plotWidth, f.y(l))
	}
	p("</g>\n")
	p(`<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="%s"/>`+"\n", marginLeft, marginTop, plotWidth, plotHeight, grey)
	p(`<g fill="#495057" text-anchor="middle">`)
	for w := math.Ceil(c.lo); w <= c.hi; w++ {
		p(`<text x="%.1f" y="%d">%g</text>`, f.x(w), marginTop+plotHeight+18, w)
	}
	p(`<text x="%d" y="%d" text-anchor="end">weight w</text>`, marginLeft+plotWidth, svgHeight-4)
	p("</g>\n")
	p(`<g fill="#495057" text-anchor="end">`)
	for _, l := range ticks {
		p(`<text x="%d" y="%.1f">%g</text>`, marginLeft-6, f.y(l)+4, l)
	}
	p("</g>\n")
	p(`<text transform="translate(16 %d) rotate(-90)" text-anchor="middle" fill="#495057">loss L(w)</text>`+"\n", marginTop+plotHeight/2)

	// The curve.
	p(`<polyline fill="none" stroke="%s" stroke-width="2.5" points="`, curveColor)
	for i := range ws {
		p("%.1f,%.1f ", f.x(ws[i]), f.y(ls[i]))
	}
	p(`"/>` + "\n")

	// The minima.
	for _, m := range ms {
		kind := "local minimum"
		switch {
		case len(ms) == 1:
			kind = "minimum"
		case m.global:
			kind = "global minimum"
		}
		x, y := f.x(m.w), f.y(m.loss)
		p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%d" stroke="%s" stroke-dasharray="3 3"/>`, x, y, x, marginTop+plotHeight, curveColor)
		p(`<path d="M%.1f,%d l-5,9 h10 z" fill="%s"/>`, x, marginTop+plotHeight+24, curveColor)
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="%s">%s, w = %.3f</text>`+"\n",
			x, marginTop+plotHeight+46, curveColor, kind, m.w)
	}

	// The descent: arrows from point to point, then the points.
	p(`<g clip-path="url(#plot)">` + "\n")
	p(`<g stroke="%s" stroke-width="1.6" marker-end="url(#arrow)">`, pathColor)
	for k := 1; k < len(r.w); k++ {
		x0, y0 := f.x(float64(r.w[k-1])), f.y(float64(r.loss[k-1]))
		x1, y1 := f.x(float64(r.w[k])), f.y(float64(r.loss[k]))
		d := math.Hypot(x1-x0, y1-y0)
		if d < 9 || !finiteAll(x0, y0, x1, y1) {
			continue // too short for an arrow: the point says it
		}
		// Stop the arrow at the next point's edge.
		s := (d - 4.5) / d
		p(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x0, y0, x0+s*(x1-x0), y0+s*(y1-y0))
	}
	p("</g>\n")
	for k := range r.w {
		x, y := f.x(float64(r.w[k])), f.y(float64(r.loss[k]))
		if !finiteAll(x, y) {
			break
		}
		fill := pathColor
		if k == 0 {
			fill = "white"
		}
		p(`<circle cx="%.1f" cy="%.1f" r="4" fill="%s" stroke="%s" stroke-width="1.5"/>`, x, y, fill, pathColor)
	}
	p("\n</g>\n")
	x0, y0 := f.x(float64(r.start)), f.y(float64(r.loss[0]))
	anchor, dx := "start", 8.0
	if x0 > marginLeft+plotWidth*0.8 {
		anchor, dx = "end", -8
	}
	p(`<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s" font-weight="bold">start</text>`+"\n", x0+dx, y0-8, anchor, pathColor)
	p("</svg>\n")
	_, err := io.WriteString(out, b.String())
	return err
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= v {
			return m * e
		}
	}
	return 10 * e
}

// roundTop rounds v up to a whole number of lossTicks' steps.
func roundTop(v float64) float64 {
	step := niceCeil(v / 8)
	return math.Ceil(v/step) * step
}

// lossTicks returns round values from 0 to top, at most nine.
func lossTicks(top float64) []float64 {
	step := niceCeil(top / 8)
	var t []float64
	for i := 0; float64(i)*step <= top*(1+1e-9); i++ {
		t = append(t, math.Round(float64(i)*step*1e6)/1e6)
	}
	return t
}

// wrap breaks s into lines of at most n characters at spaces.
func wrap(s string, n int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > n {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}

func esc(s string) string { return html.EscapeString(s) }

func finiteAll(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e7 {
			return false
		}
	}
	return true
}
