// Package layer is pente's torch.nn: the layers of a multilayer perceptron,
// their backpropagation, and PyTorch's random initialisation, bit for bit.
//
// # What mirrors what
//
//	layer.NewLinear(in, out, g)   nn.Linear(in, out)         y = x·Wᵀ + b
//	layer.NewReLU()               nn.ReLU()                  y = max(x, 0)
//	layer.NewSigmoid()            nn.Sigmoid()               y = 1/(1 + e⁻ˣ)
//	layer.NewTanh()               nn.Tanh()                  y = tanh x
//	layer.NewSequential(ls...)    nn.Sequential(*ls)
//	layer.ManualSeed(s)           torch.manual_seed(s)
//	model.Forward(x)              model(x)
//	model.Backward(dy)            y.backward(dy)             (parameter gradients)
//	model.ZeroGrad()              model.zero_grad()
//	model.Params()                model.parameters()         names as named_parameters()
//	p.Grad                        p.grad
//	model.Predict(x, nil)         with torch.no_grad(): model(x)
//
// A batch is a [mat.Dense] with one sample per row. Backpropagation runs
// layer after layer from the last: each layer adds its parameter gradients
// (dW += dyᵀ·x, db += Σ rows of dy for a Linear) and passes dL/dx = dy·W to
// the layer before it. Gradients accumulate over Backward calls until
// ZeroGrad, as in PyTorch. A [Sequential] skips its first layer's input
// gradient, which training does not need, unless InputGrad is set.
//
// # Initialisation
//
// [ManualSeed] returns a [Generator] in the state torch.manual_seed leaves
// PyTorch's (MT19937), and [NewLinear] draws from it exactly as nn.Linear
// does, so the same seed and the same sequence of constructions give the
// same parameters as PyTorch 1.13, bit for bit.
//
// # Ownership
//
// Forward and Backward return matrices owned by the layer, reused (and
// overwritten) by its next call: copy what you keep. They keep a reference
// to their input until Backward; do not change it in between. After the
// first batch of the largest size, Forward and Backward allocate nothing.
// Predict writes into a matrix the caller gives (or allocates one) and
// keeps no state, so concurrent Predict calls are safe while the
// parameters do not change; Forward and Backward are not.
//
// # Parameter memory
//
// [NewSequential] moves the parameters of its layers into two blocks: the
// Value.Data of every parameter, in the order of Params, are consecutive
// slices of one []float32, and the Grad.Data consecutive slices of
// another. An optimiser can then update the whole model with a few long
// vector operations instead of a few short ones per parameter (PyTorch's
// "foreach" implementations, which sgd.New uses when it finds this
// layout). Each Param keeps its Value and Grad matrices and their shapes,
// and the values and gradients are copied; only the Data slices change. A
// slice of a parameter's Data taken before NewSequential no longer aliases
// the parameter: take it from the model. The capacity of each Data slice
// runs on into the next parameter's, so never append to one.
//
// # Panics
//
// Shapes are checked before any arithmetic, with messages that name the
// layer and the shapes:
//
//	layer.Linear(16→8): input has 15 columns, want 16
//	layer.Linear(16→8): gradient is 3×8, want 2×8 (the output of the last Forward)
//	layer.ReLU: Backward before Forward
package layer
