package firewall

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCheckGolden requires every golden pf.conf to pass Check with no
// finding at all, warnings included.
func TestCheckGolden(t *testing.T) {
	for _, name := range variants {
		files := renderVariant(t, name)
		for _, f := range Check(bytes.NewReader(files[PFConf].Data)) {
			t.Errorf("%s pf.conf:%s", name, f)
		}
	}
}

// TestCheckGood runs Check over hand-written rulesets in
// testdata/check/good that must pass without errors.
func TestCheckGood(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "check", "good", "*.conf"))
	if len(paths) == 0 {
		t.Fatal("no good rulesets")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range Check(bytes.NewReader(data)) {
			t.Errorf("%s:%s", p, f)
		}
	}
}

// TestCheckBad runs the broken corpus in testdata/check/bad: each file
// starts with "# want: LINE: SEVERITY: TEXT", a finding Check must report.
func TestCheckBad(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "check", "bad", "*.conf"))
	if len(paths) < 40 {
		t.Fatalf("only %d broken rulesets", len(paths))
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# want: ")
			if !ok {
				t.Fatalf("first line %q is not # want: ...", first)
			}
			parts := strings.SplitN(want, ": ", 3)
			if len(parts) != 3 {
				t.Fatalf("want %q is not LINE: SEVERITY: TEXT", want)
			}
			var got []string
			for _, f := range Check(bytes.NewReader(data)) {
				got = append(got, f.String())
				if strconv.Itoa(f.Line) == parts[0] && string(f.Severity) == parts[1] && strings.Contains(f.Message, parts[2]) {
					return
				}
			}
			t.Errorf("Check did not report %q; got:\n%s", want, strings.Join(got, "\n"))
		})
	}
}

// BenchmarkCheck lints a large ruleset: the sync-peers golden repeated
// with renamed tables and macros, about 5,000 lines.
func BenchmarkCheck(b *testing.B) {
	base, err := os.ReadFile(filepath.Join("testdata", "golden", "sync-peers", "pf.conf"))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.Write(base)
	for i := range 100 {
		fmt.Fprintf(&buf, "table <t%d> persist counters file \"/var/db/pf/t%d.txt\"\n", i, i)
		for j := range 40 {
			fmt.Fprintf(&buf, "pass in on egress proto tcp from <t%d> to port %d keep state (max-src-conn 10, max-src-conn-rate 5/3, overload <t%d> flush global)\n", i, 1000+j, i)
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if fs := Check(bytes.NewReader(data)); HasErrors(fs) {
			b.Fatal(fs)
		}
	}
}

// TestCheckObsoleteOncePerStatement: a statement in removed syntax gets
// one finding, not one per word pfctl would also stumble over.
func TestCheckObsoleteOncePerStatement(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     string
	}{
		{"altq", "altq on em0 cbq bandwidth 10Mb queue { std }\n", "1: error: syntax error: ALTQ was removed"},
		{"queue with cbq", "queue std bandwidth 90% cbq(default)\n", "1: error: syntax error: cbq is ALTQ syntax"},
		{"priq on a queue", "queue std on em0 bandwidth 10M priq(default)\n", "1: error: syntax error: priq is ALTQ syntax"},
		{"rdr", "rdr pass on egress proto tcp to port smtp -> 127.0.0.1 port spamd\n", "1: error: syntax error: standalone rdr rules were removed"},
		{"nat", "nat on egress from 10.0.0.0/8 to any -> (egress)\n", "1: error: syntax error: standalone nat rules were removed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := Check(strings.NewReader(c.in))
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%d: %s: %s", f.Line, f.Severity, f.Message))
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], c.want) {
				t.Errorf("Check(%q) =\n%s\nwant one finding starting %q", c.in, strings.Join(got, "\n"), c.want)
			}
		})
	}
}
