package mat

import (
	"os"

	"golang.org/x/sys/unix"
)

// affinityCPUs returns the number of CPUs in this process's affinity mask,
// or 0 if it cannot be read.
func affinityCPUs() int {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) != nil {
		return 0
	}
	return set.Count()
}

// quotaCPUs returns the CPU quota of this process's cgroup, rounded up, or
// 0 for none.
func quotaCPUs() int { return cgroupCPUs(os.DirFS("/")) }
