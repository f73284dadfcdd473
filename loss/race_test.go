//go:build race

package loss_test

// raceEnabled: the race detector instruments memory accesses and may
// allocate behind them, so allocation counts mean nothing under it.
const raceEnabled = true
