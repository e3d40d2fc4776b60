package hardware

import (
	"regexp"
	"strings"
)

// attachModel reads the CPU model some architectures print on the attach
// line: "cpu0 at mainbus0 mpidr 0: ARM Cortex-A72 r0p3",
// "cpu0 at mainbus0: SUNW,UltraSPARC-IIe @ 548 MHz, version 0 FPU". The
// amd64 and i386 form (": apid 0 (boot processor)") names no model.
func attachModel(rest string) string {
	i := strings.Index(rest, ": ")
	if i < 0 {
		return ""
	}
	t := rest[i+2:]
	if strings.HasPrefix(t, "apid ") || strings.HasPrefix(t, "(") || t == "" {
		return ""
	}
	return firstPart(t)
}

// firstPart cuts s at the first ", " or ": ".
func firstPart(s string) string {
	if i := strings.Index(s, ", "); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, ": "); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

var (
	speedLine = regexp.MustCompile(`^(.+?),? [0-9.]+ MHz`)
	classLine = regexp.MustCompile(`^(.+?) \([^()]*-class\)`)
)

// speedLineModel reads the model of an x86 CPU from its cpuN message:
// "Intel(R) Core(TM) i5-7360U CPU @ 2.30GHz, 2295.04 MHz, 06-8e-09", or
// the old "Intel(R) Pentium(R) 4 CPU 3.20GHz (GenuineIntel 686-class) 3.20 GHz".
func speedLineModel(msg string) (string, bool) {
	for _, p := range []string{"Enhanced SpeedStep", "AMD PowerNow", "PowerNow", "apic clock", "cpuspeed", "mwait"} {
		if strings.HasPrefix(msg, p) {
			return "", false
		}
	}
	if strings.Contains(msg, "-class)") {
		if m := classLine.FindStringSubmatch(msg); m != nil {
			return m[1], true
		}
	}
	if !strings.Contains(msg, " MHz") {
		return "", false
	}
	if m := speedLine.FindStringSubmatch(msg); m != nil && !strings.ContainsAny(m[1][:1], "0123456789") {
		return m[1], true
	}
	return "", false
}
