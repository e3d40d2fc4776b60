package profiles

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

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
			if _, ok := err.(Problems); !ok {
				t.Fatalf("LoadProfileFile error %T is not Problems: %v", err, err)
			}
			return
		}
		var b bytesBuffer
		if err := p.WriteYAML(&b); err != nil {
			t.Fatalf("WriteYAML: %v", err)
		}
		if _, err := LoadProfileFile("again.yaml", b.data); err != nil {
			t.Fatalf("accepted profile does not load again: %v\n%s", err, b.data)
		}
	})
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
		_, _ = Load(fsys)
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
	})
}
