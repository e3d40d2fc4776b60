package home

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestUnbundle(t *testing.T) {
	mt := time.Unix(1700000000, 0)
	e := Entry{Path: "f", Size: 5, ModTime: mt}
	sum := sha256.Sum256([]byte("hello"))
	ok := func(n, size, mtime int64, hash []byte, body string) string {
		return fmt.Sprintf("ok %d %d %d %s\n%s", n, size, mtime, hex.EncodeToString(hash), body)
	}
	tests := []struct {
		name string
		in   string
		want error // nil: the file is written
	}{
		{"good", ok(5, 5, mt.Unix(), sum[:], "hello"), nil},
		{"vanished", "err vanished or no longer a regular file\n", fs.ErrNotExist},
		{"denied", "err Permission denied\n", fs.ErrPermission},
		{"grew while read", ok(5, 6, mt.Unix(), sum[:], "hello"), errChanged},
		{"touched while read", ok(5, 5, mt.Unix()+1, sum[:], "hello"), errChanged},
		{"corrupted in transit", ok(5, 5, mt.Unix(), sum[:], "jello"), errors.New("content differs")},
		{"truncated reply", ok(5, 5, mt.Unix(), sum[:], "hel"), errBadBundle},
		{"garbage", "what\n", errBadBundle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := &run{dst: openLocal(t, dir), opt: Options{Progress: NopProgress{}}, ctx: context.Background()}
			j, _, err := openJournal(r.dst)
			must(t, err)
			r.j = j
			p, err := r.unbundle(bufio.NewReader(strings.NewReader(tt.in)), e)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("unbundle = %v", err)
			case tt.want == nil:
				b, _ := os.ReadFile(filepath.Join(dir, p.tmp))
				if string(b) != "hello" {
					t.Errorf("temp file = %q, want hello", b)
				}
			case err == nil:
				t.Fatalf("unbundle = nil, want %v", tt.want)
			case !errors.Is(err, tt.want) && !strings.Contains(err.Error(), tt.want.Error()):
				t.Errorf("unbundle = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestBundleFallsBackWithoutPerl copies from a host without perl: the
// small files then go one by one over SFTP, and hashing falls back too.
func TestBundleFallsBackWithoutPerl(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	src := inProcessSFTP(t, filepath.Join(dir, "src"))
	src.runner = noPerlRunner{}
	_, err := Copy(context.Background(), src, openLocal(t, filepath.Join(dir, "dst")), Options{})
	must(t, err)
	want := snapshot(t, filepath.Join(dir, "src"))
	got := snapshot(t, filepath.Join(dir, "dst"))
	// Without perl hard links cannot be found (SFTP has no inode numbers):
	// the two names arrive as two files with the same content.
	delete(want, "links:a/hard2,hard1")
	sameTree(t, want, got)
}
