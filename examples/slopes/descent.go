package main

import (
	"fmt"
	"math"

	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/sgd"
)

// run is one gradient descent on a curve: its start, learning rate and
// the points it visited.
type run struct {
	start, lr float32
	steps     int
	w, loss   []float32 // w₀ = start, w₁, …, and L at each
}

// descend runs steps of w ← w − lr·dL/dw from start, the update written
// out by hand: w.data -= lr * w.grad.
func descend(c *curve, start, lr float32, steps int) *run {
	r := &run{start: start, lr: lr, steps: steps}
	w := start
	for k := 0; ; k++ {
		l, g := c.grad(w)
		r.w, r.loss = append(r.w, w), append(r.loss, l)
		if k == steps || !finite(w) || !finite(l) || math.Abs(float64(w)) > 1e6 {
			return r
		}
		w -= lr * g
	}
}

// descendSGD runs the same descent with sgd.SGD on the one weight:
// optimizer = optim.SGD([w], lr=lr, momentum=momentum), then
// zero_grad, backward and step, steps times. It returns w after each step.
func descendSGD(c *curve, start, lr, momentum float32, steps int) ([]float32, error) {
	c.w.Value.Data[0] = start
	opt, err := sgd.New([]*layer.Param{c.w}, sgd.Config{LR: lr, Momentum: momentum})
	if err != nil {
		return nil, err
	}
	ws := []float32{start}
	for range steps {
		opt.ZeroGrad()                                      // optimizer.zero_grad()
		c.criterion.Forward(c.model.Forward(c.x), c.target) // loss = criterion(model(x), target)
		c.model.Backward(c.criterion.Backward())            // loss.backward()
		opt.Step()                                          // optimizer.step()
		ws = append(ws, c.w.Value.Data[0])                  // w.item()
		if w := c.w.Value.Data[0]; !finite(w) || math.Abs(float64(w)) > 1e6 {
			break
		}
	}
	return ws, nil
}

// outcome is what became of a descent.
type outcome int

const (
	settled  outcome = iota // at a valley floor
	diverged                // every step further from the floor, the loss growing
	bouncing                // it jumps across the floor without settling
	underway                // still walking down to the floor
)

// verdict says, in plain words, what a run did on a curve with these
// minima.
type verdict struct {
	outcome outcome
	min     *minimum // the floor reached, when settled
	zigzag  bool     // settled, overshooting the floor at most steps
	words   string
}

// judge tells what r did. It has settled when its last step moved w by
// less than 1e-4 and the gradient there is almost zero, at the minimum
// nearest w; it has diverged when its distance from the nearest floor
// grew at every one of its last five steps.
func judge(c *curve, ms []minimum, r *run) verdict {
	n := len(r.w) - 1
	last := r.w[n]
	near := nearest(ms, float64(last))
	growing := n >= 5
	for k := n - 4; k <= n && growing; k++ {
		if k < 1 || math.Abs(float64(r.w[k])-near.w) <= math.Abs(float64(r.w[k-1])-near.w) {
			growing = false
		}
	}
	if !finite(last) || math.Abs(float64(last)) > 1e6 || (growing && r.loss[n] > r.loss[0]) {
		return verdict{outcome: diverged, words: fmt.Sprintf(
			"overshot: lr %g is too large. Every step jumped past the valley floor and landed higher up the other wall, so the loss grew from %.3g to %.3g.",
			r.lr, r.loss[0], r.loss[n])}
	}
	_, g := c.grad(last)
	if math.Abs(float64(last-r.w[n-1])) < 1e-4 && math.Abs(float64(g)) < 1e-3 && math.Abs(float64(last)-near.w) < 1e-2 {
		v := verdict{outcome: settled, min: near}
		crossings := 0
		for k := 1; k <= n; k++ {
			if (float64(r.w[k])-near.w)*(float64(r.w[k-1])-near.w) < 0 {
				crossings++
			}
		}
		v.zigzag = crossings > n/4
		how := fmt.Sprintf("in %d steps", firstWithin(r, near.w, 1e-3))
		if v.zigzag {
			how += ", overshooting the floor at every step but by less each time"
		}
		switch {
		case len(ms) == 1:
			v.words = fmt.Sprintf("reached the one minimum, w = %.3f (loss %.4f), %s.", near.w, near.loss, how)
		case near.global:
			v.words = fmt.Sprintf("reached the global minimum, w = %.3f (loss %.4f), %s.", near.w, near.loss, how)
		default:
			g := globalOf(ms)
			v.words = fmt.Sprintf("landed in the local minimum w = %.3f (loss %.4f), %s, not in the deeper valley at w = %.3f (loss %.4f): from this start every slope leads down into this valley, and at its floor the slope is zero, so the descent stops there.",
				near.w, near.loss, how, g.w, g.loss)
		}
		return v
	}
	crossings := 0
	for k := n/2 + 1; k <= n; k++ {
		if (float64(r.w[k])-near.w)*(float64(r.w[k-1])-near.w) < 0 {
			crossings++
		}
	}
	if crossings < (n-n/2)/2 {
		return verdict{outcome: underway, min: near, words: fmt.Sprintf(
			"not there yet: after %d steps w = %.4f is still walking down to the floor at w = %.3f. Near a floor the slope is gentle, so the steps are small: more steps, or a larger lr, would get there.",
			n, last, near.w)}
	}
	lo, hi := r.loss[n/2], r.loss[n/2]
	for _, l := range r.loss[n/2:] {
		lo, hi = min(lo, l), max(hi, l)
	}
	return verdict{outcome: bouncing, words: fmt.Sprintf(
		"overshot: lr %g is too large for this valley. Each step jumps across the floor to the other wall, and after %d steps it still bounces between losses %.3f and %.3f without settling.",
		r.lr, n, lo, hi)}
}

// firstWithin returns the first step after which w stays within tol of m.
func firstWithin(r *run, m, tol float64) int {
	k := len(r.w) - 1
	for k > 0 && math.Abs(float64(r.w[k-1])-m) < tol {
		k--
	}
	return k
}

func nearest(ms []minimum, w float64) *minimum {
	best := &ms[0]
	for i := range ms {
		if math.Abs(ms[i].w-w) < math.Abs(best.w-w) {
			best = &ms[i]
		}
	}
	return best
}

func globalOf(ms []minimum) *minimum {
	for i := range ms {
		if ms[i].global {
			return &ms[i]
		}
	}
	return &ms[0]
}

func finite(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }
