package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// LocalHost is this machine as a Host (fugu's --to local). The zero value
// is ready to use.
type LocalHost struct {
	// Root, when set, confines ReadFile, Stat and WriteFile to this
	// directory with os.Root: "/etc/doas.conf" means Root/etc/doas.conf,
	// and neither ".." nor a symlink can leave it. Tests use it to stand a
	// directory in for a machine. Commands are not confined.
	Root string
	// Env is added to the environment of commands, e.g. a PATH that puts
	// stub programs first.
	Env []string
	// DoasPath is the doas(1) for AsRoot commands; default "doas".
	DoasPath string
	// AlwaysDoas uses doas for AsRoot even when fugu runs as root, where
	// the command otherwise runs directly.
	AlwaysDoas bool

	mu   sync.Mutex
	root *os.Root
}

var _ Host = (*LocalHost)(nil)

// Name is "local".
func (l *LocalHost) Name() string { return "local" }

// Run runs cmd.Line with /bin/sh -c in its own process group; AsRoot
// commands run as `doas -n /bin/sh -c LINE` unless fugu is root already.
// When ctx is done the whole group is killed and ctx.Err() is returned.
func (l *LocalHost) Run(ctx context.Context, cmd Command) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	line := rootLine(cmd, os.Geteuid() == 0 && !l.AlwaysDoas, l.DoasPath)
	c := exec.CommandContext(ctx, "/bin/sh", "-c", line)
	c.Stdin = cmd.Stdin
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if len(l.Env) > 0 {
		c.Env = append(os.Environ(), l.Env...)
	}
	// A process group, so that cancelling also ends what the shell started.
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Cancel = func() error { return syscall.Kill(-c.Process.Pid, syscall.SIGKILL) }
	c.WaitDelay = time.Second // a grandchild holding the pipes must not hang Run
	err := c.Run()
	if ctxErr := ctx.Err(); ctxErr != nil {
		return Result{}, ctxErr
	}
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.Exited():
		res.ExitCode = exitErr.ExitCode()
	case errors.As(err, &exitErr):
		// Killed by a signal: report it the way sh does, 128+n.
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			res.ExitCode = 128 + int(ws.Signal())
			return res, nil
		}
		return res, fmt.Errorf("run locally: %w", err)
	default:
		return res, fmt.Errorf("run locally: %w", err)
	}
	return res, nil
}

// ReadFile reads the file at p.
func (l *LocalHost) ReadFile(ctx context.Context, p string) ([]byte, error) {
	fsys, name, err := l.resolve(ctx, p)
	if err != nil {
		return nil, err
	}
	f, err := fsys.OpenFile(name, os.O_RDONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return b, nil
}

// Stat returns the file's information without following a final symlink.
func (l *LocalHost) Stat(ctx context.Context, p string) (fs.FileInfo, error) {
	fsys, name, err := l.resolve(ctx, p)
	if err != nil {
		return nil, err
	}
	fi, err := fsys.Lstat(name)
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", p, err)
	}
	return fi, nil
}

// WriteFile replaces p atomically through a temporary file in the same
// directory: created with O_EXCL, chmod while empty, written, synced and
// renamed over p. On failure the temporary file is removed.
func (l *LocalHost) WriteFile(ctx context.Context, p string, data []byte, mode fs.FileMode) (err error) {
	fsys, name, err := l.resolve(ctx, p)
	if err != nil {
		return err
	}
	tmp := tempName(name)
	f, err := fsys.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			fsys.Remove(tmp)
			err = fmt.Errorf("write %s: %w", p, err)
		}
	}()
	// As in SSHHost.WriteFile: set-id bits after writing.
	if err := f.Chmod(fileMode(mode) &^ setID); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if fileMode(mode)&setID != 0 {
		if err := f.Chmod(fileMode(mode)); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return fsys.Rename(tmp, name)
}

// Close releases the Root directory, if one was opened.
func (l *LocalHost) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.root == nil {
		return nil
	}
	err := l.root.Close()
	l.root = nil
	return err
}

// localFS is the part of the file system API that both the os package
// and *os.Root offer.
type localFS interface {
	OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error)
	Lstat(name string) (fs.FileInfo, error)
	Rename(oldname, newname string) error
	Remove(name string) error
}

type osFS struct{}

func (osFS) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag, perm)
}
func (osFS) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }
func (osFS) Rename(oldname, newname string) error   { return os.Rename(oldname, newname) }
func (osFS) Remove(name string) error               { return os.Remove(name) }

// resolve maps p to the file system and name to use.
func (l *LocalHost) resolve(ctx context.Context, p string) (localFS, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	if l.Root == "" {
		return osFS{}, filepath.Clean(p), nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.root == nil {
		r, err := os.OpenRoot(l.Root)
		if err != nil {
			return nil, "", fmt.Errorf("local root: %w", err)
		}
		l.root = r
	}
	// The host's absolute paths are relative to Root; os.Root refuses
	// anything that would leave it.
	name := strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(p)), "/")
	if name == "" {
		name = "."
	}
	return l.root, filepath.FromSlash(name), nil
}
