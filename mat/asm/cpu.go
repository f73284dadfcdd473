package asm

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// CPU describes the processor for logs and benchmark reports: its brand,
// the features the kernels care about, and the number of logical cores.
func CPU() string {
	brand := cpuid.CPU.BrandName
	if brand == "" {
		brand = runtime.GOARCH
	}
	var feats []string
	for _, f := range []struct {
		name string
		id   cpuid.FeatureID
	}{{"AVX2", cpuid.AVX2}, {"FMA3", cpuid.FMA3}, {"AVX512F", cpuid.AVX512F}, {"ASIMD", cpuid.ASIMD}} {
		if cpuid.CPU.Supports(f.id) {
			feats = append(feats, f.name)
		}
	}
	return fmt.Sprintf("%s [%s], %d logical cores", strings.TrimSpace(brand), strings.Join(feats, " "), runtime.NumCPU())
}
