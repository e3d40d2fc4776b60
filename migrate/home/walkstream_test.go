package home

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWalkScript runs the walk command on a tree with every kind of entry
// and a directory to skip: it yields what the local walk yields, entry
// for entry (order aside), with the inode numbers the hard links need.
func TestWalkScript(t *testing.T) {
	if _, err := exec.LookPath("perl"); err != nil {
		t.Skip("no perl")
	}
	dir := t.TempDir()
	makeTree(t, dir)
	must(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644))
	must(t, os.MkdirAll(filepath.Join(dir, "skip", "deep"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "skip", "deep", "f"), nil, 0o644))
	skip := func(e Entry) error {
		if e.Path == "skip" {
			return fs.SkipDir
		}
		return nil
	}

	want := map[string]Entry{}
	must(t, openLocal(t, dir).Walk(context.Background(), func(e Entry, err error) error {
		must(t, err)
		want[e.Path] = e
		return skip(e)
	}))
	cmd := exec.Command("/bin/sh", "-c", "cd "+shQuote(dir)+" && exec "+walkScript)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	must(t, err)
	// The counting child's totals, on stderr, over the whole tree.
	var files, size int64
	must(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if d.Type().IsRegular() {
			fi, _ := d.Info()
			files, size = files+1, size+fi.Size()
		}
		return err
	}))
	if want := fmt.Sprintf("T %d %d\n", files, size); stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	got := map[string]Entry{}
	var order []string
	_, err = walkRecords(bufio.NewReader(bytes.NewReader(out)), func(e Entry, err error) error {
		must(t, err)
		got[e.Path] = e
		order = append(order, e.Path)
		return skip(e)
	})
	must(t, err)
	if len(got) != len(want) {
		t.Errorf("walk command gave %d entries, local walk %d", len(got), len(want))
	}
	for p, w := range want {
		g, ok := got[p]
		if !ok {
			t.Errorf("%q: missing", p)
			continue
		}
		if g.Mode != w.Mode || g.Size != w.Size || !g.ModTime.Equal(w.ModTime.Truncate(1e9)) ||
			g.UID != w.UID || g.GID != w.GID || g.Dev != w.Dev || g.Ino != w.Ino || g.Nlink != w.Nlink {
			t.Errorf("%q: %+v, want %+v", p, g, w)
		}
	}
	// Parents come before what they hold.
	seen := map[string]bool{".": true}
	for _, p := range order {
		if !seen[filepath.Dir(p)] {
			t.Errorf("%q came before its directory", p)
		}
		seen[p] = true
	}
}

func TestWalkRecords(t *testing.T) {
	rec := func(h, p string) string { return h + "\x00" + p + "\x00" }
	tests := []struct {
		name  string
		in    string
		want  []string // paths handed to fn, with "!" before those with an error
		error string   // the walk's own error
	}{
		{"file", rec("f 33188 5 1700000000 0 0 1 2 1", "a"), []string{"a"}, ""},
		{"unreadable dir", rec("d 16877 0 1 0 0 1 2 2", "d") + rec("E Permission denied", "d"), []string{"d", "!d"}, ""},
		{"skipped subtree", rec("d 16877 0 1 0 0 1 2 2", "skip") + rec("f 33188 5 1 0 0 1 3 1", "skip/f") +
			rec("d 16877 0 1 0 0 1 4 2", "skip/d") + rec("f 33188 5 1 0 0 1 5 1", "skip/d/g") + rec("f 33188 5 1 0 0 1 6 1", "skipper"),
			[]string{"skip", "skipper"}, ""},
		{"top directory unreadable", rec("E Permission denied", "."), nil, "top directory"},
		{"climbing path", rec("f 33188 5 1 0 0 1 2 1", "../etc/passwd"), nil, "invalid path"},
		{"absolute path", rec("f 33188 5 1 0 0 1 2 1", "/etc/passwd"), nil, "invalid path"},
		{"short header", rec("f 33188 5", "a"), nil, "malformed"},
		{"bad number", rec("f 33188 x 1 0 0 1 2 1", "a"), nil, "malformed"},
		{"no path", "f 33188 5 1 0 0 1 2 1\x00", nil, "without a path"},
		{"cut mid-record", rec("f 33188 5 1 0 0 1 2 1", "a") + "f 331", []string{"a"}, "connection lost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			_, err := walkRecords(bufio.NewReader(strings.NewReader(tt.in)), func(e Entry, err error) error {
				p := e.Path
				if err != nil {
					p = "!" + p
				}
				got = append(got, p)
				if e.Path == "skip" && err == nil {
					return fs.SkipDir
				}
				return nil
			})
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("entries %q, want %q", got, tt.want)
			}
			switch {
			case tt.error == "" && err != nil:
				t.Errorf("walk: %v", err)
			case tt.error != "" && (err == nil || !strings.Contains(err.Error(), tt.error)):
				t.Errorf("walk: %v, want %q", err, tt.error)
			}
		})
	}
	// A denied listing is fs.ErrPermission, a vanished entry fs.ErrNotExist.
	_, err := parseWalkRecord("E Permission denied", "d")
	_, err2 := parseWalkRecord("E No such file or directory", "d")
	if !errors.Is(err, fs.ErrPermission) || !errors.Is(err2, fs.ErrNotExist) {
		t.Errorf("errors %v, %v", err, err2)
	}
}

func FuzzWalkRecords(f *testing.F) {
	f.Add([]byte("f 33188 5 1700000000 0 0 1 2 1\x00a\x00d 16877 0 1 0 0 1 2 2\x00d\x00E Permission denied\x00d\x00"))
	f.Add([]byte("o 4480 0 1 0 0 1 2 1\x00fifo\x00l 41471 3 1 0 0 1 9 1\x00a/l\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		_, _ = walkRecords(bufio.NewReader(bytes.NewReader(in)), func(e Entry, err error) error {
			if !validPath(e.Path) {
				t.Fatalf("fn got path %q", e.Path)
			}
			if err == nil && e.Mode.IsDir() && e.Path == "skip" {
				return fs.SkipDir
			}
			return nil
		})
	})
}
