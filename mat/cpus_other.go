//go:build !linux

package mat

// affinityCPUs and quotaCPUs return 0 (no limit beyond runtime.NumCPU,
// which follows the affinity mask where the system has one) outside Linux.
func affinityCPUs() int { return 0 }

func quotaCPUs() int { return 0 }
