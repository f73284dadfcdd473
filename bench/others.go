package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/stat and /proc/self/stat: 100
// on every Linux architecture Go supports.
const clockTicks = 100

// cpuSample is a reading of the CPU time the whole machine has spent busy
// (everything but idle and I/O wait, steal by the hypervisor included) and
// of the time this process has used, all its threads together, and its
// children once waited for (the PyTorch script).
type cpuSample struct {
	ok         bool
	busy, self float64 // seconds
	at         time.Time
}

// sampleCPU reads /proc/stat and /proc/self/stat; ok is false where they
// cannot be read (other systems than Linux).
func sampleCPU() cpuSample {
	s := cpuSample{at: time.Now()}
	stat, err1 := os.ReadFile("/proc/stat")
	self, err2 := os.ReadFile("/proc/self/stat")
	if err1 != nil || err2 != nil {
		return s
	}
	// cpu  user nice system idle iowait irq softirq steal guest guest_nice
	line, _, _ := strings.Cut(string(stat), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return s
	}
	var busy float64
	for i, v := range f[1:9] {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return s
		}
		if i != 3 && i != 4 { // not idle, not iowait
			busy += n
		}
	}
	// pid (comm) state … utime stime cutime cstime: fields 14 to 17,
	// counted after the command name, which may hold spaces.
	i := strings.LastIndexByte(string(self), ')')
	if i < 0 {
		return s
	}
	g := strings.Fields(string(self)[i+1:])
	if len(g) < 15 {
		return s
	}
	var own float64
	for _, v := range g[11:15] {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return s
		}
		own += n
	}
	s.ok, s.busy, s.self = true, busy/clockTicks, own/clockTicks
	return s
}

// othersSince returns how many cores other processes (and the hypervisor)
// kept busy, on average, from s until now: a row whose threads use every
// core is skewed when it is well above zero. It returns -1 when unknown.
func othersSince(s cpuSample) float64 {
	now := sampleCPU()
	wall := now.at.Sub(s.at).Seconds()
	if !s.ok || !now.ok || wall <= 0 {
		return -1
	}
	return max(0, (now.busy-s.busy)-(now.self-s.self)) / wall
}

// othersColumn is the last column of every table: othersSince the row
// started.
var othersColumn = column{title: "others"}

// fmtOthers formats othersSince's result.
func fmtOthers(v float64) string {
	if v < 0 {
		return "?"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
