package profiles

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestStartersLoad(t *testing.T) {
	for _, role := range StarterRoles {
		fsys, err := Starter(role)
		if err != nil {
			t.Fatal(err)
		}
		site, err := Load(fsys)
		if err != nil {
			t.Errorf("Load(Starter(%q)) = %v", role, err)
			continue
		}
		if site.Profiles[role] == nil || len(site.Machines) != 1 || site.Machines[0].ProfileName != role {
			t.Errorf("Starter(%q) has profiles %v, machines %v", role, site.Profiles, site.Machines)
		}
	}
	if _, err := Starter("desktop"); err == nil {
		t.Errorf("Starter(desktop) = nil error")
	}
}

// commentedKey is a commented-out line of a starter that shows a key or
// a list item to take up: "# key: value", "# - item", "# /path: {...}".
var commentedKey = regexp.MustCompile(`^(\s*)# (\s*)(- |[a-z_]+:( |$)|/[a-z/.]+:)`)

// TestStarterExamplesLoad: what a starter shows commented out loads when
// uncommented, all of it at once, so that a user who takes the examples
// up gets a valid site. The made-up ssh key placeholders get a real key,
// and the dmesg a commented dmesg: names is the example site's.
func TestStarterExamplesLoad(t *testing.T) {
	const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOIwA7eaymAl2BMia0/CExCyXnFaYzbzUCi/Th6DGCUG"
	dmesg, err := fs.ReadFile(ExampleSite(), "dmesg/probook.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range StarterRoles {
		fsys, err := Starter(role)
		if err != nil {
			t.Fatal(err)
		}
		site := fstest.MapFS{}
		n := 0
		err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			lines := strings.Split(string(data), "\n")
			for i, l := range lines {
				if m := commentedKey.FindStringSubmatchIndex(l); m != nil {
					lines[i] = l[:m[3]] + l[m[4]:]
					n++
					if d := regexp.MustCompile(`dmesg: (\S+)`).FindStringSubmatch(lines[i]); d != nil {
						site[d[1]] = &fstest.MapFile{Data: dmesg}
					}
				}
			}
			site[p] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(strings.Join(lines, "\n"), "ssh-ed25519 AAAA...", key))}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("starter %s: no commented-out example found", role)
		}
		if _, err := Load(site); err != nil {
			t.Errorf("starter %s with its %d commented-out examples taken up:\n%v", role, n, err)
		}
	}
}
