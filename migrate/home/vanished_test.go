package home

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestTargetGoneIsNoVanishedSource: a file that cannot be put in place
// because its target directory went away during the copy (someone
// removed it) is still on the source: it must count as failed, so the
// run does not end as complete, not as a source file that vanished.
func TestTargetGoneIsNoVanishedSource(t *testing.T) {
	for _, d := range directions {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			must(t, os.MkdirAll(filepath.Join(src, "d"), 0o755))
			must(t, os.WriteFile(filepath.Join(src, "d", "f"), bytes.Repeat([]byte("a"), 1<<20), 0o644))
			var once sync.Once
			received = func(int) {
				once.Do(func() { must(t, os.RemoveAll(filepath.Join(dir, "dst", "d"))) })
			}
			t.Cleanup(func() { received = nil })
			from, to := treePair(t, dir, d.src, d.dst)
			rec := newRecorder()
			sum, err := Copy(context.Background(), from, to, Options{Jobs: 1, Chunk: 64 << 10, Progress: rec})
			if err == nil && sum.Failed == 0 {
				t.Errorf("run ended as complete (%+v), but the target has no d/f", sum)
				for _, e := range rec.all() {
					if e.Kind == Skipped {
						t.Logf("skipped %s: %v", e.Path, e.Err)
					}
				}
			}
		})
	}
}
