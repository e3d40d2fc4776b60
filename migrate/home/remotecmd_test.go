package home

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fugu/migrate/remote"
)

// noPerlRunner hides perl, as on a host without it, to exercise the
// sha256sum fallback.
type noPerlRunner struct{ shRunner }

func (r noPerlRunner) Run(ctx context.Context, cmd remote.Command) (remote.Result, error) {
	cmd.Line = strings.ReplaceAll(cmd.Line, "perl ", "no-such-perl ")
	return r.shRunner.Run(ctx, cmd)
}

func TestRemoteSumAndScan(t *testing.T) {
	dir := t.TempDir()
	names := []string{"plain", "new\nline", "sp ace", "-dash", "ünï", "-"}
	for i, n := range names {
		must(t, os.WriteFile(filepath.Join(dir, n), bytes.Repeat([]byte{byte(i)}, 1000*i), 0o644))
	}
	must(t, os.Link(filepath.Join(dir, "plain"), filepath.Join(dir, "plain2")))
	must(t, os.MkdirAll(filepath.Join(dir, "sub", "deep"), 0o755))
	must(t, os.Link(filepath.Join(dir, "plain"), filepath.Join(dir, "sub", "deep", "h")))
	must(t, os.WriteFile(filepath.Join(dir, "sub", "f"), make([]byte, 5), 0o644))
	must(t, os.Symlink("sub", filepath.Join(dir, "ln"))) // never followed
	for _, tc := range []struct {
		name   string
		runner Runner
		stat   bool
	}{{"perl", shRunner{}, true}, {"sha256sum", noPerlRunner{}, false}} {
		t.Run(tc.name, func(t *testing.T) {
			tr := inProcessSFTP(t, dir)
			tr.runner = tc.runner
			got, err := tr.Sum(context.Background(), append(names, "missing"))
			must(t, err)
			for i, n := range names {
				b, _ := os.ReadFile(filepath.Join(dir, n))
				want := sha256.Sum256(b)
				if !bytes.Equal(got[i].Sum, want[:]) && !(tc.name == "sha256sum" && got[i].Sum == nil) {
					t.Errorf("Sum(%q) = %x, want %x", n, got[i].Sum, want)
				}
				if tc.stat && (!got[i].Stat || got[i].Size != int64(len(b))) {
					t.Errorf("Sum(%q) stat = %v %d, want size %d", n, got[i].Stat, got[i].Size, len(b))
				}
			}
			if got[len(names)].Sum != nil {
				t.Errorf("Sum(missing) = %x, want nil", got[len(names)].Sum)
			}
			// assert that: one big file goes through the single-file command.
			one, err := tr.Sum(context.Background(), []string{"new\nline"})
			must(t, err)
			want := sha256.Sum256(bytes.Repeat([]byte{1}, 1000))
			if !bytes.Equal(one[0].Sum, want[:]) {
				t.Errorf("single Sum = %x, want %x", one[0].Sum, want)
			}
		})
	}
	tr := inProcessSFTP(t, dir)
	sc, err := tr.Scan(context.Background())
	must(t, err)
	if sc.Files != 9 || sc.Bytes != 15005 || len(sc.Links) != 3 || sc.Links["plain"] != sc.Links["plain2"] || sc.Links["plain"] != sc.Links["sub/deep/h"] {
		t.Errorf("Scan = %+v, want 9 files, 15005 bytes, plain, plain2 and sub/deep/h linked", sc)
	}
}

func TestParseScanRejectsGarbage(t *testing.T) {
	for _, in := range []string{"", "T 1\x00", "x y z\x00T 1 2\x00", "1 2\x00T 1 2\x00"} {
		if _, err := parseScan([]byte(in)); err == nil {
			t.Errorf("parseScan(%q) = nil error", in)
		}
	}
}
