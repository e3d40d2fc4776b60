package hardware

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestFirmwarePatternsOrder checks that each generated device list sits
// where patterns.c prints it: right after the fixed line it follows, which
// for all three is the driver's bare line, and nowhere else.
func TestFirmwarePatternsOrder(t *testing.T) {
	all := firmwarePatterns()
	total := len(fwPatterns)
	drivers := map[string]bool{}
	for _, l := range fwDeviceLists {
		total += len(l.Devices)
		if !drmDrivers[l.Driver] || drivers[l.Driver] {
			t.Errorf("device list for %q: not a drm driver, or listed twice", l.Driver)
		}
		drivers[l.Driver] = true
		if l.After != l.Driver {
			t.Errorf("device list for %s follows %q, want the bare line %q (patterns.c 1.19)", l.Driver, l.After, l.Driver)
		}
		if len(l.Devices) == 0 {
			t.Errorf("device list for %s is empty", l.Driver)
		}
		at := -1
		for i, p := range all {
			if p.line() == l.After && p.Driver == l.Driver && p.Pattern == "" {
				if at >= 0 {
					t.Fatalf("line %q occurs twice", l.After)
				}
				at = i
			}
		}
		if at < 0 {
			t.Fatalf("device list for %s: no fixed line %q to follow", l.Driver, l.After)
		}
		for k, d := range l.Devices {
			want := fwPattern{Driver: l.Driver, Pattern: d.Pattern, Package: l.Driver + "-firmware"}
			if i := at + 1 + k; i >= len(all) || all[i] != want {
				t.Fatalf("firmwarePatterns()[%d] is not %+v", i, want)
			}
		}
	}
	if len(drivers) != len(drmDrivers) {
		t.Errorf("device lists for %v, want one for each of %v", drivers, drmDrivers)
	}
	if len(all) != total {
		t.Errorf("firmwarePatterns() has %d lines, want %d", len(all), total)
	}
}

// TestFWDevicesWellFormed checks the generated lines: every pattern is a
// quoted "<vendor> <product>", so the matcher takes it as one literal
// (no `*` to split at, no glob characters) and looks it up by its quotes,
// and none has what glob.go leaves out (ksh extended patterns, backslashes).
func TestFWDevicesWellFormed(t *testing.T) {
	vendors := map[uint16]string{0x1002: "ATI", 0x8086: "Intel"}
	for _, l := range fwDeviceLists {
		for _, d := range l.Devices {
			v := vendors[d.Vendor]
			if v == "" || !strings.HasPrefix(d.Pattern, `"`+v+" ") || !strings.HasSuffix(d.Pattern, `"`) {
				t.Errorf("%s %04x:%04x: pattern %s is not \"<vendor> <product>\"", l.Driver, d.Vendor, d.Product, d.Pattern)
			}
			for _, c := range []string{`\`, "@(", "*(", "+(", "?(", "!("} {
				if strings.Contains(d.Pattern, c) {
					t.Errorf("%s %s: has %s, which ksh reads and glob.go does not", l.Driver, d.Pattern, c)
				}
			}
			m, err := compileFWPattern(l.Driver, d.Pattern)
			if err != nil {
				t.Fatal(err)
			}
			if m.quoted != d.Pattern {
				t.Errorf("%s %s: not a quoted literal to the matcher", l.Driver, d.Pattern)
			}
		}
	}
}

// TestMatchFirmwareUnattachedGPU: a GPU that no drm driver took, as the
// installer's kernel (which has none) shows it, still gets its driver's
// firmware when its "<vendor> <product>" name is on the driver's list;
// a GPU off the lists gets none, unless the generic ATI patterns apply.
func TestMatchFirmwareUnattachedGPU(t *testing.T) {
	const boot = "OpenBSD 7.8 (RAMDISK_CD) #123: Sun Oct 12 12:34:56 MDT 2025\n"
	fw := func(drv, line string) Firmware { return Firmware{drv, drv + "-firmware", line} }
	for _, tc := range []struct {
		name  string
		dmesg string
		want  []Firmware
	}{{
		// i915_devlist.h 0x8086:0x5917, pcidevs "UHD Graphics 620"
		name:  "Intel UHD Graphics 620 on vga1",
		dmesg: boot + "vga1 at pci0 dev 2 function 0 \"Intel UHD Graphics 620\" rev 0x07\n",
		want:  []Firmware{fw("inteldrm", `vga1 at pci0 dev 2 function 0 "Intel UHD Graphics 620" rev 0x07`)},
	}, {
		// radeon_devlist.h 0x1002:0x6819, pcidevs "Radeon HD 7850"
		name:  "ATI Radeon HD 7850 on vga1",
		dmesg: boot + "vga1 at pci1 dev 0 function 0 \"ATI Radeon HD 7850\" rev 0x00\n",
		want:  []Firmware{fw("radeondrm", `vga1 at pci1 dev 0 function 0 "ATI Radeon HD 7850" rev 0x00`)},
	}, {
		// amdgpu_devlist.h 0x1002:0x67df, pcidevs "Polaris 10"
		name:  "ATI Polaris 10 on vga1",
		dmesg: boot + "vga1 at pci1 dev 0 function 0 \"ATI Polaris 10\" rev 0xe7\n",
		want:  []Firmware{fw("amdgpu", `vga1 at pci1 dev 0 function 0 "ATI Polaris 10" rev 0xe7`)},
	}, {
		name: "hybrid laptop, second GPU not configured",
		dmesg: boot + "vga1 at pci0 dev 2 function 0 \"Intel UHD Graphics 620\" rev 0x07\n" +
			"\"ATI Polaris 11\" rev 0xc3 at pci1 dev 0 function 0 not configured\n",
		want: []Firmware{
			fw("amdgpu", `"ATI Polaris 11" rev 0xc3 at pci1 dev 0 function 0 not configured`),
			fw("inteldrm", `vga1 at pci0 dev 2 function 0 "Intel UHD Graphics 620" rev 0x07`),
		},
	}, {
		name:  "driver attached: the bare rule reports the line",
		dmesg: boot + "inteldrm0 at pci0 dev 2 function 0 \"Intel UHD Graphics 620\" rev 0x07\n",
		want:  []Firmware{fw("inteldrm", `inteldrm0 at pci0 dev 2 function 0 "Intel UHD Graphics 620" rev 0x07`)},
	}, {
		// pcidevs names 0x8086:0x56a0 "Arc A770", but i915_devlist.h has no 0x56a0
		name:  "Intel GPU off the list",
		dmesg: boot + "vga1 at pci3 dev 0 function 0 \"Intel Arc A770\" rev 0x08\n",
	}, {
		// pcidevs 0x1002:0x5041 "Rage 128 Pro": no drm driver's list has it
		name:  "ATI GPU off the lists",
		dmesg: boot + "vga1 at pci1 dev 0 function 0 \"ATI Rage 128 Pro\" rev 0x00\n",
	}, {
		name:  "ATI GPU pcidevs does not name: the unknown product pattern",
		dmesg: boot + "vga1 at pci1 dev 0 function 0 vendor \"ATI\", unknown product 0x7552 rev 0xc0\n",
		want:  []Firmware{fw("amdgpu", `vga1 at pci1 dev 0 function 0 vendor "ATI", unknown product 0x7552 rev 0xc0`)},
	}, {
		name:  "the closing quote is part of the pattern",
		dmesg: boot + "vga1 at pci0 dev 2 function 0 \"Intel UHD Graphics 6200\" rev 0x07\n",
	}, {
		name:  "the quotes are part of the pattern",
		dmesg: boot + "vga1 at pci0 dev 2 function 0: Intel UHD Graphics 620\n",
	}, {
		name: "an earlier boot does not count",
		dmesg: boot + "vga1 at pci0 dev 2 function 0 \"Intel UHD Graphics 620\" rev 0x07\n" +
			"OpenBSD 7.8 (GENERIC.MP) #1: Sun Oct 12 12:34:56 MDT 2025\n" +
			"vga1 at pci0 dev 15 function 0 \"VMware SVGA II\" rev 0x00\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := MatchFirmware(tc.dmesg)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("MatchFirmware(%q)\n = %+v\nwant %+v", tc.dmesg, got, tc.want)
			}
		})
	}
}

// TestQuotedLookupAgreesWithScan checks fwText's lookup of quoted
// literals against the matcher's scan, over every fixture and a few texts
// with awkward quotes, for every generated pattern and some made up.
func TestQuotedLookupAgreesWithScan(t *testing.T) {
	texts := []string{
		"",
		`"`,
		`""`,
		"OpenBSD 7.8\n\"Intel UHD Graphics 620\"\"ATI Polaris 10\"",
		"OpenBSD 7.8\nx \"Intel UHD\nGraphics 620\" \"Intel UHD Graphics 620\"\n",
		"OpenBSD 7.8\n\"a\" \"\" \"a\" \"\"\"b\"",
	}
	for _, path := range dmesgFixtures(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	patterns := map[string]bool{`""`: true, `"a"`: true, `"b"`: true, `" "`: true, `"Intel UHD\nGraphics 620"`: true}
	for _, p := range firmwarePatterns() {
		patterns[p.Pattern] = true
	}
	var ms []*fwMatcher
	for p := range patterns {
		m, err := compileFWPattern("x", p)
		if err != nil {
			t.Fatal(err)
		}
		if m.quoted != "" {
			ms = append(ms, m)
		}
	}
	if len(ms) < 500 {
		t.Fatalf("only %d quoted literals", len(ms))
	}
	for i, s := range texts {
		tail := fwDmesgTail(s)
		text := &fwText{s: tail}
		for _, m := range ms {
			at, ok := text.find(m)
			wat, wok := m.find(tail)
			if at != wat || ok != wok {
				t.Errorf("text %d, pattern %q: lookup %d %v, scan %d %v", i, m.quoted, at, ok, wat, wok)
			}
		}
	}
}

// TestDeviceLinesAgreeWithKsh runs every generated line through fw_update's
// rule as shell code (testdata/fwdevices.ksh under mksh), against a
// dmesg line with its name and one with the name lengthened inside the
// quotes, and compares with the Go matcher.
func TestDeviceLinesAgreeWithKsh(t *testing.T) {
	mksh, err := exec.LookPath("mksh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mksh not installed (apt-get install mksh)")
		}
		t.Skip("mksh not installed")
	}
	type probe struct {
		p    fwPattern
		line string
		hit  bool
	}
	var probes []probe
	for _, p := range firmwarePatterns() {
		if !strings.HasPrefix(p.Pattern, `"`) {
			continue
		}
		name := strings.TrimSuffix(p.Pattern, `"`)
		probes = append(probes,
			probe{p, "vga1 at pci0 dev 2 function 0 " + p.Pattern + " rev 0x00", true},
			probe{p, "vga1 at pci0 dev 2 function 0 " + name + ` X" rev 0x00`, false})
	}
	var pats, lines strings.Builder
	for _, pr := range probes {
		pats.WriteString(pr.p.line() + "\n")
		lines.WriteString(pr.line + "\n")
	}
	dir := t.TempDir()
	patsFile, linesFile := filepath.Join(dir, "patterns"), filepath.Join(dir, "lines")
	if err := os.WriteFile(patsFile, []byte(pats.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(linesFile, []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(mksh, "testdata/fwdevices.ksh", patsFile, linesFile).Output()
	if err != nil {
		t.Fatalf("mksh: %v", err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(probes) {
		t.Fatalf("ksh answered %d lines for %d probes", len(got), len(probes))
	}
	for i, pr := range probes {
		kshHit := got[i] == pr.p.Driver
		if !kshHit && got[i] != "-" {
			t.Fatalf("ksh line %d: %q", i+1, got[i])
		}
		m, err := compileFWPattern(pr.p.Driver, pr.p.Pattern)
		if err != nil {
			t.Fatal(err)
		}
		text := &fwText{s: fwDmesgTail("OpenBSD 7.8 (RAMDISK_CD) #1\n" + pr.line + "\n")}
		_, goHit := text.find(m)
		if goHit != kshHit || goHit != pr.hit {
			t.Errorf("%s in %q: Go %v, ksh %v, want %v", pr.p.line(), pr.line, goHit, kshHit, pr.hit)
		}
	}
}
