package sgd

import (
	"fmt"
	"math"
)

// The learning-rate schedulers of torch.optim.lr_scheduler. Each wraps an
// Optimizer; its constructor does what torch's does (it takes the
// optimizer's lr as the initial lr and steps once, to epoch 0), and Step
// is scheduler.step(): it advances the epoch and sets the optimizer's lr
// by the chainable form of torch 1.13's get_lr, which computes the new lr
// from the current one, not from the epoch (the closed forms, which
// torch uses only for step(epoch), round differently). Call it after the
// optimizer's Step, once per epoch, as in PyTorch:
//
//	for epoch := range epochs {
//		train(optimizer) // optimizer.Step() for every batch
//		scheduler.Step() // scheduler.step()
//	}
//
// # Precision
//
// torch's group['lr'] is a Python float, a float64, and the chainable
// forms multiply it step after step; its float32 kernels then round it to
// their alpha. A scheduler here keeps that float64 lr itself, computes
// with it in float64 exactly as torch does (operation for operation, with
// nothing fused), and hands it to the optimizer with SetLR, so that an
// optimizer whose lr is a float64 (Adam) follows torch's sequence bit for
// bit, and SGD, which rounds it to its float32 Config.LR, gets torch's
// float32 alpha at every step. LR returns the float64 lr:
// get_last_lr()[0].
//
// CosineAnnealingLR calls a cosine that is correctly rounded, and torch
// calls the C library's (math.cos), which on glibc 2.36 is not always:
// once in a few thousand arguments (π·13/26, π·38/61, …) it is an ulp off,
// and from that epoch on pente's lr differs from torch's by about an ulp
// of float64 (the float32 alpha, in the fixtures, not at all). Every
// other schedule, and CosineAnnealingLR wherever glibc's cos is correctly
// rounded, gives torch's lr bit for bit.
//
// The initial lr is the optimizer's when the scheduler is made: LR() for
// an optimizer with a float64 lr. SGD's Config.LR is a float32, which for
// Config{LR: 0.1} holds 0.100000001490116…, not torch's float64 0.1, and
// starting from it would give alphas an ulp away from torch's in about one
// step in six (296 of 1680 in the fixtures). So for SGD the scheduler
// starts from the shortest decimal that rounds to Config.LR, read as a
// float64 (0.1 for Config{LR: 0.1}): torch's group['lr'] for every lr of
// at most 6 significant digits, and most of 7. (An lr with more digits,
// lr=0.123456789, is not one that float32 Config.LR can hold.)
//
// If the optimizer's lr is changed from outside between two Steps (by
// SetLR, by setting SGD's Config.LR, or by another scheduler), the next
// Step starts from the new value, read as above, as torch's chainable
// forms do.
//
// # Errors
//
// The constructors panic, with a message that starts with "sgd: ", on
// arguments torch rejects: in the constructor (LinearLR's factors outside
// [0, 1]: ValueError) or at the first step, where torch divides by zero
// (StepLR's step size 0, CosineAnnealingLR's T_max 0, LinearLR's start
// factor 0: ZeroDivisionError). pente also rejects what torch accepts but
// handles by Python's modulo of a negative divisor (a negative step size
// or T_max) and a negative total_iters, a nil optimizer and NaN or
// infinite gamma, eta_min and factors, none of which schedules anything
// meaningful.

// schedule is the state every scheduler shares: torch's _LRScheduler.
type schedule struct {
	opt   Optimizer
	base  float64 // base_lrs[0]: the optimizer's lr when the scheduler was made
	lr    float64 // param_groups[0]['lr'] as torch holds it, in float64
	seen  float64 // what opt.LR() returned after the scheduler last set lr
	epoch int     // last_epoch: -1 before the constructor's step
}

func newSchedule(what string, opt Optimizer) schedule {
	if opt == nil {
		panic("sgd: " + what + ": nil optimizer")
	}
	lr := readLR(opt)
	return schedule{opt: opt, base: lr, lr: lr, seen: opt.LR(), epoch: -1}
}

// readLR returns the optimizer's lr as torch's group['lr'] would hold it:
// LR(), or for SGD the decimal its float32 reads as.
func readLR(opt Optimizer) float64 {
	if d, ok := opt.(decimalLR); ok {
		return d.decimalLR()
	}
	return opt.LR()
}

// current advances the epoch and returns group['lr']: the scheduler's own
// float64 lr, unless the optimizer's has been changed since the scheduler
// set it.
func (s *schedule) current() float64 {
	s.epoch++
	if got := s.opt.LR(); got != s.seen && !(math.IsNaN(got) && math.IsNaN(s.seen)) {
		s.lr = readLR(s.opt)
		s.seen = got
	}
	return s.lr
}

// set sets group['lr'] = lr.
func (s *schedule) set(lr float64) {
	s.opt.SetLR(lr)
	s.lr = lr
	s.seen = s.opt.LR()
}

// LR returns the learning rate the scheduler last set, in float64:
// get_last_lr()[0].
func (s *schedule) LR() float64 { return s.lr }

// Epoch returns the number of Steps since the constructor: last_epoch.
func (s *schedule) Epoch() int { return s.epoch }

func checkFinite(what, name string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		panic(fmt.Sprintf("sgd: %s: %s is %v", what, name, v))
	}
}

// StepLR is torch.optim.lr_scheduler.StepLR: it multiplies the lr by gamma
// every stepSize epochs.
type StepLR struct {
	schedule
	stepSize int
	gamma    float64
}

// NewStepLR returns a StepLR of opt: StepLR(optimizer, step_size, gamma)
// (torch's default gamma is 0.1). It panics if opt is nil, stepSize is
// not positive or gamma is NaN or infinite.
func NewStepLR(opt Optimizer, stepSize int, gamma float64) *StepLR {
	if stepSize <= 0 {
		panic(fmt.Sprintf("sgd: StepLR: step_size %d is not positive", stepSize))
	}
	checkFinite("StepLR", "gamma", gamma)
	s := &StepLR{schedule: newSchedule("StepLR", opt), stepSize: stepSize, gamma: gamma}
	s.Step()
	return s
}

// Step advances one epoch: lr·gamma if the epoch is a positive multiple
// of stepSize, lr otherwise.
func (s *StepLR) Step() {
	lr := s.current()
	if s.epoch != 0 && s.epoch%s.stepSize == 0 {
		lr *= s.gamma
	}
	s.set(lr)
}

// MultiStepLR is torch.optim.lr_scheduler.MultiStepLR: it multiplies the
// lr by gamma at each milestone, by gamma^k at an epoch listed k times.
type MultiStepLR struct {
	schedule
	milestones map[int]int // epoch → how many times it is listed (torch's Counter)
	gamma      float64
}

// NewMultiStepLR returns a MultiStepLR of opt: MultiStepLR(optimizer,
// milestones, gamma) (torch's default gamma is 0.1). The milestones are
// epochs, in any order, each counted as often as it is listed, as torch
// counts them. It panics if opt is nil or gamma is NaN or infinite.
func NewMultiStepLR(opt Optimizer, milestones []int, gamma float64) *MultiStepLR {
	checkFinite("MultiStepLR", "gamma", gamma)
	s := &MultiStepLR{schedule: newSchedule("MultiStepLR", opt), milestones: make(map[int]int, len(milestones)), gamma: gamma}
	for _, m := range milestones {
		s.milestones[m]++
	}
	s.Step()
	return s
}

// Step advances one epoch: lr·gamma^k if the epoch is listed k times
// among the milestones, lr otherwise.
func (s *MultiStepLR) Step() {
	lr := s.current()
	if k := s.milestones[s.epoch]; k > 0 {
		lr *= powInt(s.gamma, int64(k))
	}
	s.set(lr)
}

// ExponentialLR is torch.optim.lr_scheduler.ExponentialLR: it multiplies
// the lr by gamma every epoch.
type ExponentialLR struct {
	schedule
	gamma float64
}

// NewExponentialLR returns an ExponentialLR of opt:
// ExponentialLR(optimizer, gamma). It panics if opt is nil or gamma is
// NaN or infinite.
func NewExponentialLR(opt Optimizer, gamma float64) *ExponentialLR {
	checkFinite("ExponentialLR", "gamma", gamma)
	s := &ExponentialLR{schedule: newSchedule("ExponentialLR", opt), gamma: gamma}
	s.Step()
	return s
}

// Step advances one epoch: lr·gamma (lr itself at epoch 0).
func (s *ExponentialLR) Step() {
	lr := s.current()
	if s.epoch != 0 {
		lr *= s.gamma
	}
	s.set(lr)
}

// CosineAnnealingLR is torch.optim.lr_scheduler.CosineAnnealingLR: the lr
// follows half a cosine from its initial value η_max down to η_min over
// tMax epochs, and back up over the next tMax, and so on:
//
//	η_t = η_min + ½·(η_max − η_min)·(1 + cos(π·t/T_max)),
//
// computed by torch's recurrence, which gives that only while nothing
// else changes the lr.
type CosineAnnealingLR struct {
	schedule
	tMax   int
	etaMin float64
}

// NewCosineAnnealingLR returns a CosineAnnealingLR of opt:
// CosineAnnealingLR(optimizer, T_max, eta_min) (torch's default eta_min
// is 0). It panics if opt is nil, tMax is not positive or etaMin is NaN
// or infinite.
func NewCosineAnnealingLR(opt Optimizer, tMax int, etaMin float64) *CosineAnnealingLR {
	if tMax <= 0 {
		panic(fmt.Sprintf("sgd: CosineAnnealingLR: T_max %d is not positive", tMax))
	}
	checkFinite("CosineAnnealingLR", "eta_min", etaMin)
	s := &CosineAnnealingLR{schedule: newSchedule("CosineAnnealingLR", opt), tMax: tMax, etaMin: etaMin}
	s.Step()
	return s
}

// Step advances one epoch t, with T = tMax, lr the current lr and η_max
// the initial one:
//
//	t = 0:                   lr
//	t − 1 − T ≡ 0 mod 2T:    lr + (η_max − η_min)·(1 − cos(π/T))/2
//	otherwise:               (1 + cos(π·t/T))/(1 + cos(π·(t−1)/T))·(lr − η_min) + η_min
func (s *CosineAnnealingLR) Step() {
	lr := s.current()
	t, tMax, etaMin := float64(s.epoch), float64(s.tMax), s.etaMin
	switch {
	case s.epoch == 0:
	case (s.epoch-1-s.tMax)%(2*s.tMax) == 0: // Python's % and Go's agree on whether it is 0
		lr += float64((s.base-etaMin)*float64(1-cos(math.Pi/tMax))) / 2
	default:
		r := float64(1+cos(float64(math.Pi*t)/tMax)) / float64(1+cos(float64(math.Pi*float64(t-1))/tMax))
		lr = float64(r*float64(lr-etaMin)) + etaMin
	}
	s.set(lr)
}

// LinearLR is torch.optim.lr_scheduler.LinearLR: the lr is multiplied by
// a factor that goes linearly from startFactor at epoch 0 to endFactor at
// epoch totalIters, and stays there.
type LinearLR struct {
	schedule
	start, end float64
	total      int
}

// NewLinearLR returns a LinearLR of opt: LinearLR(optimizer,
// start_factor, end_factor, total_iters) (torch's defaults are 1/3, 1 and
// 5). It panics if opt is nil, startFactor is outside (0, 1], endFactor
// outside [0, 1] or totalIters negative.
func NewLinearLR(opt Optimizer, startFactor, endFactor float64, totalIters int) *LinearLR {
	switch {
	case !(startFactor > 0 && startFactor <= 1):
		panic(fmt.Sprintf("sgd: LinearLR: start_factor %v is outside (0, 1]", startFactor))
	case !(endFactor >= 0 && endFactor <= 1):
		panic(fmt.Sprintf("sgd: LinearLR: end_factor %v is outside [0, 1]", endFactor))
	case totalIters < 0:
		panic(fmt.Sprintf("sgd: LinearLR: total_iters %d is negative", totalIters))
	}
	s := &LinearLR{schedule: newSchedule("LinearLR", opt), start: startFactor, end: endFactor, total: totalIters}
	s.Step()
	return s
}

// Step advances one epoch t, with s and e the start and end factors and
// T = totalIters:
//
//	t = 0:      lr·s
//	t > T:      lr
//	otherwise:  lr·(1 + (e − s)/(T·s + (t − 1)·(e − s)))
func (s *LinearLR) Step() {
	lr := s.current()
	switch {
	case s.epoch == 0:
		lr *= s.start
	case s.epoch > s.total:
	default:
		d := s.end - s.start
		lr *= 1 + d/(float64(float64(s.total)*s.start)+float64(float64(s.epoch-1)*d))
	}
	s.set(lr)
}
