package hardware

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"
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
		again, err := Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if b2, _ := json.Marshal(again); !bytes.Equal(b, b2) {
			t.Fatalf("Parse is not deterministic:\n%s\n%s", b, b2)
		}
		// Names become install.conf answers (the root disk), fw_update
		// and hostname.if names: an instance, nothing else.
		for _, d := range facts.Disks {
			if !isInstance(d.Name) {
				t.Errorf("disk name %q", d.Name)
			}
		}
		for _, n := range facts.Interfaces {
			if !isInstance(n.Name) {
				t.Errorf("interface name %q", n.Name)
			}
		}
		for _, d := range facts.Devices {
			if !isInstance(d.Name) || d.Parent != "root" && !isInstance(d.Parent) {
				t.Errorf("device %q at %q", d.Name, d.Parent)
			}
		}
		// fw_update: one package per driver, in driver order.
		for i := 1; i < len(facts.Firmware); i++ {
			if facts.Firmware[i-1].Driver >= facts.Firmware[i].Driver {
				t.Errorf("firmware not one per driver in order: %+v", facts.Firmware)
			}
		}
		if !archRE.MatchString(facts.Arch) {
			t.Errorf("arch %q", facts.Arch)
		}
		// Every text is one printable line: reports go to terminals and
		// Markdown tables.
		walkStrings(reflect.ValueOf(facts), func(s string) {
			if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) }) >= 0 {
				t.Errorf("fact %q is not one printable line", s)
			}
		})
		var text bytes.Buffer
		if err := WriteText(&text, facts); err != nil {
			t.Fatal(err)
		}
		var mdText bytes.Buffer
		if err := WriteMarkdown(&mdText, facts); err != nil {
			t.Fatal(err)
		}
		checkTables(t, mdText.String())
		text.Write(mdText.Bytes())
		if !utf8.Valid(text.Bytes()) || bytes.ContainsFunc(text.Bytes(), func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) {
			t.Errorf("report has a control character:\n%q", text.String())
		}
	})
}

// checkTables checks that every row of each Markdown table has as many
// cells as the table's head: a pipe in a value is escaped (GFM splits
// cells at each pipe with no backslash before it).
func checkTables(t *testing.T, md string) {
	t.Helper()
	head := -1
	for _, l := range strings.Split(md, "\n") {
		if !strings.HasPrefix(l, "|") {
			head = -1
			continue
		}
		n := 0
		for i := 0; i < len(l); i++ {
			if l[i] == '|' && (i == 0 || l[i-1] != '\\') {
				n++
			}
		}
		if head < 0 {
			head = n
		} else if n != head {
			t.Fatalf("Markdown row %q has %d cell separators, the table %d:\n%s", l, n, head, md)
		}
	}
}

var archRE = regexp.MustCompile(`^[a-z0-9]*$`)

// walkStrings calls f for every string in v.
func walkStrings(v reflect.Value, f func(string)) {
	switch v.Kind() {
	case reflect.String:
		f(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			walkStrings(v.Field(i), f)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), f)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			walkStrings(it.Key(), f)
			walkStrings(it.Value(), f)
		}
	}
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
