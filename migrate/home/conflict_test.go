package home

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTargetDirectoryWhereSourceHasFile: the target holds a directory
// where the source has a file, a symlink or a hard link's second name.
// fugu removes no directory: each is reported as such, the directory
// keeps what it holds, and no temp file is left beside it (a big file's
// would be a whole copy, kept by every later run). A dry run reports the
// same failures.
func TestTargetDirectoryWhereSourceHasFile(t *testing.T) {
	for _, d := range withDryRuns(directions) {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
			w := func(p string, n int) {
				must(t, os.MkdirAll(filepath.Dir(p), 0o755))
				must(t, os.WriteFile(p, []byte(strings.Repeat("s", n)), 0o644))
			}
			for _, sub := range []string{"", "sub/"} {
				w(filepath.Join(src, sub+"small"), 10)
				w(filepath.Join(src, sub+"big"), 5<<20)
				w(filepath.Join(src, sub+"plain"), 10)
				must(t, os.Link(filepath.Join(src, sub+"plain"), filepath.Join(src, sub+"zz-hard")))
				must(t, os.Symlink("small", filepath.Join(src, sub+"link")))
				for _, n := range []string{"small", "big", "zz-hard", "link"} {
					w(filepath.Join(dst, sub+n, "keep"), 1)
				}
			}
			from, to := treePair(t, dir, d.src, d.dst)
			rec := newRecorder()
			_, err := Copy(context.Background(), from, to, Options{Jobs: 2, Chunk: 1 << 20, Progress: rec, DryRun: d.dryRun})
			must(t, err)
			failed := map[string]string{}
			for _, e := range rec.all() {
				if e.Kind == Failed {
					failed[e.Path] = e.Err.Error()
				}
			}
			for _, sub := range []string{"", "sub/"} {
				for _, n := range []string{"small", "big", "zz-hard", "link"} {
					p := sub + n
					if !strings.Contains(failed[p], "target exists and is a directory") {
						t.Errorf("%s: failure %q, want it to say the target has a directory there", p, failed[p])
					}
					if _, err := os.Stat(filepath.Join(dst, p, "keep")); err != nil {
						t.Errorf("%s/keep: %v", p, err)
					}
				}
			}
			must(t, filepath.WalkDir(dst, func(p string, de fs.DirEntry, err error) error {
				if strings.HasPrefix(de.Name(), tmpPrefix) {
					t.Errorf("temp file left: %s", p)
				}
				return err
			}))
		})
	}
}

// TestTargetFileWhereSourceHasDirectory: the target holds a file or a
// symlink where the source has a directory. Neither is replaced nor
// followed, and the failure says so in every direction (SFTP's mkdir
// answers only "failure"). A dry run reports the same failures.
func TestTargetFileWhereSourceHasDirectory(t *testing.T) {
	for _, d := range withDryRuns(directions) {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			src, dst, out := filepath.Join(dir, "src"), filepath.Join(dir, "dst"), filepath.Join(dir, "outside")
			for _, p := range []string{filepath.Join(src, "file", "sub"), filepath.Join(src, "link", "sub"), dst, out} {
				must(t, os.MkdirAll(p, 0o755))
			}
			must(t, os.WriteFile(filepath.Join(src, "file", "sub", "x"), []byte("x"), 0o644))
			must(t, os.WriteFile(filepath.Join(src, "link", "sub", "x"), []byte("x"), 0o644))
			must(t, os.WriteFile(filepath.Join(dst, "file"), []byte("keep"), 0o644))
			must(t, os.Symlink(out, filepath.Join(dst, "link")))
			from, to := treePair(t, dir, d.src, d.dst)
			rec := newRecorder()
			_, err := Copy(context.Background(), from, to, Options{Progress: rec, DryRun: d.dryRun})
			must(t, err)
			failed := map[string]string{}
			for _, e := range rec.all() {
				if e.Kind == Failed {
					failed[e.Path] = e.Err.Error()
				}
			}
			for _, p := range []string{"file", "link"} {
				if !strings.Contains(failed[p], "target exists and is not a directory") {
					t.Errorf("%s: failure %q, want it to say the target has no directory there", p, failed[p])
				}
			}
			if ents, _ := os.ReadDir(out); len(ents) != 0 {
				t.Errorf("written through the target's symlink: %v", ents)
			}
		})
	}
}

// withDryRuns is each direction twice: copying, and as a dry run.
func withDryRuns(ds []direction) []dryRunDirection {
	var out []dryRunDirection
	for _, d := range ds {
		dry := d
		dry.name += "-dry-run"
		out = append(out, dryRunDirection{d, false}, dryRunDirection{dry, true})
	}
	return out
}

type dryRunDirection struct {
	direction
	dryRun bool
}
