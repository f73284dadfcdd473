// Package sgd is stochastic gradient descent with optional momentum,
// weight decay and Nesterov momentum: torch.optim.SGD, with its argument
// names and defaults, computing what PyTorch 1.13 computes
// (_single_tensor_sgd).
//
//	PyTorch: optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
//	pente:   optimizer, err := sgd.New(model.Params(), sgd.Config{LR: 0.1, Momentum: 0.9})
//
// # The update
//
// With learning rate γ (LR), momentum μ, dampening τ and weight decay λ,
// [SGD.Step] does for every parameter θ with gradient ∇ (Value and Grad):
//
//	g = −∇ if Maximize, else ∇
//	if λ ≠ 0:  g = g + λ·θ
//	if μ ≠ 0:  b = g             at the first step with μ ≠ 0 (no dampening)
//	           b = μ·b + (1−τ)·g at later ones
//	           g = g + μ·b if Nesterov, else g = b
//	θ = θ − γ·g
//
// Grad is never modified. With the default Config (only LR set) the
// update is mat.Axpy(-γ, ∇, θ), so that a Step is exactly, bit for bit,
// the manual update
//
//	for _, p := range params {
//		mat.Axpy(-lr, p.Grad.Data, p.Value.Data)
//	}
//
// With any other option the whole update is one pass of the fused kernel
// asm.Kernels.SGD, which reads θ, ∇ and b once and writes θ and b once,
// with the roundings of the passes of mat.Axpy and mat.Scal it replaces,
// one per line above (each multiply-add fused, as torch's AVX2 kernels
// fuse add with alpha). One consequence of those roundings: when γ is
// zero, θ is not touched at all (BLAS does not read x when alpha is zero),
// where PyTorch would still add 0·g and so turn θ into NaN wherever g is
// NaN or infinite; likewise b with τ = 1. The momentum buffers are updated
// at γ = 0 all the same.
//
// # Parameters in one block
//
// PyTorch's SGD has a "foreach" implementation, which updates all the
// tensors of a group with a few operations each over the whole list
// instead of a few per tensor. Here, when the parameters given to New are
// those of a model's [layer.ParamBlock], all of them in the model's order
// (model.Params() of a model made by layer.NewSequential: New asks
// [layer.BlockOf]), Step runs the update above once over the block's two
// vectors, Values and Grads, and the momentum buffers, which are always
// one block in the same order, and ZeroGrad clears the gradients with one
// call. The arithmetic on every element is the same, in the same order,
// so the results are the same bits as one parameter at a time. Any other
// list of parameters, a part of a model's or parameters laid out by hand,
// is updated one parameter at a time.
//
// The block holds the parameters only while each keeps the memory the
// model gave it. Step and ZeroGrad therefore ask [layer.ParamBlock.Intact]
// each time, which compares the address of the first element and the
// length of every Value.Data and Grad.Data with the block's (a few
// nanoseconds per parameter), and check the momentum buffers likewise; if
// a parameter has been given another Value, Grad or Data, or a momentum
// buffer other Data, since New, they go back to one parameter at a time,
// and stay correct.
//
// # Changing the configuration
//
// [SGD.Config] is the torch param_groups[0] dictionary: every Step reads
// it, so a schedule may change LR (or any other field) between steps.
// Step panics if the configuration has become invalid (see [Config.Validate]).
// A momentum buffer, once created, is kept: setting Momentum to zero
// leaves it untouched, and setting it non-zero again continues from it,
// as PyTorch does.
//
// # Ownership
//
// New keeps the *layer.Param pointers, not copies: Step writes into each
// Value, reads each Grad and [SGD.ZeroGrad] clears them. The parameters
// must keep their shapes for the optimizer's lifetime. The momentum
// buffers are allocated by the first Step that needs them; after that
// Step and ZeroGrad allocate nothing.
//
// # Saving the state
//
// *SGD is a [Stateful] optimizer: [SGD.State] returns its momentum
// buffers under the names of torch's optimizer.state_dict()
// ("0.momentum_buffer", none before the first Step with momentum), as
// views of its memory, and [SGD.SetState] restores them, checking every
// name and length before it changes anything. Package checkpoint saves
// them with the model, so that training resumes bit for bit.
//
// # Learning-rate schedules and gradient clipping
//
// [Optimizer] is what SGD (and Adam) offer a scheduler: Step, ZeroGrad,
// and the lr as a float64, LR and SetLR. [StepLR], [MultiStepLR],
// [ExponentialLR], [CosineAnnealingLR] and [LinearLR] are
// torch.optim.lr_scheduler's, computing torch's float64 lr step for step
// (see schedule.go); SGD rounds it to its float32 Config.LR, the alpha
// torch's kernels use. [ClipGradNorm] and [ClipGradValue] are
// torch.nn.utils.clip_grad_norm_ and clip_grad_value_.
//
// # Errors
//
// [New] returns an error, whose message starts with "sgd: ", for an
// invalid Config (a negative LR, Momentum or WeightDecay, any value NaN
// or infinite, Nesterov without a positive Momentum or with non-zero
// Dampening), for an empty parameter list, for a nil parameter, Value or
// Grad, for a Value and Grad of different shapes or not contiguous
// (Stride ≠ Cols, or Data of another length than Rows·Cols), and for a
// parameter listed twice or two parameters sharing memory: Step would
// update them twice. (PyTorch 1.13 raises "some parameters appear in more
// than one parameter group" for a parameter in two groups, but only warns
// about one listed twice in a group, and then steps it twice.)
//
// [SGD.Step] panics, with a message that starts with "sgd: ", if Config
// has been made invalid or a parameter has changed size since New.
//
// # Adam and AdamW
//
// [NewAdam] and [NewAdamW] are torch.optim.Adam and AdamW (amsgrad,
// maximize, weight_decay: an L2 term for Adam, decoupled θ·(1 − γλ) for
// AdamW), computing what torch 1.13's _single_tensor_adam and
// _single_tensor_adamw compute, bit for bit against Debian's torch
// (sgd/testdata/adam.json): the scalars 1 − βᵗ, γ/(1 − β1ᵗ) and √(1 − β2ᵗ)
// in float64 from the float64 [AdamConfig], then one float32 rounding per
// operation, with the multiply-adds fused as torch's kernels fuse them (see
// asm.Kernels.Adam). Step makes one pass over θ, ∇, m and v (and the
// running maximum with AMSGrad) in one assembly kernel: over a model's
// block, one call for all the parameters. [Adam.State] and
// [Adam.SetState] read and replace exp_avg, exp_avg_sq, max_exp_avg_sq and
// step under the names of torch's state_dict. A Step allocates nothing
// after the first.
package sgd
