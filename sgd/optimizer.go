package sgd

// Optimizer is what a learning-rate scheduler needs of an optimizer, and
// what SGD and Adam have in common: torch.optim.Optimizer's step and
// zero_grad, and the lr of its (single) parameter group.
type Optimizer interface {
	// Step updates every parameter once from its gradient: step().
	Step()
	// ZeroGrad sets every gradient to zero: zero_grad(set_to_none=False).
	ZeroGrad()
	// LR returns the learning rate the next Step uses:
	// param_groups[0]['lr'].
	LR() float64
	// SetLR sets the learning rate of the following Steps:
	// param_groups[0]['lr'] = lr. An optimizer that keeps its learning
	// rate in less precision rounds lr to it.
	SetLR(lr float64)
}

var _ Optimizer = (*SGD)(nil)

// LR returns Config.LR as a float64. SGD keeps its learning rate in
// float32, the precision its update uses (torch converts the Python float
// lr to the float32 alpha of its kernels), so LR is exactly what Step
// multiplies by.
func (s *SGD) LR() float64 { return float64(s.Config.LR) }

// SetLR sets Config.LR to lr rounded to the nearest float32, which is the
// alpha torch's float32 kernels get from a Python float lr. Like any other
// change to Config, a negative, NaN or infinite lr (or one that rounds to
// infinity) makes the next Step panic.
func (s *SGD) SetLR(lr float64) { s.Config.LR = float32(lr) }
