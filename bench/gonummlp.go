package main

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/pente-go/pente/layer"
)

// gonumMLP is the training benchmark's network written by hand on gonum's
// BLAS, the way a gonum user who cares about speed would write it: Linear
// layers (y = x·Wᵀ + b, W out×in as in nn.Linear) with ReLU between them,
// softmax cross-entropy averaged over the batch, and SGD with momentum as
// torch.optim.SGD does it. Every buffer is allocated by newGonumMLP, so a
// step allocates nothing of its own (gonum's Sgemm starts goroutines, and
// allocates for them, when it splits a large product across GOMAXPROCS).
type gonumMLP struct {
	sizes        []int // features: input, hidden layers, classes
	batch        int
	lr, momentum float32

	// params holds every layer's weight then bias, layer after layer,
	// the order of pente's Sequential.Params; grads and velocity (the
	// momentum buffer) are laid out the same way, so that the update is
	// three BLAS calls over the whole network.
	params, grads, velocity []float32

	w, b, dw, db [][]float32 // layer l's weight, bias and their gradients: views of params and grads
	out          [][]float32 // out[l]: layer l's output, batch×sizes[l+1]: after ReLU, or the logits for the last
	dz           [][]float32 // dz[l]: dL/d(layer l's output before ReLU), batch×sizes[l+1]
	ones         []float32   // batch ones: db = dzᵀ·ones
}

// newGonumMLP returns the network with the given layer sizes for batches
// of batch samples, and zero parameters (see setParams).
func newGonumMLP(sizes []int, batch int, lr, momentum float32) *gonumMLP {
	m := &gonumMLP{sizes: sizes, batch: batch, lr: lr, momentum: momentum}
	total := 0
	for l := 1; l < len(sizes); l++ {
		total += sizes[l-1]*sizes[l] + sizes[l]
	}
	m.params = make([]float32, total)
	m.grads = make([]float32, total)
	m.velocity = make([]float32, total)
	p, g := m.params, m.grads
	for l := 1; l < len(sizes); l++ {
		in, out := sizes[l-1], sizes[l]
		m.w, m.dw = append(m.w, p[:in*out]), append(m.dw, g[:in*out])
		p, g = p[in*out:], g[in*out:]
		m.b, m.db = append(m.b, p[:out]), append(m.db, g[:out])
		p, g = p[out:], g[out:]
		m.out = append(m.out, make([]float32, batch*out))
		m.dz = append(m.dz, make([]float32, batch*out))
	}
	m.ones = make([]float32, batch)
	for i := range m.ones {
		m.ones[i] = 1
	}
	return m
}

// setParams copies pente's parameters (Sequential.Params of the same
// network: weight, bias, weight, bias…) into m.
func (m *gonumMLP) setParams(ps []*layer.Param) {
	p := m.params
	for _, q := range ps {
		if len(q.Value.Data) > len(p) {
			panic(fmt.Sprintf("gonumMLP.setParams: %s does not fit", q.Name))
		}
		p = p[copy(p, q.Value.Data):]
	}
	if len(p) != 0 {
		panic("gonumMLP.setParams: too few parameters")
	}
}

// step is one SGD step on the batch x (batch×sizes[0], row-major) with
// target classes: forward, backward, update. It returns the loss before
// the update.
func (m *gonumMLP) step(x []float32, target []int) float32 {
	loss := m.forwardBackward(x, target)
	var impl gonum.Implementation
	n := len(m.params)
	impl.Sscal(n, m.momentum, m.velocity, 1)         // v = μ·v
	impl.Saxpy(n, 1, m.grads, 1, m.velocity, 1)      // v += g (v = g at the first step: v starts at 0)
	impl.Saxpy(n, -m.lr, m.velocity, 1, m.params, 1) // θ −= γ·v
	return loss
}

// forwardBackward computes the loss of the batch and sets grads to its
// gradient (overwriting, not accumulating). The first layer's input
// gradient is not computed: training does not need it.
func (m *gonumMLP) forwardBackward(x []float32, target []int) float32 {
	var impl gonum.Implementation
	last := len(m.sizes) - 2
	in := x
	for l := 0; l <= last; l++ {
		nIn, nOut, y := m.sizes[l], m.sizes[l+1], m.out[l]
		for r := range m.batch { // y = b broadcast, then y += x·Wᵀ
			copy(y[r*nOut:(r+1)*nOut], m.b[l])
		}
		impl.Sgemm(blas.NoTrans, blas.Trans, m.batch, nOut, nIn, 1, in, nIn, m.w[l], nIn, 1, y, nOut)
		if l < last {
			for i, v := range y {
				y[i] = max(v, 0)
			}
		}
		in = y
	}

	loss := softmaxCrossEntropy(m.out[last], target, m.sizes[last+1], m.dz[last])

	for l := last; l >= 0; l-- {
		nIn, nOut, dz := m.sizes[l], m.sizes[l+1], m.dz[l]
		in := x
		if l > 0 {
			in = m.out[l-1]
		}
		impl.Sgemm(blas.Trans, blas.NoTrans, nOut, nIn, m.batch, 1, dz, nOut, in, nIn, 0, m.dw[l], nIn) // dW = dzᵀ·x
		impl.Sgemv(blas.Trans, m.batch, nOut, 1, dz, nOut, m.ones, 1, 0, m.db[l], 1)                    // db = dzᵀ·1
		if l > 0 {
			dx := m.dz[l-1]
			impl.Sgemm(blas.NoTrans, blas.NoTrans, m.batch, nIn, nOut, 1, dz, nOut, m.w[l], nIn, 0, dx, nIn) // dx = dz·W
			for i, h := range in {                                                                           // through ReLU
				if h <= 0 {
					dx[i] = 0
				}
			}
		}
	}
	return loss
}

// softmaxCrossEntropy returns the mean over the rows of logits (classes
// columns) of −log softmax(z)[target], and sets dz to its gradient,
// (softmax(z) − onehot(target))/rows. Exponentials and sums are float64,
// after subtracting each row's maximum.
func softmaxCrossEntropy(logits []float32, target []int, classes int, dz []float32) float32 {
	rows := len(target)
	var loss float64
	for r, y := range target {
		z, d := logits[r*classes:(r+1)*classes], dz[r*classes:(r+1)*classes]
		mx := z[0]
		for _, v := range z[1:] {
			mx = max(mx, v)
		}
		var sum float64
		for j, v := range z {
			e := math.Exp(float64(v - mx))
			d[j] = float32(e)
			sum += e
		}
		loss += math.Log(sum) - float64(z[y]-mx)
		scale := 1 / (sum * float64(rows))
		for j := range d {
			d[j] = float32(float64(d[j]) * scale)
		}
		d[y] -= float32(1 / float64(rows))
	}
	return float32(loss / float64(rows))
}
