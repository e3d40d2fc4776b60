package hardware

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestFWPatternsMatchTSV checks the table in fwpatterns.go against the
// reference list (testdata/fw-patterns.tsv, a copy of
// ../shared/reference/fw-patterns.tsv): same lines, same order.
func TestFWPatternsMatchTSV(t *testing.T) {
	data, err := os.ReadFile("testdata/fw-patterns.tsv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if lines[0] != "driver\tpattern\tfirmware_package" {
		t.Fatalf("header = %q", lines[0])
	}
	var want []fwPattern
	for i, l := range lines[1:] {
		f := strings.Split(l, "\t") // tabs only; quotes are data
		if len(f) != 3 {
			t.Fatalf("fw-patterns.tsv:%d: %d fields, want 3", i+2, len(f))
		}
		want = append(want, fwPattern{Driver: f[0], Pattern: f[1], Package: f[2]})
	}
	if !reflect.DeepEqual(fwPatterns, want) {
		for i := 0; i < len(want) || i < len(fwPatterns); i++ {
			var g, w fwPattern
			if i < len(fwPatterns) {
				g = fwPatterns[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("line %d: table has %+v, TSV has %+v", i+2, g, w)
			}
		}
	}
}

// TestFWPatternsCompile checks every line of the whole list, the fixed
// lines and the generated ones.
func TestFWPatternsCompile(t *testing.T) {
	for i, p := range firmwarePatterns() {
		if _, err := compileFWPattern(p.Driver, p.Pattern); err != nil {
			t.Errorf("firmwarePatterns()[%d] %s %q: %v", i, p.Driver, p.Pattern, err)
		}
		if p.Package != p.Driver+"-firmware" {
			t.Errorf("firmwarePatterns()[%d]: package %q, want %s-firmware", i, p.Package, p.Driver)
		}
	}
}

func TestCompileFWPatternStars(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		fields  int // 0: Bad pattern
	}{
		{"", 1}, {"^ccp0", 1}, {"^cpu0:* AMD", 2}, {"a*b*c", 3}, {"a*b*c*", 3},
		{"a*b*c*d", 0}, {"*a", 2}, {"a**b", 3}, {"a***b", 0}, {"*", 1},
	} {
		m, err := compileFWPattern("drv", tc.pattern)
		switch {
		case tc.fields == 0 && !errors.Is(err, ErrBadPattern):
			t.Errorf("compileFWPattern(%q) error = %v, want ErrBadPattern", tc.pattern, err)
		case tc.fields > 0 && err != nil:
			t.Errorf("compileFWPattern(%q) error = %v", tc.pattern, err)
		case tc.fields > 0 && len(m.segs) != tc.fields:
			t.Errorf("compileFWPattern(%q) has %d fields, want %d", tc.pattern, len(m.segs), tc.fields)
		}
	}
}

func TestFWMatch(t *testing.T) {
	for _, tc := range []struct {
		name, driver, pattern, text string
		line                        string // "" = no match
	}{
		{"bare driver", "iwm", "", "OpenBSD 7.8\niwm0 at pci2 dev 0", "iwm0 at pci2 dev 0"},
		{"bare needs one digit", "iwm", "", "OpenBSD 7.8\niwm10 at pci2", ""},
		{"bare anchored", "iwm", "", "OpenBSD 7.8\n xiwm0 at pci2", ""},
		{"bare needs at", "iwm", "", "OpenBSD 7.8\niwm0: hw rev 0x200", ""},
		{"bare on first line", "iwm", "", "iwm0 at pci2", "iwm0 at pci2"},
		{"star within line", "amd", "^cpu0:* AMD", "OpenBSD 7.8\ncpu0: AMD Ryzen 7", "cpu0: AMD Ryzen 7"},
		{"star not across lines", "amd", "^cpu0:* AMD", "OpenBSD 7.8\ncpu0: Intel\nAMD", ""},
		{"quotes literal", "amdsev", `^"AMD*Crypto"`, "OpenBSD 7.8\n\"AMD 17h Crypto\" rev 0x00 at pci9 not configured", "\"AMD 17h Crypto\" rev 0x00 at pci9 not configured"},
		{"two stars", "amdgpu", `^vendor "ATI", unknown product*class display`, "OpenBSD 7\nvendor \"ATI\", unknown product 0x1234 (class display subclass VGA) at pci1", "vendor \"ATI\", unknown product 0x1234 (class display subclass VGA) at pci1"},
		{"unanchored", "x", "Qualcomm", "OpenBSD 7\nppb0 at pci0 \"Qualcomm PCIe\"", "ppb0 at pci0 \"Qualcomm PCIe\""},
		{"question mark", "x", "^ab?d", "OpenBSD 7\nabcd", "abcd"},
		{"question mark crosses newline", "x", "ab?cd", "OpenBSD 7\nab\ncd", "ab"},
		{"bracket negation", "x", "^a[!b]c", "OpenBSD 7\nabc\naxc", "axc"},
		{"unclosed bracket literal", "x", "^a[b", "OpenBSD 7\na[b", "a[b"},
		{"last boot only", "iwm", "", "OpenBSD 7.7\niwm0 at pci2\nOpenBSD 7.8\nem0 at pci1", ""},
		{"no OpenBSD line: whole text", "iwm", "", "noise\niwm0 at pci2", "iwm0 at pci2"},
		{"console OpenBSD line counts", "iwm", "", "OpenBSD 7.8\niwm0 at pci2\nOpenBSD/amd64 (host) (tty00)", ""},
		{"CRLF", "iwm", "", "OpenBSD 7.8\r\niwm0 at pci2\r\n", "iwm0 at pci2"},
		{"leftmost line reported", "x", "^a*z", "OpenBSD 7\nab\naz\naaz", "az"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := compileFWPattern(tc.driver, tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			tail := fwDmesgTail(tc.text)
			at, ok := m.find(tail)
			got := ""
			if ok {
				got = lineAt(tail, at)
			}
			if got != tc.line {
				t.Errorf("match %q in %q = %q, want %q", tc.pattern, tc.text, got, tc.line)
			}
		})
	}
}

func TestFwDmesgTail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a\nb\n", "\n\na\nb"},
		{"x\nOpenBSD 1\ny\n\n\n", "\nOpenBSD 1\ny"},
		{"OpenBSD 1\nOpenBSD 2\nz", "\nOpenBSD 2\nz"},
		{"x OpenBSD\n", "\n\nx OpenBSD"},
	} {
		if got := fwDmesgTail(tc.in); got != tc.want {
			t.Errorf("fwDmesgTail(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMatchFirmwareSortedFirstMatch(t *testing.T) {
	text := "OpenBSD 7.8 (GENERIC.MP)\ncpu0: Intel(R) Core(TM) i5\ninteldrm0 at pci0\niwm0 at pci2\nvmm0 at mainbus0: VMX/EPT\n"
	got := MatchFirmware(text)
	want := []Firmware{
		{"intel", "intel-firmware", "cpu0: Intel(R) Core(TM) i5"},
		{"inteldrm", "inteldrm-firmware", "inteldrm0 at pci0"},
		{"iwm", "iwm-firmware", "iwm0 at pci2"},
		{"vmm", "vmm-firmware", "vmm0 at mainbus0: VMX/EPT"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MatchFirmware = %+v\nwant %+v", got, want)
	}
}

// TestFirmwareAgreesWithKsh runs fw_update's rule as shell code
// (testdata/fwmatch.ksh under mksh, a pdksh descendant like OpenBSD's ksh)
// over every fixture, raw and cleaned, and over tricky texts, and compares
// the drivers with MatchFirmware, and for each fixture as published with
// what Parse (and so fugu hw firmware) decides.
func TestFirmwareAgreesWithKsh(t *testing.T) {
	mksh, err := exec.LookPath("mksh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mksh not installed (apt-get install mksh)")
		}
		t.Skip("mksh not installed")
	}
	dir := t.TempDir()
	var pats strings.Builder
	for _, p := range firmwarePatterns() {
		pats.WriteString(p.Driver + "\t" + p.Pattern + "\n")
	}
	patsFile := filepath.Join(dir, "patterns")
	if err := os.WriteFile(patsFile, []byte(pats.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{
		"two-digit":      "OpenBSD 7.8\niwm10 at pci2\nathn0 at uhub0\n",
		"indented":       "OpenBSD 7.8\n iwm0 at pci2\n",
		"earlier boot":   "OpenBSD 7.7\niwm0 at pci2\nOpenBSD 7.8\nre0 at pci1\n",
		"no version":     "wd0 at pciide0\nbwfm0 at sdmmc0\n",
		"cpu lines":      "OpenBSD 7.8\ncpu0: AMD Ryzen\ncpu1: Intel\n\"AMD 17h PSP\" at pci0 not configured\n",
		"apple":          "OpenBSD 7.8\ncpu0 at mainbus0 mpidr 0: Apple Icestorm r1p1\n",
		"ati unknown":    "OpenBSD 7.8\nvga1 at pci0 vendor \"ATI\", unknown product 0x1681 rev 0xc1\n",
		"star crosses":   "OpenBSD 7.8\ncpu0: Intel\n AMD\n",
		"no final nl":    "OpenBSD 7.8\nqwx0 at pci1",
		"qualcomm":       "OpenBSD 7.8\nppb0 at pci0 dev 0 function 0 \"Qualcomm SC8280XP PCIe\" rev 0x00\n",
		"console prompt": "OpenBSD 7.8\niwm0 at pci2\nOpenBSD/amd64 (puffy) (tty00)\n",
		"ramdisk gpus":   "OpenBSD 7.8 (RAMDISK_CD)\nvga1 at pci0 dev 2 function 0 \"Intel UHD Graphics 620\" rev 0x07\n\"ATI Radeon HD 7850\" rev 0x00 at pci1 dev 0 function 0 not configured\n",
		"gpu off lists":  "OpenBSD 7.8 (RAMDISK_CD)\nvga1 at pci3 dev 0 function 0 \"Intel Arc A770\" rev 0x08\nvga2 at pci4 dev 0 function 0 \"Intel UHD Graphics 6200\" rev 0x00\n",
	}
	for _, path := range dmesgFixtures(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		texts["raw "+filepath.Base(path)] = string(raw)
		texts["clean "+filepath.Base(path)] = strings.Join(cleanLines(raw), "\n")
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dmesg := filepath.Join(t.TempDir(), "dmesg")
			if err := os.WriteFile(dmesg, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(mksh, "testdata/fwmatch.ksh", patsFile, dmesg).Output()
			if err != nil {
				t.Fatalf("mksh: %v", err)
			}
			want := uniqSorted(strings.Fields(string(out)))
			var got []string
			for _, f := range MatchFirmware(text) {
				got = append(got, f.Driver)
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("MatchFirmware drivers = %v, ksh rule = %v", got, want)
			}
			if !strings.HasPrefix(name, "raw ") {
				return
			}
			// What fugu hw firmware prints for the fixture as published:
			// Parse's decision over the cleaned last boot.
			facts, err := Parse(strings.NewReader(text))
			if err != nil {
				t.Fatal(err)
			}
			got = got[:0]
			for _, f := range facts.Firmware {
				got = append(got, f.Driver)
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("Parse firmware drivers = %v, ksh rule = %v", got, want)
			}
		})
	}
}

func uniqSorted(s []string) []string {
	m := map[string]bool{}
	var out []string
	for _, x := range s {
		if !m[x] {
			m[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// TestFieldSplittingAgreesWithKsh checks how a pattern splits at `*`
// against the shell's own field splitting with IFS='*'.
func TestFieldSplittingAgreesWithKsh(t *testing.T) {
	mksh, err := exec.LookPath("mksh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mksh not installed (apt-get install mksh)")
		}
		t.Skip("mksh not installed")
	}
	for _, p := range []string{"a**b", "*a", "a*", "a*b*c*", "**", "*", "a***", "*a*", "^cpu0:* AMD", `^"AMD*PSP"`} {
		out, err := exec.Command(mksh, "-c", `set -o noglob; IFS='*'; set -- $1; echo $#`, "sh", p).Output()
		if err != nil {
			t.Fatalf("mksh: %v", err)
		}
		want := strings.TrimSpace(string(out))
		m, err := compileFWPattern("drv", p)
		got := "bad"
		if err == nil {
			got = strconv.Itoa(len(m.segs))
		}
		if want > "3" || len(want) > 1 {
			want = "bad"
		}
		if got != want {
			t.Errorf("pattern %q splits into %s fields, the shell says %s", p, got, want)
		}
	}
}
