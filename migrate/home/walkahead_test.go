package home

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSFTPWalkReadAhead walks a tree with more directories per level
// than readAhead, skipping some, and requires the SFTP walk (which reads
// listings ahead) to visit exactly what the local walk visits, in order.
func TestSFTPWalkReadAhead(t *testing.T) {
	dir := t.TempDir()
	for i := range 3 * readAhead {
		for j := range 3 {
			d := filepath.Join(dir, "d"+strconv.Itoa(i), "e"+strconv.Itoa(j))
			must(t, os.MkdirAll(d, 0o755))
			must(t, os.WriteFile(filepath.Join(d, "f"), nil, 0o600))
		}
		must(t, os.WriteFile(filepath.Join(dir, "f"+strconv.Itoa(i)), nil, 0o600))
	}
	walk := func(tr Tree) string {
		var seen []string
		must(t, tr.Walk(context.Background(), func(e Entry, err error) error {
			must(t, err)
			seen = append(seen, e.Path)
			if e.Mode.IsDir() && (strings.HasSuffix(e.Path, "3") || e.Path == "d5/e1") {
				return fs.SkipDir
			}
			return nil
		}))
		return strings.Join(seen, " ")
	}
	want := walk(openLocal(t, dir))
	if got := walk(inProcessSFTP(t, dir)); got != want {
		t.Errorf("SFTP walk =\n%s\nwant (local walk)\n%s", got, want)
	}
	if !strings.Contains(want, "d5/e2/f") || strings.Contains(want, "d5/e1/f") || strings.Contains(want, "d13/") {
		t.Errorf("SkipDir not honoured: %s", want)
	}
}
