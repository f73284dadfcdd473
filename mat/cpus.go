package mat

import "runtime"

// availableCPUs returns the number of CPUs this process may run on.
func availableCPUs() int { return runtime.NumCPU() }
