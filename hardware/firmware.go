package hardware

import (
	"sort"
	"strings"
)

// fwPattern is one line of fw_update's firmware_patterns file.
type fwPattern struct {
	Driver  string
	Pattern string // empty: the default rule, ^driverN at (one digit)
	Package string
}

// compiledPatterns is the whole pattern list (firmwarePatterns) compiled
// once; the tables are fixed data and a test checks that every line
// compiles.
var compiledPatterns = mustCompilePatterns(firmwarePatterns())

type compiledPattern struct {
	fwPattern
	m *fwMatcher
}

func mustCompilePatterns(ps []fwPattern) []compiledPattern {
	out := make([]compiledPattern, 0, len(ps))
	for _, p := range ps {
		m, err := compileFWPattern(p.Driver, p.Pattern)
		if err != nil {
			panic(err) // fixed data: TestFWPatternsCompile names the line
		}
		out = append(out, compiledPattern{p, m})
	}
	return out
}

// MatchFirmware returns the firmware packages fw_update would install for
// the dmesg text, decided by fw_update's own rule (see glob.go): only the
// last boot, the patterns in order, the first match per driver. Each entry
// carries the dmesg line the match starts on. The result is sorted by
// driver, as fw_update sorts its device list.
//
// MatchFirmware looks at the text exactly as given, as `fw_update -D FILE`
// would. Parse applies it to the cleaned text instead (see Parse).
func MatchFirmware(dmesg string) []Firmware {
	if dmesg == "" {
		return nil // fw_update: "No such file or directory" for an empty dmesg
	}
	tail := fwDmesgTail(dmesg)
	text := &fwText{s: tail}
	var out []Firmware
	last := ""
	for _, p := range compiledPatterns {
		if p.Driver == last {
			continue
		}
		at, ok := text.find(p.m)
		if !ok {
			continue
		}
		out = append(out, Firmware{Driver: p.Driver, Package: p.Package, Line: lineAt(tail, at)})
		last = p.Driver
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Driver < out[j].Driver })
	return dedupeFirmware(out)
}

// fwDmesgTail is what `echo ; sed -n 'H;/^OpenBSD/h;${g;p;}'` inside $( )
// yields: a newline, then the last line starting with "OpenBSD" and all
// after it (or, with no such line, a newline and the whole text), with
// trailing newlines removed.
func fwDmesgTail(dmesg string) string {
	start := -1
	for i := 0; i < len(dmesg); {
		if strings.HasPrefix(dmesg[i:], "OpenBSD") {
			start = i
		}
		nl := strings.IndexByte(dmesg[i:], '\n')
		if nl < 0 {
			break
		}
		i += nl + 1
	}
	var hold string
	if start >= 0 {
		hold = dmesg[start:]
	} else {
		hold = "\n" + dmesg
	}
	return "\n" + strings.TrimRight(hold, "\n")
}

// lineAt returns the line a match starting at pos begins on; a match that
// starts with the anchoring newline begins on the next line.
func lineAt(text string, pos int) string {
	if pos < len(text) && text[pos] == '\n' {
		pos++
	}
	start := strings.LastIndexByte(text[:pos], '\n') + 1
	end := strings.IndexByte(text[start:], '\n')
	if end < 0 {
		end = len(text) - start
	}
	return strings.TrimRight(text[start:start+end], "\r")
}

func dedupeFirmware(in []Firmware) []Firmware {
	var out []Firmware
	for _, f := range in {
		if len(out) > 0 && out[len(out)-1].Driver == f.Driver {
			continue
		}
		out = append(out, f)
	}
	return out
}
