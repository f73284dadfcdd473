// Package layer is pente's torch.nn: the layers of a multilayer perceptron,
// their backpropagation, and PyTorch's random initialisation, bit for bit.
//
// # What mirrors what
//
//	layer.NewLinear(in, out, g)   nn.Linear(in, out)         y = x·Wᵀ + b
//	layer.NewReLU()               nn.ReLU()                  y = max(x, 0)
//	layer.NewSigmoid()            nn.Sigmoid()               y = 1/(1 + e⁻ˣ)
//	layer.NewTanh()               nn.Tanh()                  y = tanh x
//	layer.NewLeakyReLU(s)         nn.LeakyReLU(s)            y = x if x > 0, else s·x
//	layer.NewGELU("none")         nn.GELU()                  y = x·Φ(x) (erf); "tanh": its tanh form
//	layer.NewSiLU()               nn.SiLU()                  y = x·σ(x)
//	layer.NewSoftmax()            nn.Softmax(dim=1)          y = eˣ/Σ eˣ over each row
//	layer.NewLogSoftmax()         nn.LogSoftmax(dim=1)       y = x − log Σ eˣ over each row
//	layer.NewDropout(p, g)        nn.Dropout(p)              Forward: mask·x/(1−p); Predict: x
//	layer.NewSequential(ls...)    nn.Sequential(*ls)
//	layer.ManualSeed(s)           torch.manual_seed(s)
//	g.Randperm(n)                 torch.randperm(n, generator=g)
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
// [NewSequential] moves the parameters of its layers into the model's
// [ParamBlock]: the Value.Data of every parameter, in the order of Params,
// are consecutive pieces of one []float32, and the Grad.Data consecutive
// pieces of another, at the same offsets. The model hands the block to an
// optimiser through [Sequential.ParamBlock], or [BlockOf] for its Params
// list; the optimiser can then update the whole model with a few long
// vector operations instead of a few short ones per parameter (PyTorch's
// "foreach" implementations, which sgd.New uses for model.Params()).
//
// Each Param keeps its Value and Grad matrices and their shapes, and the
// values and gradients are copied; only the Data slices change. A slice of
// a parameter's Data taken before NewSequential no longer aliases the
// parameter: take it from the model. Each Data has no capacity beyond its
// length, so an append copies it instead of running into the next
// parameter. The block holds the parameters as long as each keeps the Data
// NewSequential gave it: give a Param another Value, Grad or Data slice and
// [ParamBlock.Intact] reports false, as do ParamBlock and BlockOf, and an
// optimiser goes back to one parameter at a time. A model has no block if
// a parameter is not contiguous or shares memory with another (tied
// weights); a Sequential nested in another has none of its own, its
// parameters being in the outer one's.
//
// # Saving and loading
//
// [SaveFile] writes a model's parameters as a safetensors file, torch's
// state_dict: named as named_parameters names them, in torch's shapes
// ([Param.Shape]: a Linear's weight [out, in], its bias [out], which pente
// holds as 1×out), F32, atomically. [LoadFile] reads such a file, or one
// that PyTorch wrote, into a model of the same architecture, strict as
// load_state_dict and all or nothing:
//
//	PyTorch: torch.save(model.state_dict(), "model.pt")   or save_file(model.state_dict(), "model.safetensors")
//	pente:   err := layer.LoadFile("model.safetensors", model)
//
// The format is told by the content; the file formats themselves are
// packages safetensors' and torchfile's: this package maps
// names to parameters ([StateDict], [LoadStateDict]).
//
// # Panics
//
// Inputs are checked before any arithmetic, with messages that name the
// layer, the operand and what is wrong with it: every Forward, Backward and
// Predict checks x, dy and a non-nil dst with mat.Dense.Check, then their
// shapes.
//
//	layer.ReLU: input is 3×2 with stride 0 < 2 columns
//	layer.Linear(16→8): input has 15 columns, want 16
//	layer.Linear(16→8): gradient is nil
//	layer.Linear(16→8): gradient is 3×8, want 2×8 (the output of the last Forward)
//	layer.ReLU: Backward before Forward
//	layer.Sequential: Predict: dst is 2×3 with stride 2 < 3 columns
//
// Predict panics, like torch's "some elements of the input tensor and the
// written-to tensor refer to a single memory location", if dst shares
// memory with x ([mat.Overlap]); an activation, computed element by
// element, accepts dst = x itself and works in place.
//
// [NewSequential] panics for a nil layer, a nil parameter, a parameter
// with a nil Value or Grad, and for one layer at two places (see there).
package layer
