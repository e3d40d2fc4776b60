package hardware

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes f allocates. Work linear in the input
// allocates a small multiple of it; a line copied again for each piece
// added to it allocates the square of its length.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// checkLinear fails when f allocates more than 64 bytes per input byte.
func checkLinear(t *testing.T, what string, size int, f func()) {
	t.Helper()
	if n := allocated(f); n > 64*uint64(size) {
		t.Errorf("%s allocates %d bytes for %d bytes of input: quadratic", what, n, size)
	}
}

// A long line followed by many pieces that cannot start a kernel message
// is one wrapped line to cleanLines; joining it must not copy the line
// again for each piece.
func TestCleanLinesLinear(t *testing.T) {
	in := "OpenBSD 7.8 (GENERIC.MP)\n" + strings.Repeat("a", 80) + "\n" + strings.Repeat("xx\n", 20000)
	var lines []string
	checkLinear(t, "cleanLines", len(in), func() { lines = cleanLines([]byte(in)) })
	if want := 80 + 2*20000; len(lines) != 3 || len(lines[1]) != want {
		t.Errorf("cleanLines made %d lines, the second %d bytes long; want 3 lines, the second %d bytes", len(lines), len(lines[1]), want)
	}
}

// A device string cut by a newline goes on in the next line, which
// starts with a quote; Parse joins such lines while the quotes are
// unbalanced, and must not copy or count the joined line again for each.
func TestParseQuoteJoinLinear(t *testing.T) {
	in := "OpenBSD 7.8 (GENERIC.MP)\nuvideo0 at uhub0 \"Camera\n" + strings.Repeat("\"\"\n", 20000)
	checkLinear(t, "Parse", len(in), func() {
		if _, err := Parse(strings.NewReader(in)); err != nil {
			t.Fatal(err)
		}
	})
}

// USB disks and interfaces that come and go: each detach must not move
// or reindex all the others. A device attached again after its detach
// comes last, as a new one.
func TestParseDetachLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("OpenBSD 7.8 (GENERIC.MP)\n")
	const n = 3000
	for i := range n {
		fmt.Fprintf(&b, "sd%d at scsibus0\nrun%d at uhub0\n", i, i)
	}
	for i := range n - 1 {
		fmt.Fprintf(&b, "sd%d detached\nrun%d detached\n", i, i)
	}
	b.WriteString("sd0 at scsibus0\n")
	in := b.String()
	var f *Facts
	checkLinear(t, "Parse", len(in), func() {
		var err error
		if f, err = Parse(strings.NewReader(in)); err != nil {
			t.Fatal(err)
		}
	})
	wantDisks := []Disk{{Name: fmt.Sprintf("sd%d", n-1)}, {Name: "sd0"}}
	if !reflect.DeepEqual(f.Disks, wantDisks) {
		t.Errorf("Disks = %+v, want %+v", f.Disks, wantDisks)
	}
	wantIfs := []Interface{{Name: fmt.Sprintf("run%d", n-1), Driver: "run", Wireless: true}}
	if !reflect.DeepEqual(f.Interfaces, wantIfs) {
		t.Errorf("Interfaces = %+v, want %+v", f.Interfaces, wantIfs)
	}
}

// The Markdown report quotes a matched line as inline code, with a fence
// longer than any run of backticks in it; finding that length must not
// search the line again for each backtick.
func TestMarkdownFenceLinear(t *testing.T) {
	line := "iwm0 at pci2 " + strings.Repeat("`", 20000)
	f := &Facts{Firmware: []Firmware{{Driver: "iwm", Package: "iwm-firmware", Line: line}}}
	var out strings.Builder
	checkLinear(t, "WriteMarkdown", len(line), func() {
		if err := WriteMarkdown(&out, f); err != nil {
			t.Fatal(err)
		}
	})
	fence := strings.Repeat("`", 20001)
	if want := "| iwm-firmware | " + fence + " " + line + " " + fence + " |\n"; !strings.Contains(out.String(), want) {
		t.Errorf("WriteMarkdown does not quote the line as %.40q...", want)
	}
}
