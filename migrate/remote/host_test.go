package remote_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"
)

// hostCase is one Host implementation under the conformance suite, with a
// directory the host can write to, named as the host sees it (dir) and as
// this test process sees it (local).
type hostCase struct {
	name       string
	host       remote.Host
	dir, local string
}

func hostCases(t *testing.T) []hostCase {
	sshdDir := t.TempDir()
	inDir := t.TempDir()
	localDir := t.TempDir()
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	local := &remote.LocalHost{}
	rooted := &remote.LocalHost{Root: root}
	t.Cleanup(func() { local.Close(); rooted.Close() })
	return []hostCase{
		{"sshd", sshtest.StartSSHD(t, sshtest.Options{}).Dial(t), sshdDir, sshdDir},
		{"inprocess", sshtest.StartInProcess(t, sshtest.Options{}).Dial(t), inDir, inDir},
		{"local", local, localDir, localDir},
		{"local-root", rooted, "/etc", filepath.Join(root, "etc")},
	}
}

func TestHostRun(t *testing.T) {
	tests := []struct {
		name           string
		cmd            remote.Command
		stdin          string
		stdout, stderr string
		exit           int
	}{
		{"stdout", remote.Command{Line: "echo hello"}, "", "hello\n", "", 0},
		{"stderr and exit", remote.Command{Line: "echo oops >&2; exit 3"}, "", "", "oops\n", 3},
		{"stdin", remote.Command{Line: "tr a-z A-Z"}, "abc", "ABC", "", 0},
		{"quoted", remote.Command{Line: "printf %s " + remote.Quote("it's $(id)\n`x`")}, "", "it's $(id)\n`x`", "", 0},
		{"no stdin", remote.Command{Line: "cat"}, "", "", "", 0},
		{"killed", remote.Command{Line: "kill -9 $$"}, "", "", "", 137},
	}
	for _, hc := range hostCases(t) {
		for _, tt := range tests {
			t.Run(hc.name+"/"+tt.name, func(t *testing.T) {
				cmd := tt.cmd
				if tt.stdin != "" {
					cmd.Stdin = strings.NewReader(tt.stdin)
				}
				res, err := hc.host.Run(context.Background(), cmd)
				if err != nil {
					t.Fatalf("Run(%q): %v", tt.cmd.Line, err)
				}
				if string(res.Stdout) != tt.stdout || string(res.Stderr) != tt.stderr || res.ExitCode != tt.exit {
					t.Errorf("Run(%q) = stdout %q stderr %q exit %d, want %q %q %d",
						tt.cmd.Line, res.Stdout, res.Stderr, res.ExitCode, tt.stdout, tt.stderr, tt.exit)
				}
			})
		}
	}
}

func TestHostFiles(t *testing.T) {
	ctx := context.Background()
	for _, hc := range hostCases(t) {
		t.Run(hc.name, func(t *testing.T) {
			h := hc.host
			p := hc.dir + "/doas.conf"
			if _, err := h.ReadFile(ctx, p); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("ReadFile(missing) error = %v, want fs.ErrNotExist", err)
			}
			if _, err := h.Stat(ctx, p); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("Stat(missing) error = %v, want fs.ErrNotExist", err)
			}
			for i, content := range []string{"permit persist :wheel\n", "permit nopass peter\n"} {
				if err := h.WriteFile(ctx, p, []byte(content), 0o600); err != nil {
					t.Fatalf("WriteFile #%d: %v", i, err)
				}
				got, err := h.ReadFile(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != content {
					t.Errorf("ReadFile after write #%d = %q, want %q", i, got, content)
				}
			}
			fi, err := h.Stat(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode() != 0o600 || fi.Size() != 20 || fi.Name() != "doas.conf" {
				t.Errorf("Stat = %s mode %v size %d, want doas.conf -rw------- 20", fi.Name(), fi.Mode(), fi.Size())
			}
			if uid, gid, ok := remote.FileOwner(fi); !ok || uid != uint32(os.Getuid()) || gid != uint32(os.Getgid()) {
				t.Errorf("FileOwner = %d, %d, %v; want %d, %d", uid, gid, ok, os.Getuid(), os.Getgid())
			}
			// assert that: the file is where the host said, and no temporary file is left.
			if got, err := os.ReadFile(filepath.Join(hc.local, "doas.conf")); err != nil || string(got) != "permit nopass peter\n" {
				t.Errorf("file seen locally = %q, %v", got, err)
			}
			for _, mode := range []fs.FileMode{0o4755, fs.ModeSetuid | 0o755} {
				if err := h.WriteFile(ctx, hc.dir+"/setuid", []byte("x"), mode); err != nil {
					t.Fatal(err)
				}
				if fi, err := os.Stat(filepath.Join(hc.local, "setuid")); err != nil || fi.Mode() != fs.ModeSetuid|0o755 {
					t.Errorf("mode after WriteFile with %o = %v, %v; want urwxr-xr-x", mode, fi.Mode(), err)
				}
			}
			if err := h.WriteFile(ctx, hc.dir+"/nodir/f", []byte("x"), 0o644); err == nil {
				t.Error("WriteFile into a missing directory succeeded")
			}
			if err := os.Symlink("doas.conf", filepath.Join(hc.local, "link")); err != nil {
				t.Fatal(err)
			}
			if fi, err := h.Stat(ctx, hc.dir+"/link"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Errorf("Stat(link) = %v, %v; want a symlink, not its target", fi, err)
			}
			entries, err := os.ReadDir(hc.local)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if strings.Join(names, " ") != "doas.conf link setuid" {
				t.Errorf("directory holds %v, want doas.conf link setuid", names)
			}
			// Random and of an odd size, so that a lost, repeated or
			// misplaced packet of the concurrent transfer shows.
			data := make([]byte, 3<<20+7)
			rand.Read(data)
			if err := h.WriteFile(ctx, hc.dir+"/big", data, 0o644); err != nil {
				t.Fatal(err)
			}
			if got, err := h.ReadFile(ctx, hc.dir+"/big"); err != nil || !bytes.Equal(got, data) {
				t.Errorf("ReadFile(big) = %d bytes, %v; want the %d written", len(got), err, len(data))
			}
		})
	}
}

func TestHostCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, hc := range hostCases(t) {
		if _, err := hc.host.Run(ctx, remote.Command{Line: "true"}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Run(cancelled ctx) = %v, want context.Canceled", hc.name, err)
		}
		if err := hc.host.WriteFile(ctx, hc.dir+"/x", []byte("x"), 0o644); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: WriteFile(cancelled ctx) = %v, want context.Canceled", hc.name, err)
		}
	}
}

// LocalHost with a Root never reaches outside it.
func TestLocalRootConfined(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("s"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "abs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../"+filepath.Base(outside)+"/secret", filepath.Join(root, "rel")); err != nil {
		t.Fatal(err)
	}
	h := &remote.LocalHost{Root: root}
	defer h.Close()
	ctx := context.Background()
	for _, p := range []string{"/abs", "rel", filepath.Join(outside, "secret")} {
		if b, err := h.ReadFile(ctx, p); err == nil {
			t.Errorf("ReadFile(%q) = %q, want an error: it is outside Root", p, b)
		}
	}
	// ".." is clamped to Root, as on a real machine's "/".
	if err := h.WriteFile(ctx, "../../x", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "x")); err != nil {
		t.Errorf("../../x did not land in Root: %v", err)
	}
}

func TestWriteFileAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chown to root needs root; the doas path is the same as in TestRunAsRootWithStubDoas")
	}
	ctx := context.Background()
	bin := t.TempDir()
	doasLog := sshtest.WriteStubDoas(t, bin)
	srv := sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{bin}})
	cfg := srv.Config(t)
	cfg.AlwaysDoas = true
	cases := hostCases(t)
	cases = append(cases, hostCase{"sshd-doas", srv.DialConfig(t, cfg), t.TempDir(), ""})
	cases[len(cases)-1].local = cases[len(cases)-1].dir
	for _, hc := range cases {
		if hc.name == "local-root" {
			continue // commands are not confined to Root
		}
		t.Run(hc.name, func(t *testing.T) {
			p := hc.dir + "/doas.conf"
			for _, content := range []string{"permit persist :wheel\n", "it's $(x)\n\x00binary"} {
				if err := remote.WriteFileAsRoot(ctx, hc.host, p, []byte(content), 0o600, "root", "0"); err != nil {
					t.Fatal(err)
				}
				if got, err := os.ReadFile(filepath.Join(hc.local, "doas.conf")); err != nil || string(got) != content {
					t.Errorf("content = %q, %v; want %q", got, err, content)
				}
			}
			if err := remote.WriteFileAsRoot(ctx, hc.host, hc.dir+"/suid", []byte("x"), fs.ModeSetuid|0o750, "root", "root"); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(filepath.Join(hc.local, "suid")); err != nil || fi.Mode() != fs.ModeSetuid|0o750 {
				t.Errorf("mode = %v, %v; want urwxr-x---", fi.Mode(), err)
			}
			if err := remote.WriteFileAsRoot(ctx, hc.host, hc.dir+"/nodir/x", []byte("x"), 0o644, "root", "root"); err == nil {
				t.Error("write into a missing directory succeeded")
			}
			if err := remote.WriteFileAsRoot(ctx, hc.host, hc.dir+"/x", []byte("x"), 0o644, "no-such-user-fugu", "root"); err == nil {
				t.Error("write with an unknown owner succeeded")
			}
			entries, _ := os.ReadDir(hc.local)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if strings.Join(names, " ") != "doas.conf suid" {
				t.Errorf("directory holds %v, want doas.conf suid and no temporary file", names)
			}
		})
	}
	if b, _ := os.ReadFile(doasLog); !strings.Contains(string(b), "mktemp") {
		t.Errorf("the sshd-doas case did not go through doas: log %q", b)
	}
	for _, bad := range [][2]string{{"root;id", "root"}, {"root", "-x"}, {"", "root"}} {
		if err := remote.WriteFileAsRoot(ctx, &remote.LocalHost{}, "/tmp/x", nil, 0o644, bad[0], bad[1]); err == nil {
			t.Errorf("owner %q group %q accepted", bad[0], bad[1])
		}
	}
}

// One SSHHost serves concurrent commands and file reads (run with -race).
func TestSSHHostConcurrent(t *testing.T) {
	srv := sshtest.StartSSHD(t, sshtest.Options{})
	h := srv.Dial(t)
	dir := t.TempDir()
	ctx := context.Background()
	errc := make(chan error, 16)
	for i := range 8 {
		go func() {
			res, err := h.Run(ctx, remote.Command{Line: "echo " + strconv.Itoa(i)})
			if err == nil && string(res.Stdout) != strconv.Itoa(i)+"\n" {
				err = fmt.Errorf("Run %d printed %q", i, res.Stdout)
			}
			errc <- err
		}()
		go func() {
			p := fmt.Sprintf("%s/f%d", dir, i)
			err := h.WriteFile(ctx, p, []byte(p), 0o644)
			if err == nil {
				var b []byte
				b, err = h.ReadFile(ctx, p)
				if err == nil && string(b) != p {
					err = fmt.Errorf("ReadFile(%s) = %q", p, b)
				}
			}
			errc <- err
		}()
	}
	for range 16 {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}
