package hardware

import "strings"

// This file rejoins lines a terminal or a mailer wrapped.

// wrapWidth detects a dmesg hard-wrapped at a fixed column (a terminal or
// a mailer cut every longer line at 80, 100, 120 characters): the longest
// line length, when at least three lines have it and most of those are
// followed by a line that cannot start a kernel message. Otherwise 0.
func wrapWidth(lines []string) int {
	width, count := 0, 0
	for _, l := range lines {
		switch n := len(strings.TrimRight(l, "\r")); {
		case n > width:
			width, count = n, 1
		case n == width:
			count++
		}
	}
	if width < 60 || count < 3 {
		return 0
	}
	cont := 0
	for i := 0; i+1 < len(lines); i++ {
		if len(strings.TrimRight(lines[i], "\r")) == width && !strongStart(strings.TrimSpace(lines[i+1])) {
			cont++
		}
	}
	if 2*cont < count {
		return 0
	}
	return width
}

// strongStart reports whether s surely starts a kernel message: a device
// attaching ("re0 at", "acpicpu at"), a device's message ("re0:",
// "wd0(pciide0:0:0):"), a quoted product, a known line ("real mem"), a
// capitalised label ("WARNING:"). A hard-wrapped tail may look like the
// weaker lineStart ("ss XXX", "n 0 function") but rarely like this.
func strongStart(s string) bool {
	if s == "" || s[0] == '"' {
		return true
	}
	for _, p := range []string{"OpenBSD", "real mem", "avail mem", "total memory", "physical memory", "root on ",
		"boot device", "vendor \"", "manufacturer ", "mainbus0 (root)", "Copyright", "[ "} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	i := 0
	for i < len(s) && ('a' <= s[i] && s[i] <= 'z' || i > 0 && ('0' <= s[i] && s[i] <= '9' || s[i] == '_' || s[i] == '.')) {
		i++
	}
	if i > 0 && i < len(s) {
		word, rest := s[:i], s[i:]
		instance := isInstance(word)
		return instance && (rest[0] == ':' || rest[0] == '(') || strings.HasPrefix(rest, ": ") ||
			rest[0] == '=' || strings.HasPrefix(rest, " at ") || rest == " detached"
	}
	j := 0
	for j < len(s) && 'A' <= s[j] && s[j] <= 'Z' {
		j++
	}
	return j > 1 && j < len(s) && s[j] == ':'
}

// lineStart reports whether s can start a kernel message: a device name
// followed by ":", "=", " " ("re0 at", "drm: ", "hw.model="), a device
// instance followed by "(" ("cd0(pciide0:1:0): using PIO mode 4"), a quoted
// product, a capitalised word ("Copyright ", "WARNING:"), OpenBSD, or
// console markup ("$ ", ">>", "#", "[", "(", "<"). A wrapped line's tail
// usually is none of these (`LUSH,ACPI`, `36:3b`, `y, channel 1`, `48-way`).
func lineStart(s string) bool {
	if s == "" {
		return true
	}
	switch c := s[0]; {
	case c == '"' || c == '[' || c == '(' || c == '<' || c == '#':
		return true
	case strings.HasPrefix(s, "$ ") || strings.HasPrefix(s, ">>") || strings.HasPrefix(s, "OpenBSD"):
		return true
	case 'a' <= c && c <= 'z':
		i := 1
		for i < len(s) && (isAlnum(s[i]) || strings.IndexByte("_./-", s[i]) >= 0) {
			i++
		}
		if i < len(s) {
			return s[i] == ':' || s[i] == '=' || s[i] == ' ' || s[i] == '(' && isInstance(s[:i])
		}
		return isInstance(s)
	case 'A' <= c && c <= 'Z':
		i := 1
		for i < len(s) && 'a' <= s[i] && s[i] <= 'z' {
			i++
		}
		if i > 1 && i < len(s) && (s[i] == ' ' || s[i] == ':' || s[i] == ',') {
			return true
		}
		i = 1
		for i < len(s) && 'A' <= s[i] && s[i] <= 'Z' {
			i++
		}
		return i < len(s) && (s[i] == ':' || s[i] == ' ' || s[i] == '=')
	}
	return false
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// completesMAC reports whether prev ends in a MAC address cut short that
// the start of cur completes ("address 00:1e:ec:0b:" + "36:3b").
func completesMAC(prev, cur string) bool {
	if len(prev) > 25 {
		prev = prev[len(prev)-25:] // "address " and at most 16 MAC characters
	}
	tok := ""
	if i := strings.LastIndex(prev, "address "); i >= 0 {
		tok = prev[i+len("address "):]
	} else if !strings.HasSuffix(prev, " address") {
		return false
	}
	if len(tok) >= 17 || !isMACChars(tok) {
		return false
	}
	j := 0
	for j < len(cur) && isMACChars(cur[j:j+1]) {
		j++
	}
	return j > 0 && (isMAC(tok+cur[:j]) || isMaskedMAC(tok+cur[:j]) && strings.Count(tok+cur[:j], ":") == 5)
}

// isMACChars reports whether s holds only what a MAC, masked or not, has.
func isMACChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) && s[i] != ':' && s[i] != 'x' && s[i] != 'X' {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isMAC reports whether s is six two-digit hex octets joined by colons.
func isMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		if i%3 == 2 {
			if s[i] != ':' {
				return false
			}
		} else if !isHex(s[i]) {
			return false
		}
	}
	return true
}
