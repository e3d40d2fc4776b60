package home

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRerunFixesMetadataOfUnchangedFiles: a chmod on the source changes
// no size and no mtime, and a target file touched since the last run
// keeps its content: a re-run skips both files' content, and must still
// leave them with the source's mode and mtime.
func TestRerunFixesMetadataOfUnchangedFiles(t *testing.T) {
	for _, d := range directions {
		for _, checksum := range []bool{false, true} {
			name := d.name
			if checksum {
				name += "/checksum"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				src := filepath.Join(dir, "src")
				makeTree(t, src)
				from, to := treePair(t, dir, d.src, d.dst)
				_, err := Copy(context.Background(), from, to, Options{})
				must(t, err)
				// big.bin travels alone, private in a bundle from a remote source.
				for _, n := range []string{"private", "big.bin"} {
					must(t, os.Chmod(filepath.Join(src, n), 0o604))
				}
				if checksum {
					later := epoch.Add(48 * time.Hour)
					must(t, os.Chtimes(filepath.Join(dir, "dst", "bin/tool"), later, later))
				}
				sum, err := Copy(context.Background(), from, to, Options{Checksum: checksum})
				must(t, err)
				if sum.Failed != 0 {
					t.Errorf("re-run: %d failed", sum.Failed)
				}
				sameTree(t, snapshot(t, src), snapshot(t, filepath.Join(dir, "dst")))
			})
		}
	}
}
