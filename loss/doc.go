// Package loss holds pente's loss functions, each the counterpart of a
// PyTorch criterion with the same options and defaults:
//
//	CrossEntropy   nn.CrossEntropyLoss   weight, ignore_index, reduction, label_smoothing
//	NLL            nn.NLLLoss            weight, ignore_index, reduction
//	BCE            nn.BCELoss            weight (one per column), reduction
//	BCEWithLogits  nn.BCEWithLogitsLoss  weight, pos_weight (one per column), reduction
//	MSE            nn.MSELoss            reduction
//	L1             nn.L1Loss             reduction
//	SmoothL1       nn.SmoothL1Loss       beta, reduction
//	Huber          nn.HuberLoss          delta, reduction
//
// The options are exported fields named after PyTorch's arguments (Weight,
// IgnoreIndex, Reduction, LabelSmoothing, PosWeight, Beta, Delta); the New
// functions set PyTorch's defaults. Beta and Delta are float32, where
// PyTorch's are Python floats: a value that float32 does not hold exactly
// (0.3) is not quite torch's. The Reductions Mean, Sum and None are PyTorch's
// reduction "mean", "sum" and "none". Because a Go function returns one float32, with
// None Forward returns the sum of the per-sample losses, Losses returns
// the losses themselves, and Backward is the gradient of that sum, as
// loss.sum().backward() in PyTorch.
//
// # Forward and Backward
//
// Forward takes a batch, one sample per row of a [mat.Dense] (which may be a
// view, with Stride > Cols), and returns the loss. It computes the gradient
// at the same time, so Backward only returns it and the inputs are not
// needed afterwards. Log-softmax, logarithms and every sum are computed in
// float64 and rounded to float32 at the end: results agree with PyTorch to
// float32 rounding. The element losses and gradients of NLL, L1, SmoothL1
// and Huber are the operations PyTorch does, in float32 and in its order,
// and so its bits (but for an ulp in SmoothL1's gradient under Mean; see
// its tests).
//
// # Ownership
//
// The matrices and slices that Backward and Losses return belong to the
// loss and are overwritten by its next Forward: copy them to keep them.
// Buffers grow only when a bigger batch arrives, so at a fixed batch size
// Forward and Backward do not allocate.
//
// # Panics
//
// Forward checks everything before computing anything, and panics with a
// message that names the loss and the shapes, for example
//
//	loss.CrossEntropy: 3 targets for 4 rows of logits
//	loss.CrossEntropy: target 12 of sample 3 is out of range for 10 classes
//	loss.MSE: pred is 2×3 but target is 3×2
//
// It panics on malformed matrices, mismatched shapes, logits without
// classes, targets that are neither a class nor IgnoreIndex, a Weight whose
// length is not the number of classes (or columns), a LabelSmoothing
// outside [0, 1], BCE probabilities outside [0, 1], a negative Beta, a
// Delta that is not positive and an unknown Reduction. Backward panics if no Forward has run.
package loss
