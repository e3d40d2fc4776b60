package firewall

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCheck feeds arbitrary text to the pf.conf linter, seeded with the
// golden, good and broken rulesets. It must not panic, and every finding
// must point at a line of the input.
func FuzzCheck(f *testing.F) {
	for _, dir := range []string{"good", "bad"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", "check", dir, "*.conf"))
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	paths, _ := filepath.Glob(filepath.Join("testdata", "golden", "*", "pf.conf"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, fd := range Check(bytes.NewReader(data)) {
			if fd.Line < 0 || fd.Line > lines {
				t.Fatalf("finding on line %d of a %d-line input: %s", fd.Line, lines, fd)
			}
		}
	})
}
