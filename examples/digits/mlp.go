package main

import (
	"math"
	"math/rand/v2"

	"github.com/pente-go/pente/mat"
)

// mlp is a multilayer perceptron with ReLU between its linear layers and a
// softmax cross-entropy loss, trained by SGD with momentum, written directly
// on package mat: every product is a mat.Gemm, every update a mat.Axpy.
type mlp struct {
	layers []*linear
	probs  *mat.Dense // softmax of the last layer's output
}

// linear is y = x·Wᵀ + b, with W out×in as in PyTorch's nn.Linear, its
// gradients, momentum buffers and the activations of the current batch.
type linear struct {
	w, dw, vw *mat.Dense
	b, db, vb []float32
	x         *mat.Dense // input of the current batch (not owned)
	z, dz     *mat.Dense // pre-activation and its gradient, maxBatch rows
	out       *mat.Dense // ReLU(z) for hidden layers, maxBatch rows
	din       *mat.Dense // gradient of the input, maxBatch rows
}

func newMLP(sizes []int, maxBatch int, r *rand.Rand) *mlp {
	m := &mlp{probs: mat.NewDense(maxBatch, sizes[len(sizes)-1], nil)}
	for i := 1; i < len(sizes); i++ {
		in, out := sizes[i-1], sizes[i]
		l := &linear{
			w: mat.NewDense(out, in, nil), dw: mat.NewDense(out, in, nil), vw: mat.NewDense(out, in, nil),
			b: make([]float32, out), db: make([]float32, out), vb: make([]float32, out),
			z: mat.NewDense(maxBatch, out, nil), dz: mat.NewDense(maxBatch, out, nil),
			out: mat.NewDense(maxBatch, out, nil), din: mat.NewDense(maxBatch, in, nil),
		}
		// PyTorch's default: uniform in ±1/√in.
		bound := float32(1 / math.Sqrt(float64(in)))
		for j := range l.w.Data {
			l.w.Data[j] = bound * (2*r.Float32() - 1)
		}
		for j := range l.b {
			l.b[j] = bound * (2*r.Float32() - 1)
		}
		m.layers = append(m.layers, l)
	}
	return m
}

// forward returns the class probabilities of the rows of x: a view of
// m.probs, valid until the next call.
func (m *mlp) forward(x *mat.Dense) *mat.Dense {
	n := x.Rows
	for i, l := range m.layers {
		l.x = x
		z := l.z.Slice(0, n, 0, l.z.Cols)
		mat.Gemm(mat.NoTrans, mat.Trans, 1, x, l.w, 0, z) // z = x·Wᵀ
		for r := 0; r < n; r++ {
			mat.Axpy(1, l.b, z.Row(r)) // z += b
		}
		if i == len(m.layers)-1 {
			break
		}
		x = l.out.Slice(0, n, 0, l.out.Cols)
		for r := 0; r < n; r++ {
			zr, xr := z.Row(r), x.Row(r)
			for j, v := range zr {
				xr[j] = max(v, 0) // ReLU
			}
		}
	}
	last := m.layers[len(m.layers)-1]
	p := m.probs.Slice(0, n, 0, m.probs.Cols)
	for r := 0; r < n; r++ {
		softmax(last.z.Row(r), p.Row(r))
	}
	return p
}

// backward computes every parameter's gradient of the mean cross-entropy
// of the last forward batch against labels, and returns that loss.
func (m *mlp) backward(labels []int) float32 {
	n := len(labels)
	last := m.layers[len(m.layers)-1]
	dz := last.dz.Slice(0, n, 0, last.dz.Cols)
	var loss float64
	for r, y := range labels {
		p, d := m.probs.Row(r), dz.Row(r)
		loss -= math.Log(float64(max(p[y], 1e-30)))
		// d(mean cross-entropy)/dz = (softmax(z) − onehot(y)) / n
		for j, v := range p {
			d[j] = v / float32(n)
		}
		d[y] -= 1 / float32(n)
	}
	for i := len(m.layers) - 1; i >= 0; i-- {
		l := m.layers[i]
		dz := l.dz.Slice(0, n, 0, l.dz.Cols)
		mat.Gemm(mat.Trans, mat.NoTrans, 1, dz, l.x, 0, l.dw) // dW = dzᵀ·x
		clear(l.db)
		for r := 0; r < n; r++ {
			mat.Axpy(1, dz.Row(r), l.db) // db = Σ rows of dz
		}
		if i == 0 {
			break // the input's gradient is not needed
		}
		prev := m.layers[i-1]
		din := l.din.Slice(0, n, 0, l.din.Cols)
		mat.Gemm(mat.NoTrans, mat.NoTrans, 1, dz, l.w, 0, din) // dx = dz·W
		pdz := prev.dz.Slice(0, n, 0, prev.dz.Cols)
		for r := 0; r < n; r++ {
			zr, gr, dr := prev.z.Row(r), din.Row(r), pdz.Row(r)
			for j, v := range zr {
				if v > 0 { // ReLU'
					dr[j] = gr[j]
				} else {
					dr[j] = 0
				}
			}
		}
	}
	return float32(loss / float64(n))
}

// step is SGD with momentum as PyTorch does it without dampening:
// v = momentum·v + g; θ −= lr·v.
func (m *mlp) step(lr, momentum float32) {
	for _, l := range m.layers {
		for _, p := range [][3][]float32{{l.w.Data, l.dw.Data, l.vw.Data}, {l.b, l.db, l.vb}} {
			theta, g, v := p[0], p[1], p[2]
			mat.Scal(momentum, v)
			mat.Axpy(1, g, v)
			mat.Axpy(-lr, v, theta)
		}
	}
}

// softmax writes the softmax of z to p, stably: exp(z − max z) / Σ.
func softmax(z, p []float32) {
	hi := z[0]
	for _, v := range z {
		hi = max(hi, v)
	}
	var sum float32
	for j, v := range z {
		p[j] = float32(math.Exp(float64(v - hi)))
		sum += p[j]
	}
	mat.Scal(1/sum, p)
}

// argmax returns the index of the largest element of p.
func argmax(p []float32) int {
	best := 0
	for j, v := range p {
		if v > p[best] {
			best = j
		}
	}
	return best
}
