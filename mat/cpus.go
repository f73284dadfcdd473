package mat

import (
	"bufio"
	"bytes"
	"io/fs"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// availableCPUs returns the number of CPUs this process may run on: the
// smallest of runtime.NumCPU, the CPUs in its affinity mask and its cgroup's
// CPU quota rounded up (Linux), and at least 1. It is computed on the first
// call; a file or system call that fails only leaves its limit out.
func availableCPUs() int { return cpuCount() }

var cpuCount = sync.OnceValue(func() int {
	n := runtime.NumCPU()
	if a := affinityCPUs(); a > 0 {
		n = min(n, a)
	}
	if q := quotaCPUs(); q > 0 {
		n = min(n, q)
	}
	return max(n, 1)
})

// cgroupCPUs returns the CPU quota of the cgroup of the process that
// fsys's proc/self/cgroup describes, rounded up to whole CPUs, or 0 when
// there is none or it cannot be read. fsys is the root file system
// (os.DirFS("/") on Linux; tests pass an fstest.MapFS).
//
// The process's cgroup is its path in each hierarchy (proc/self/cgroup),
// found under the mount of that hierarchy (proc/self/mountinfo). Its quota
// is the tightest of its own and its ancestors' up to the mount: cpu.max
// ("max 100000" for none, "200000 100000" for two CPUs) under cgroup v2,
// cpu.cfs_quota_us and cpu.cfs_period_us (-1 for none) under v1. Both are
// read on a hybrid system, which mounts the cpu controller under v1.
func cgroupCPUs(fsys fs.FS) int {
	cg, err := fs.ReadFile(fsys, "proc/self/cgroup")
	if err != nil {
		return 0
	}
	mi, err := fs.ReadFile(fsys, "proc/self/mountinfo")
	if err != nil {
		return 0
	}
	v1, v2, ok1, ok2 := cgroupPaths(cg)
	m1, m2 := cgroupMounts(mi)
	best := 0
	take := func(q int) {
		if q > 0 && (best == 0 || q < best) {
			best = q
		}
	}
	if ok2 && m2.point != "" {
		for _, dir := range cgroupDirs(m2, v2) {
			if b, err := fs.ReadFile(fsys, path.Join(dir, "cpu.max")); err == nil {
				take(parseCPUMax(string(b)))
			}
		}
	}
	if ok1 && m1.point != "" {
		for _, dir := range cgroupDirs(m1, v1) {
			q, err1 := fs.ReadFile(fsys, path.Join(dir, "cpu.cfs_quota_us"))
			p, err2 := fs.ReadFile(fsys, path.Join(dir, "cpu.cfs_period_us"))
			if err1 == nil && err2 == nil {
				take(parseCFSQuota(string(q), string(p)))
			}
		}
	}
	return best
}

// parseCPUMax returns the CPUs that a cgroup v2 cpu.max file allows,
// "$MAX $PERIOD" in microseconds, rounded up; 0 for "max" or malformed
// contents.
func parseCPUMax(s string) int {
	f := strings.Fields(s)
	if len(f) != 2 || f[0] == "max" {
		return 0
	}
	return quotaOf(f[0], f[1])
}

// parseCFSQuota returns the CPUs that cgroup v1's cpu.cfs_quota_us and
// cpu.cfs_period_us allow, rounded up; 0 for a quota of -1 or malformed
// contents.
func parseCFSQuota(quota, period string) int {
	return quotaOf(strings.TrimSpace(quota), strings.TrimSpace(period))
}

// quotaOf returns ⌈quota/period⌉ for positive decimal quota and period,
// else 0.
func quotaOf(quota, period string) int {
	q, err1 := strconv.ParseInt(quota, 10, 64)
	p, err2 := strconv.ParseInt(period, 10, 64)
	if err1 != nil || err2 != nil || q <= 0 || p <= 0 {
		return 0
	}
	n := (q-1)/p + 1 // ⌈q/p⌉ without overflow
	return int(min(n, 1<<20))
}

// cgroupPaths parses proc/self/cgroup, lines of "ID:controllers:path":
// the path of the v1 hierarchy that holds the cpu controller, and the v2
// path (ID 0, no controllers).
func cgroupPaths(b []byte) (v1, v2 string, ok1, ok2 bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		id, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		ctl, p, ok := strings.Cut(rest, ":")
		if !ok {
			continue
		}
		switch {
		case id == "0" && ctl == "":
			v2, ok2 = p, true
		case hasWord(ctl, "cpu"):
			v1, ok1 = p, true
		}
	}
	return v1, v2, ok1, ok2
}

// cgroupMount is where a cgroup hierarchy is mounted: the directory of
// the hierarchy at root is mounted at point.
type cgroupMount struct{ root, point string }

// cgroupMounts parses proc/self/mountinfo for the mount of the v1
// hierarchy with the cpu controller and that of the v2 hierarchy. A line
// is "ID parent major:minor root point options [optional...] - type
// source superoptions".
func cgroupMounts(b []byte) (v1, v2 cgroupMount) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		sep := -1
		for i := 6; i < len(f); i++ {
			if f[i] == "-" {
				sep = i
				break
			}
		}
		if len(f) < 5 || sep < 0 || sep+1 >= len(f) {
			continue
		}
		m := cgroupMount{root: unescapeMount(f[3]), point: unescapeMount(f[4])}
		switch typ := f[sep+1]; {
		case typ == "cgroup2" && v2.point == "":
			v2 = m
		case typ == "cgroup" && v1.point == "" && sep+3 < len(f) && hasWord(f[sep+3], "cpu"):
			v1 = m
		}
	}
	return v1, v2
}

// cgroupDirs returns the directories, relative to the file system's root,
// of the cgroup at path p and of its ancestors within mount m, innermost
// first. A path outside the mount's root (a cgroup namespace can show one)
// stands for the mount itself.
func cgroupDirs(m cgroupMount, p string) []string {
	rel := "/"
	if r := path.Clean(m.root); r == "/" {
		rel = path.Clean("/" + p)
	} else if q := path.Clean("/" + p); q == r || strings.HasPrefix(q, r+"/") {
		rel = "/" + strings.TrimPrefix(q, r)
	}
	var dirs []string
	for {
		dirs = append(dirs, strings.TrimPrefix(path.Join(m.point, rel), "/"))
		if rel == "/" || len(dirs) == 64 {
			return dirs
		}
		rel = path.Dir(rel)
	}
}

// hasWord reports whether comma-separated list s holds w.
func hasWord(s, w string) bool {
	for f := range strings.SplitSeq(s, ",") {
		if f == w {
			return true
		}
	}
	return false
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
