package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"fugu/migrate/etcfiles"
	"fugu/packages"

	"go.yaml.in/yaml/v3"
)

// seeds are every profile and inventory in testdata and the embedded
// sites.
func seeds(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, pattern := range []string{"testdata/*/*.yaml", "testdata/*/profiles/*.yaml", "example/profiles/*.yaml", "example/*.yaml", "starter/*/profiles/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, data)
		}
	}
	if len(out) < 10 {
		f.Fatalf("only %d seeds", len(out))
	}
	return out
}

// FuzzLoadProfile feeds arbitrary bytes to LoadProfileFile: it must never
// panic, and whatever it accepts must survive its own checks again after
// a round trip through WriteYAML.
func FuzzLoadProfile(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := LoadProfileFile("p.yaml", data)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok {
				t.Fatalf("LoadProfileFile error %T is not Problems: %v", err, err)
			}
			if p != nil {
				t.Fatalf("LoadProfileFile returned a profile and the error %v", err)
			}
			checkPositions(t, ps, map[string][]byte{"p.yaml": data})
			return
		}
		// Every value but a file's content lands on one line of
		// install.conf, install.site, doas.conf or pf.conf.
		walkStrings(t, reflect.ValueOf(p), "", func(path, s string) {
			if strings.ContainsAny(s, "\n\r\x00") && !fileContentRE.MatchString(path) {
				t.Fatalf("accepted %s = %q, with a line break or NUL:\n%s", path, s, data)
			}
		})
		var b bytesBuffer
		if err := p.WriteYAML(&b); err != nil {
			t.Fatalf("WriteYAML: %v", err)
		}
		again, err := LoadProfileFile("again.yaml", b.data)
		if err != nil {
			t.Fatalf("accepted profile does not load again: %v\n%s", err, b.data)
		}
		if !reflect.DeepEqual(again, p) {
			t.Fatalf("profile changed in a round trip through WriteYAML:\n%+v\n%+v\n%s", p, again, b.data)
		}
	})
}

var fileContentRE = regexp.MustCompile(`(?s)^\.Files\[.*\]\.Content$`)

// checkPositions checks that each problem names a file it was given and,
// when it names a line and column, one in that file (the column may be
// just past the line's end).
func checkPositions(t *testing.T, ps Problems, files map[string][]byte) {
	t.Helper()
	split := map[string][]string{} // once per file, not per problem
	for _, p := range ps {
		data, ok := files[p.File]
		if !ok {
			continue
		}
		lines, ok := split[p.File]
		if !ok {
			// A UTF-16 file's lines and columns are those of its text,
			// as an editor shows it, not of its bytes.
			lines = strings.Split(string(utf8Text(data)), "\n")
			split[p.File] = lines
		}
		if p.Line < 0 || p.Line > len(lines) || p.Line == 0 && p.Col != 0 {
			t.Fatalf("problem %v: line %d of %d", p, p.Line, len(lines))
		}
		if p.Line > 0 && (p.Col < 0 || p.Col > len(lines[p.Line-1])+1) {
			t.Fatalf("problem %v: column %d of a %d-byte line", p, p.Col, len(lines[p.Line-1]))
		}
		if strings.TrimSpace(p.Message) == "" {
			t.Fatalf("problem %v has no message", p)
		}
	}
}

// walkStrings calls f for every string in v with its Go path.
func walkStrings(t *testing.T, v reflect.Value, path string, f func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(t, v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStrings(t, v.Field(i), path+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(t, v.Index(i), fmt.Sprintf("%s[%d]", path, i), f)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			k := fmt.Sprint(it.Key())
			f(path+"{key}", k)
			walkStrings(t, it.Value(), path+"["+k+"]", f)
		}
	}
}

// FuzzLoadSite feeds arbitrary bytes as machines.yaml and as a profile
// that extends another: Load must never panic.
func FuzzLoadSite(f *testing.F) {
	ss := seeds(f)
	for i := range ss {
		f.Add(ss[i], ss[(i+1)%len(ss)])
	}
	f.Fuzz(func(t *testing.T, inventory, profile []byte) {
		fsys := fstest.MapFS{
			"machines.yaml":        {Data: inventory},
			"profiles/a.yaml":      {Data: profile},
			"profiles/base.yaml":   {Data: []byte("root: {password_hash: \"" + goodHash + "\"}\n")},
			"profiles/laptop.yaml": {Data: append([]byte("extends: a\n"), profile...)},
		}
		site, err := Load(fsys)
		if (site == nil) == (err == nil) {
			t.Fatalf("Load = %v, %v: want a site or an error", site, err)
		}
		again, err2 := Load(fsys)
		if fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("Load is not deterministic:\n%v\n%v", err, err2)
		}
		if err != nil {
			ps, ok := err.(Problems)
			if !ok {
				t.Fatalf("Load error %T is not Problems: %v", err, err)
			}
			files := map[string][]byte{}
			for name, f := range fsys {
				files[name] = f.Data
			}
			checkPositions(t, ps, files)
			return
		}
		for i, m := range site.Machines {
			if again.Machines[i].Name != m.Name || !reflect.DeepEqual(again.Machines[i].Profile, m.Profile) {
				t.Fatalf("Load is not deterministic for machine %s", m.Name)
			}
			if checkHostname(m.Name) != nil || m.Profile.System.Hostname != strings.ToLower(m.Profile.System.Hostname) {
				t.Fatalf("machine %q has host name %q", m.Name, m.Profile.System.Hostname)
			}
			for _, mac := range m.MACs {
				if n, err := NormalizeMAC(mac); err != nil || n != mac {
					t.Fatalf("machine %s: MAC %q is not normalised", m.Name, mac)
				}
			}
			walkStrings(t, reflect.ValueOf(m.Profile), "", func(path, s string) {
				if strings.ContainsAny(s, "\n\r\x00") && !fileContentRE.MatchString(path) {
					t.Fatalf("machine %s: accepted %s = %q, with a line break or NUL", m.Name, path, s)
				}
			})
		}
	})
}

type bytesBuffer struct{ data []byte }

func (b *bytesBuffer) Write(p []byte) (int, error) { b.data = append(b.data, p...); return len(p), nil }

// FuzzAddMachine feeds arbitrary machines.yaml text to AddMachine: it
// must never panic, and what it returns must read as the old inventory
// plus the new machine.
func FuzzAddMachine(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		e := MachineEntry{Name: "fuzz", MAC: "00:00:5e:00:53:ff", Profile: "laptop"}
		out, err := AddMachine(src, e)
		if err != nil {
			return
		}
		var before Inventory
		if yaml.Unmarshal(src, &before) != nil {
			t.Fatalf("AddMachine accepted input yaml cannot read:\n%s", src)
		}
		if !sameBut(out, before, e) {
			t.Fatalf("AddMachine result does not read as input plus the machine:\n%s", out)
		}
		if again, err := AddMachine(src, e); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("AddMachine is not deterministic: %v\n%s\n%s", err, out, again)
		}
		// A file Load reads stays one Load reads.
		if _, ps := parseYAML(InventoryFile, src, origin{}); len(ps) == 0 {
			if _, ps := parseYAML(InventoryFile, out, origin{}); len(ps) > 0 {
				t.Fatalf("AddMachine made a file that does not parse: %v\n%q\n%q", ps, src, out)
			}
		}
		// The machine is there now: neither its name nor its MAC can be
		// added again.
		for _, dup := range []MachineEntry{e, {Name: "other", MAC: "00-00-5E-00-53-FF", Profile: "laptop"}} {
			if _, err := AddMachine(out, dup); !errors.Is(err, ErrDuplicate) {
				t.Fatalf("AddMachine of %+v to its own result: %v, want ErrDuplicate\n%s", dup, err, out)
			}
		}
	})
}

// FuzzParseSize checks the size grammars of disks: and machines.yaml's
// memory: what is accepted is a plain decimal number and a unit (as
// PROFILE.md and disklabel write sizes), in range, and a partition range
// is ordered.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"512M", "1.5T", "4G-32G", "1-4G", "2G-*", "*", "rest", "2x", "1.5x", "0x1p1G", "1e3G", "16GB", "0.5k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := ParseSize(s); err == nil {
			if !decimalSizeRE.MatchString(s) || n <= 0 || n >= maxSize {
				t.Fatalf("ParseSize(%q) = %d", s, n)
			}
		} else if n != 0 || s != "" && !strings.Contains(err.Error(), strconv.Quote(s)) {
			t.Fatalf("ParseSize(%q) = %d, %v: want 0 and the size quoted", s, n, err)
		}
		b, m, err := ParseSwap(s)
		switch {
		case err != nil:
			if b != 0 || m != 0 {
				t.Fatalf("ParseSwap(%q) = %d, %g and %v", s, b, m, err)
			}
		case (b == 0) == (m == 0):
			t.Fatalf("ParseSwap(%q) = %d, %g: want exactly one", s, b, m)
		case m != 0 && (!decimalMultipleRE.MatchString(s) || m > 16):
			t.Fatalf("ParseSwap(%q) = multiple %g", s, m)
		}
		ps, err := ParsePartitionSize(s)
		if err == nil && (ps.Min < 0 || !ps.Unbounded && (ps.Max < ps.Min || ps.Max >= maxSize) || ps.Rest && !ps.Unbounded) {
			t.Fatalf("ParsePartitionSize(%q) = %+v", s, ps)
		}
	})
}

var (
	decimalSizeRE     = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?[KMGTkmgt]$`)
	decimalMultipleRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?x$`)
)

// FuzzNormalizeMAC checks that an accepted MAC comes out in the one form
// the installer and dmesg use, and that normalising it again keeps it.
func FuzzNormalizeMAC(f *testing.F) {
	for _, s := range []string{"80:FA:5B:01:02:03", "80-fa-5b-01-02-03", "8:fa:5b:1:2:3", "80:fa:5b:01:02", "::::::", "80:fa:5b:01:02:03:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := NormalizeMAC(s)
		if err != nil {
			if m != "" {
				t.Fatalf("NormalizeMAC(%q) = %q and %v", s, m, err)
			}
			return
		}
		if !macRE.MatchString(m) || !strings.EqualFold(strings.ReplaceAll(s, "-", ":"), m) {
			t.Fatalf("NormalizeMAC(%q) = %q", s, m)
		}
		if again, err := NormalizeMAC(m); err != nil || again != m || !looksLikeMAC(m) {
			t.Fatalf("NormalizeMAC(%q) = %q, then %q, %v", s, m, again, err)
		}
	})
}

var macRE = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2}){5}$`)

// FuzzCheckDoas checks every doas rule a profile may hold against fugu's
// doas.conf reader, which reads it as doas -C does: a rule checkDoas
// accepts is one rule to doas, with no error and nothing that makes it
// never match. A rule doas refuses would leave the new machine's
// doas.conf broken, and doas with it.
func FuzzCheckDoas(f *testing.F) {
	for _, s := range []string{
		"permit persist keepenv :wheel", "permit nopass alice as root cmd /sbin/reboot args",
		"permit setenv { -ENV PS1=$DOAS_PS1 SSH_AUTH_SOCK } :wheel", "permit setenv{A}:wheel",
		`permit alice cmd /usr/bin/printf args "two words"`, "deny bob as root cmd /bin/sh",
		`permit \keepenv`, `permit \:wheel`, `permit "nopass" bob`, `permit bob cmd "a b" args \x`,
		"permit bob cmd /" + strings.Repeat("x", 1100), "permit setenv { " + strings.Repeat("FUGU_VAR ", 120) + "} :wheel",
		`permit setenv { PGPASSWORD="a b" "API_TOKEN=x"y } bob`, `permit setenv{A_SECRET=\}}bob`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		if checkDoas(rule) != nil {
			return
		}
		c, err := etcfiles.ParseDoasConf(strings.NewReader(rule + "\n"))
		if err != nil || len(c.Rules) != 1 || len(c.Warnings) != 0 {
			t.Fatalf("checkDoas accepts %q, which doas reads as %+v, %v, warnings %v", rule, c.Rules, err, c.Warnings)
		}
		// A profile shown redacted hides what a migrate plan hides, and
		// the rule still checks.
		red := redactDoasRule(rule)
		if err := checkDoas(red); err != nil {
			t.Fatalf("redactDoasRule(%q) = %q: %v", rule, red, err)
		}
	})
}

// FuzzCheckWireless checks the ESSIDs and WPA keys a profile may hold
// against fugu's reading of hostname.if as netstart runs it: written as
// fugu writes them (join "ESSID" wpakey "KEY"), the line has no problem
// and its words are exactly the network and the key.
func FuzzCheckWireless(f *testing.F) {
	for _, s := range [][2]string{{"Bob's Net", "my secret key"}, {"0x0a0b", ""}, {"#net", "a;b|c&d(e)"}, {"a$b", "12345678"}, {"x", "0x" + strings.Repeat("ab", 32)}, {"!cmd", "*~?[x]{}"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, ssid, key string) {
		if checkSSID(ssid) != nil || key != "" && checkWPAKey(key) != nil {
			return
		}
		line := fmt.Sprintf("join %q", ssid)
		want := []string{"join", ssid}
		if key != "" {
			line += fmt.Sprintf(" wpakey %q", key)
			want = append(want, "wpakey", key)
		}
		h, err := etcfiles.ParseHostnameIf(strings.NewReader(line + "\n"))
		if err != nil || len(h.Lines) != 1 || len(h.Problems) != 0 || !slices.Equal(h.Lines[0].Words, want) || h.Lines[0].Kind != "join" {
			t.Fatalf("%s reads as %+v, problems %v, %v", line, h.Lines, h.Problems, err)
		}
	})
}

// FuzzCheckPackage checks every package a profile may list against the
// package name grammar of packages.ParseName, which the pkg_add -l file
// is written in: what checkPackage accepts parses and renders as itself.
func FuzzCheckPackage(f *testing.F) {
	for _, s := range []string{"vim", "vim--no_x11", "python--%3.12", "firefox--", "vim-9.1.0707-no_x11", "p5-Foo-Bar", "vim-", "a--b--c", "x-1.0-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkPackage(s) != nil {
			return
		}
		n, err := packages.ParseName(s)
		if err != nil || n.Validate() != nil {
			t.Fatalf("checkPackage accepts %q: %v", s, err)
		}
	})
}
