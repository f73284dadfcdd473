package sgd

import "strconv"

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

// decimalLR is implemented by an optimizer that keeps its learning rate
// in less precision than a float64 (SGD): it returns the float64 a
// scheduler should take for it, torch's group['lr'].
type decimalLR interface {
	decimalLR() float64
}

// decimalLR returns Config.LR read as the decimal it was most likely
// written as: the shortest decimal that rounds to Config.LR in float32,
// as a float64. For Config{LR: 0.1}, whose float32 is
// 0.100000001490116…, it is the float64 0.1, which is torch's
// group['lr'] for lr=0.1; every decimal of at most 6 significant digits
// (and most of 7) comes back as itself. Schedulers start from it (see
// schedule.go), so that pente's SGD with Config{LR: 0.1} follows torch's
// schedule for lr=0.1 bit for bit.
func (s *SGD) decimalLR() float64 {
	var buf [32]byte
	v, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], float64(s.Config.LR), 'g', -1, 32)), 64)
	if err != nil { // cannot happen: AppendFloat writes what ParseFloat reads
		return float64(s.Config.LR)
	}
	return v
}
