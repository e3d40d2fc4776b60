package hardware

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds Parse arbitrary text, seeded with the 25 real dmesgs.
// Parse must not panic, and what it returns must be well formed.
func FuzzParse(f *testing.F) {
	for _, path := range dmesgFixtures(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("OpenBSD 7.8 (GENERIC.MP)\nre0 at pci1: address 00:11:22:33:44:5"))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		for _, n := range facts.Interfaces {
			if n.MAC != "" && (!isMAC(n.MAC) || n.MAC != strings.ToLower(n.MAC)) {
				t.Errorf("interface %s: MAC %q is not lowercase colon form", n.Name, n.MAC)
			}
			if n.Driver == "" || !strings.HasPrefix(n.Name, n.Driver) {
				t.Errorf("interface %q has driver %q", n.Name, n.Driver)
			}
		}
		for _, d := range facts.Disks {
			if d.SizeBytes < 0 {
				t.Errorf("disk %s: size %d", d.Name, d.SizeBytes)
			}
		}
		if facts.MemoryBytes < 0 {
			t.Errorf("memory %d", facts.MemoryBytes)
		}
		b, err := json.Marshal(facts)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if !utf8.Valid(b) {
			t.Errorf("JSON is not UTF-8")
		}
		for _, s := range []string{facts.Version, facts.Kernel, facts.Machine} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\n\r\x00") {
				t.Errorf("fact %q is not one clean line", s)
			}
		}
		var text bytes.Buffer
		if err := WriteText(&text, facts); err != nil {
			t.Fatal(err)
		}
		if err := WriteMarkdown(&text, facts); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzFirmwareMatch checks the fw_update glob matcher against a slow but
// obvious oracle: the same pattern as a regular expression, (?s) with
// [^\n]* for each `*`. Both must agree on whether and where a match starts,
// and so must the lookup fwText uses for quoted literals.
func FuzzFirmwareMatch(f *testing.F) {
	seedTexts := []string{"OpenBSD 7.8\ncpu0: AMD Ryzen\niwm0 at pci2\n"}
	for i, path := range dmesgFixtures(f) {
		if i%5 != 0 {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		seedTexts = append(seedTexts, string(data))
	}
	for i, p := range fwPatterns {
		f.Add(p.Driver, p.Pattern, seedTexts[i%len(seedTexts)])
	}
	for _, l := range fwDeviceLists {
		p := l.Devices[0].Pattern
		f.Add(l.Driver, p, "OpenBSD 7.8 (RAMDISK_CD)\nvga1 at pci0 dev 2 function 0 "+p+" rev 0x00\n")
	}
	f.Add("x", "^a?[!b]*[a-c]d*e", "OpenBSD\naxbzzcd\nyy e\naqcd e")
	f.Add("x", `"a"`, "\"\"a\"\"a\" \"a\"\n\"a")
	f.Fuzz(func(t *testing.T, driver, pattern, text string) {
		if !isASCII(driver) || !isASCII(pattern) || !isASCII(text) {
			t.Skip("the oracle works on runes, the matcher on bytes")
		}
		if len(driver)+len(pattern) > 64 {
			t.Skip("regexp's time grows with pattern × text; real patterns are short")
		}
		m, err := compileFWPattern(driver, pattern)
		if err != nil {
			effective := pattern
			if effective == "" {
				effective = driver // the default rule puts the driver in the pattern
			}
			if !errors.Is(err, ErrBadPattern) || strings.Count(effective, "*") < 3 {
				t.Fatalf("compile %q for %q: %v", pattern, driver, err)
			}
			return
		}
		re, err := regexp.Compile(oracle(m))
		if err != nil {
			t.Fatalf("oracle for %q: %v", pattern, err)
		}
		tail := fwDmesgTail(text)
		at, ok := m.find(tail)
		loc := re.FindStringIndex(tail)
		if ok != (loc != nil) || ok && at != loc[0] {
			t.Fatalf("pattern %q (driver %q) on %q: matcher %v at %d, oracle %v", pattern, driver, tail, ok, at, loc)
		}
		if at, ok := (&fwText{s: tail}).find(m); ok != (loc != nil) || ok && at != loc[0] {
			t.Fatalf("pattern %q (driver %q) on %q: fwText %v at %d, oracle %v", pattern, driver, tail, ok, at, loc)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// oracle writes a compiled pattern as a Go regular expression.
func oracle(m *fwMatcher) string {
	var b strings.Builder
	b.WriteString("(?s)")
	for i, seg := range m.segs {
		if i > 0 {
			b.WriteString(`[^\n]*`)
		}
		for _, e := range seg {
			switch {
			case e.any:
				b.WriteString(".")
			case e.set != nil:
				b.WriteString("[")
				empty := true
				for c := 0; c < 128; c++ {
					if e.match(byte(c)) {
						fmt.Fprintf(&b, `\x{%x}`, c)
						empty = false
					}
				}
				if empty {
					b.WriteString(`^\x00-\x{10FFFF}`)
				}
				b.WriteString("]")
			default:
				b.WriteString(regexp.QuoteMeta(string(rune(e.lit))))
			}
		}
	}
	return b.String()
}

// BenchmarkParse parses every fixture once per iteration; the goal is
// under 1 ms per dmesg on average (ns/dmesg).
func BenchmarkParse(b *testing.B) {
	var inputs [][]byte
	total := 0
	for _, path := range dmesgFixtures(b) {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, data)
		total += len(data)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range inputs {
			if _, err := Parse(bytes.NewReader(in)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(inputs)), "ns/dmesg")
}
