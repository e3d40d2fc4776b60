package profiles

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// golden compares got with testdata/NAME, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./profiles -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file (run go test ./profiles -update and review the diff):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestAddMachineGolden(t *testing.T) {
	e := MachineEntry{Name: "wanda", MAC: "80-FA-5B-0A-0B-0C", MACs: []string{"80:FA:5B:0A:0B:0D"}, Profile: "laptop", Memory: "16G"}
	for _, in := range []string{"commented.yaml", "keybelow.yaml", "flow.yaml", "empty.yaml", "onlycomments.yaml"} {
		t.Run(in, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata/addmachine", in))
			if err != nil {
				t.Fatal(err)
			}
			out, err := AddMachine(src, e)
			if err != nil {
				t.Fatalf("AddMachine = %v", err)
			}
			golden(t, "addmachine/"+strings.TrimSuffix(in, ".yaml")+".golden", out)
			// assert that: every comment of the input survives
			for _, l := range strings.Split(string(src), "\n") {
				if i := strings.Index(l, "#"); i >= 0 && !strings.Contains(string(out), strings.TrimSpace(l[i:])) {
					t.Errorf("comment %q lost", l[i:])
				}
			}
		})
	}
}

func TestAddMachineRefuses(t *testing.T) {
	src, err := os.ReadFile("testdata/addmachine/commented.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		e    MachineEntry
		dup  bool
		want string
	}{
		{"same name", MachineEntry{Name: "delilah", Profile: "laptop"}, true, "add machine delilah: a machine of that name is already listed"},
		{"same MAC other case", MachineEntry{Name: "x", MAC: "00:00:5E:00:53:01", Profile: "laptop"}, true, "add machine x: MAC 00:00:5e:00:53:01 already belongs to machine mx1"},
		{"same MAC in macs", MachineEntry{Name: "x", MACs: []string{"80-fa-5b-01-02-03"}, Profile: "laptop"}, true, "MAC 80:fa:5b:01:02:03 already belongs to machine delilah"},
		{"bad name", MachineEntry{Name: "Bad Name", Profile: "laptop"}, false, ""},
		{"bad MAC", MachineEntry{Name: "x", MAC: "nope", Profile: "laptop"}, false, ""},
		{"no profile", MachineEntry{Name: "x"}, false, ""},
		{"bad memory", MachineEntry{Name: "x", Profile: "laptop", Memory: "lots"}, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := AddMachine(src, c.e)
			if err == nil {
				t.Fatalf("AddMachine = %s, want an error", out)
			}
			if errors.Is(err, ErrDuplicate) != c.dup {
				t.Errorf("AddMachine error %v: errors.Is(ErrDuplicate) = %v, want %v", err, !c.dup, c.dup)
			}
			// The message is for the user: it names the clash and
			// carries no package name.
			if strings.Contains(err.Error(), "profiles:") {
				t.Errorf("AddMachine error %q names the package", err)
			}
			if c.want != "" && !strings.Contains(err.Error(), c.want) {
				t.Errorf("AddMachine error %q, want it to contain %q", err, c.want)
			}
		})
	}
	if _, err := AddMachine([]byte("- a\n- b\n"), MachineEntry{Name: "x", Profile: "p"}); err == nil {
		t.Errorf("AddMachine on a list = nil error")
	}
	// assert that: a syntax error names the file, line and column.
	_, err = AddMachine([]byte("machines:\n  - name: a\n\tprofile: p\n"), MachineEntry{Name: "x", Profile: "p"})
	if want := "add machine x: machines.yaml:3:1: not valid YAML: found a tab character"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("AddMachine on broken YAML = %v, want %q", err, want)
	}
}

func TestAddMachineThenLoad(t *testing.T) {
	fsys := ExampleSite()
	src, err := readFS(fsys, InventoryFile)
	if err != nil {
		t.Fatal(err)
	}
	out, err := AddMachine(src, MachineEntry{Name: "wanda", MAC: "00:00:5e:00:53:99", Profile: "laptop", Memory: "8G"})
	if err != nil {
		t.Fatal(err)
	}
	site, err := Load(overlayFS{fsys, map[string][]byte{InventoryFile: out}})
	if err != nil {
		t.Fatalf("Load after AddMachine = %v", err)
	}
	if n := len(site.Machines); n != 4 || site.Machines[n-1].Profile.System.Hostname != "wanda" {
		t.Errorf("machines after AddMachine: %+v", site.Machines)
	}
}

func TestAddMachineKeepsBlockScalars(t *testing.T) {
	// A last entry whose set: ends in a block scalar with # lines: text
	// insertion before them would cut the scalar short; the result must
	// still mean the same.
	src := "machines:\n  - name: a\n    profile: p\n    set:\n      files:\n        /etc/x:\n          content: |\n            line\n            # not a comment\n"
	out, err := AddMachine([]byte(src), MachineEntry{Name: "b", Profile: "p"})
	if err != nil {
		t.Fatal(err)
	}
	site, err := Load(fstest.MapFS{
		InventoryFile:     {Data: out},
		"profiles/p.yaml": {Data: []byte("root: {password_hash: \"" + goodHash + "\"}\n")},
	})
	if err != nil {
		t.Fatalf("Load = %v\n%s", err, out)
	}
	if got := site.Machines[0].Profile.Files["/etc/x"].Content; got != "line\n# not a comment\n" {
		t.Errorf("content after AddMachine = %q\n%s", got, out)
	}
}

// TestAddMachineKeepsEntryComments adds a machine to the machines.yaml that
// fugu profile init writes for each role, and to the example site's: the
// last machine's commented keys (# dmesg:, # set:) stay with it, and the
// new entry comes after them.
func TestAddMachineKeepsEntryComments(t *testing.T) {
	e := MachineEntry{Name: "wanda", MAC: "00:00:5e:00:53:99", Profile: "laptop", Memory: "8G"}
	cases := map[string]fs.FS{"example": ExampleSite()}
	for _, role := range StarterRoles {
		fsys, err := Starter(role)
		if err != nil {
			t.Fatal(err)
		}
		cases["starter-"+role] = fsys
	}
	for name, fsys := range cases {
		t.Run(name, func(t *testing.T) {
			src, err := readFS(fsys, InventoryFile)
			if err != nil {
				t.Fatal(err)
			}
			e.Profile = "laptop"
			if _, err := fs.Stat(fsys, "profiles/laptop.yaml"); err != nil {
				e.Profile = strings.TrimPrefix(name, "starter-")
			}
			out, err := AddMachine(src, e)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "addmachine/"+name+".golden", out)
			// assert that: the input is a prefix of the output (nothing of
			// the last entry moves below the new one), the new entry
			// follows the last entry's own lines, and the site loads.
			if !bytes.HasPrefix(out, src) && !bytes.HasPrefix(out, append(src, '\n')) {
				t.Errorf("AddMachine changed the text before the new entry:\n%s", out)
			}
			if _, err := Load(overlayFS{fsys, map[string][]byte{InventoryFile: out}}); err != nil {
				t.Errorf("Load after AddMachine = %v", err)
			}
		})
	}
}

func TestEntryTail(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  int
	}{
		{"entry comments", []string{"    # dmesg: x\n", "    # set:\n", "    #   a: b\n"}, 3},
		{"blank between", []string{"\n", "    # dmesg: x\n", "\n"}, 2},
		{"top-level comment", []string{"\n", "# on order:\n", "#   two laptops\n"}, 0},
		{"entry then top-level", []string{"    # dmesg: x\n", "\n", "# on order\n", "    # not the entry's\n"}, 1},
		{"dash-level comment", []string{"  # - name: spare\n"}, 0},
		{"deeper, no newline", []string{"      # nested"}, 1},
		{"next key", []string{"    # dmesg: x\n", "other: 1\n"}, 1},
	} {
		if got := entryTail(tc.lines, 0, 4); got != tc.want {
			t.Errorf("%s: entryTail(%q, 0, 4) = %d, want %d", tc.name, tc.lines, got, tc.want)
		}
	}
}

// TestAddMachineKeepsLineEnds: a machines.yaml written with CRLF line ends
// (a Windows editor) gets the new entry with CRLF too, not a file of mixed
// line ends; the text before it stays byte for byte.
func TestAddMachineKeepsLineEnds(t *testing.T) {
	for _, src := range []string{
		"# inventory\r\nmachines:\r\n  - name: a\r\n    profile: p\r\n",
		"machines: [{name: a, profile: p}]\r\n",
		"# nothing yet\r\n",
	} {
		out, err := AddMachine([]byte(src), MachineEntry{Name: "b", MAC: "00:00:5e:00:53:09", Profile: "p"})
		if err != nil {
			t.Fatalf("AddMachine(%q) = %v", src, err)
		}
		if n, crlf := bytes.Count(out, []byte("\n")), bytes.Count(out, []byte("\r\n")); n != crlf {
			t.Errorf("AddMachine(%q) = %q: %d of %d line ends are CRLF", src, out, crlf, n)
		}
		if !strings.Contains(string(out), "name: b") {
			t.Errorf("AddMachine(%q) = %q: no new entry", src, out)
		}
	}
}
