package mat

import (
	"runtime"
	"testing"
	"testing/fstest"
)

// TestCgroupCPUs reads CPU quotas from sample cgroup file systems.
func TestCgroupCPUs(t *testing.T) {
	const (
		mountV2 = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
		mountV1 = "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n" +
			"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
			"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
		cgV1 = "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n0::/docker/abc\n"
	)
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for _, tc := range []struct {
		name string
		fs   fstest.MapFS
		want int
	}{
		{"v2 in a namespace, two CPUs", fstest.MapFS{
			"proc/self/cgroup":       file("0::/\n"),
			"proc/self/mountinfo":    file(mountV2),
			"sys/fs/cgroup/cpu.max":  file("200000 100000\n"),
			"sys/fs/cgroup/cpu.stat": file("usage_usec 0\n"),
		}, 2},
		{"v2, no limit", fstest.MapFS{
			"proc/self/cgroup":      file("0::/\n"),
			"proc/self/mountinfo":   file(mountV2),
			"sys/fs/cgroup/cpu.max": file("max 100000\n"),
		}, 0},
		{"v2, 1.5 CPUs rounded up", fstest.MapFS{
			"proc/self/cgroup":      file("0::/\n"),
			"proc/self/mountinfo":   file(mountV2),
			"sys/fs/cgroup/cpu.max": file("150000 100000\n"),
		}, 2},
		{"v2, a parent's limit is tighter", fstest.MapFS{
			"proc/self/cgroup":                           file("0::/user.slice/app.scope\n"),
			"proc/self/mountinfo":                        file(mountV2),
			"sys/fs/cgroup/user.slice/app.scope/cpu.max": file("max 100000\n"),
			"sys/fs/cgroup/user.slice/cpu.max":           file("50000 100000\n"),
		}, 1},
		{"v2, the mount's root is the cgroup", fstest.MapFS{
			"proc/self/cgroup":      file("0::/kubepods/pod1/c1\n"),
			"proc/self/mountinfo":   file("30 23 0:26 /kubepods/pod1/c1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"),
			"sys/fs/cgroup/cpu.max": file("400000 100000\n"),
		}, 4},
		{"v1 cpu,cpuacct", fstest.MapFS{
			"proc/self/cgroup":    file(cgV1),
			"proc/self/mountinfo": file(mountV1),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us":  file("300000\n"),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": file("100000\n"),
		}, 3},
		{"v1, no quota", fstest.MapFS{
			"proc/self/cgroup":    file(cgV1),
			"proc/self/mountinfo": file(mountV1),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us":  file("-1\n"),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": file("100000\n"),
		}, 0},
		{"v1 and v2 both limit: the tighter", fstest.MapFS{
			"proc/self/cgroup":    file(cgV1),
			"proc/self/mountinfo": file(mountV1),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us":  file("300000\n"),
			"sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": file("100000\n"),
			"sys/fs/cgroup/unified/docker/abc/cpu.max":               file("100000 100000"),
		}, 1},
		{"no mountinfo", fstest.MapFS{
			"proc/self/cgroup":      file("0::/\n"),
			"sys/fs/cgroup/cpu.max": file("200000 100000\n"),
		}, 0},
		{"no cgroup file", fstest.MapFS{}, 0},
		{"malformed", fstest.MapFS{
			"proc/self/cgroup":      file("garbage\n0::\n"),
			"proc/self/mountinfo":   file("1 2 3\n30 23 0:26 / /sys/fs/cgroup rw - cgroup2\n"),
			"sys/fs/cgroup/cpu.max": file("lots 100000\n"),
		}, 0},
	} {
		if got := cgroupCPUs(tc.fs); got != tc.want {
			t.Errorf("%s: cgroupCPUs = %d, want %d", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"max 100000", 0}, {"100000 100000", 1}, {"100001 100000", 2}, {"1 100000", 1},
		{"0 100000", 0}, {"-5 100000", 0}, {"100000 0", 0}, {"100000", 0}, {"", 0},
		{"9223372036854775807 1", 1 << 20}, {"200000 100000 7", 0},
	} {
		if got := parseCPUMax(tc.s); got != tc.want {
			t.Errorf("parseCPUMax(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
	if got := parseCFSQuota("250000\n", "100000\n"); got != 3 {
		t.Errorf("parseCFSQuota(250000, 100000) = %d, want 3", got)
	}
	if got := unescapeMount(`/mnt/a\040b\`); got != `/mnt/a b\` {
		t.Errorf("unescapeMount = %q", got)
	}
	if n := availableCPUs(); n < 1 || n > runtime.NumCPU() {
		t.Errorf("availableCPUs() = %d, NumCPU %d", n, runtime.NumCPU())
	}
	t.Logf("availableCPUs() = %d of %d", availableCPUs(), runtime.NumCPU())
}
