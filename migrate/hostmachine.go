package migrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"fugu/migrate/remote"
	"fugu/packages"
)

// HostMachine is a Machine reached through a remote.Host: commands run
// with /bin/sh -c, root ones through doas.
//
// Root is a directory prefix for every path fugu reads or writes (not for
// the programs it runs). It exists for the integration tests, which use
// directories as stand-ins for the machines; on a real machine it is "/".
type HostMachine struct {
	Host remote.Host
	Root string
}

// NewHostMachine returns h as a Machine with paths under root ("" or "/"
// for the real root).
func NewHostMachine(h remote.Host, root string) *HostMachine {
	if root == "" {
		root = "/"
	}
	return &HostMachine{Host: h, Root: root}
}

var _ Machine = (*HostMachine)(nil)

func (m *HostMachine) Name() string { return m.Host.Name() }

func (m *HostMachine) path(p string) string { return path.Join(m.Root, p) }

// errNotExistExit is the exit status the read and list commands use for
// a missing file, so it is told apart from a doas failure.
const errNotExistExit = 66

func (m *HostMachine) run(ctx context.Context, line string, asRoot bool, stdin []byte) (remote.Result, error) {
	cmd := remote.Command{Line: line, AsRoot: asRoot}
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	return m.Host.Run(ctx, cmd)
}

func cmdError(what string, res remote.Result) error {
	msg := strings.TrimSpace(string(res.Stderr))
	if msg == "" {
		msg = strings.TrimSpace(string(res.Stdout))
	}
	return fmt.Errorf("%s: exit %d: %s", what, res.ExitCode, msg)
}

// ReadFile reads as the login user first (sftp) and through doas when
// that fails for any reason but absence: /etc/doas.conf is 0600 root.
func (m *HostMachine) ReadFile(ctx context.Context, p string) ([]byte, error) {
	full := m.path(p)
	data, err := m.Host.ReadFile(ctx, full)
	if err == nil || errors.Is(err, fs.ErrNotExist) || ctx.Err() != nil {
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		return data, nil
	}
	q := remote.Quote(full)
	res, rerr := m.run(ctx, fmt.Sprintf("[ -e %s ] || exit %d; exec cat -- %s", q, errNotExistExit, q), true, nil)
	switch {
	case rerr != nil:
		return nil, fmt.Errorf("read %s: %w", p, rerr)
	case res.ExitCode == errNotExistExit:
		return nil, fmt.Errorf("read %s: %w", p, fs.ErrNotExist)
	case res.ExitCode != 0:
		return nil, fmt.Errorf("read %s as root (%v first): %w", p, err, cmdError("cat", res))
	}
	return res.Stdout, nil
}

func (m *HostMachine) Mode(ctx context.Context, p string) fs.FileMode {
	fi, err := m.Host.Stat(ctx, m.path(p))
	if err != nil {
		return 0o644
	}
	return fi.Mode().Type() | fi.Mode().Perm()
}

func (m *HostMachine) Owner(ctx context.Context, p string) (int, int) {
	fi, err := m.Host.Stat(ctx, m.path(p))
	if err != nil {
		return -1, -1
	}
	uid, gid, ok := remote.FileOwner(fi)
	if !ok {
		return -1, -1
	}
	return int(uid), int(gid)
}

// ListDir lists as the login user first and through doas when that is
// refused (/var/cron/tabs is root's), so a machine without a nopass doas
// rule still gives what the login user can see.
func (m *HostMachine) ListDir(ctx context.Context, dir string) ([]string, error) {
	q := remote.Quote(m.path(dir))
	// -p marks directories with a trailing slash: they are left out.
	line := fmt.Sprintf("[ -d %s ] || exit %d; exec ls -1Ap -- %s", q, errNotExistExit, q)
	res, err := m.run(ctx, line, false, nil)
	if err == nil && res.ExitCode != 0 && res.ExitCode != errNotExistExit {
		res, err = m.run(ctx, line, true, nil)
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("list %s: %w", dir, err)
	case res.ExitCode == errNotExistExit:
		return nil, fmt.Errorf("list %s: %w", dir, fs.ErrNotExist)
	case res.ExitCode != 0:
		return nil, fmt.Errorf("list %s: %w", dir, cmdError("ls", res))
	}
	var names []string
	for _, l := range strings.Split(string(res.Stdout), "\n") {
		if l != "" && !strings.HasSuffix(l, "/") {
			names = append(names, l)
		}
	}
	return names, nil
}

// Packages runs pkg_info -mz, or pkg_info -m on releases without -z.
func (m *HostMachine) Packages(ctx context.Context) ([]packages.Name, error) {
	res, err := m.run(ctx, "pkg_info -mz", false, nil)
	if err != nil {
		return nil, fmt.Errorf("pkg_info: %w", err)
	}
	if res.ExitCode != 0 {
		if res, err = m.run(ctx, "pkg_info -m", false, nil); err != nil {
			return nil, fmt.Errorf("pkg_info: %w", err)
		}
		if res.ExitCode != 0 {
			return nil, cmdError("pkg_info -m", res)
		}
	}
	// A line fugu cannot read is reported; the others are still moved.
	names, err := packages.ParseList(bytes.NewReader(res.Stdout))
	if err != nil {
		return names, fmt.Errorf("pkg_info output: %w", err)
	}
	return names, nil
}

// upload writes data to a new private directory made by mktemp -d as the
// login user and returns the file's path and the directory.
func (m *HostMachine) upload(ctx context.Context, data []byte) (file, dir string, err error) {
	res, err := m.run(ctx, "mktemp -d /tmp/fugu.XXXXXXXXXX", false, nil)
	if err != nil {
		return "", "", fmt.Errorf("make a temporary directory: %w", err)
	}
	if res.ExitCode != 0 {
		return "", "", cmdError("mktemp -d", res)
	}
	dir = strings.TrimSpace(string(res.Stdout))
	if !strings.HasPrefix(dir, "/tmp/fugu.") || strings.ContainsAny(dir, "\n ") {
		return "", "", fmt.Errorf("mktemp -d printed %q", dir)
	}
	file = dir + "/data"
	if err := m.Host.WriteFile(ctx, file, data, 0o600); err != nil {
		m.cleanup(dir)
		return "", "", fmt.Errorf("upload: %w", err)
	}
	return file, dir, nil
}

// cleanup removes a temporary directory; it runs even after ctx is done.
func (m *HostMachine) cleanup(dir string) {
	_, _ = m.run(context.Background(), "rm -rf -- "+remote.Quote(dir), false, nil)
}

// InstallFile uploads data, then as root: copies the old file to the
// backup name (cp -p keeps its owner and mode), installs the upload as
// FILE.fugu-new with install(1) -o -g -m, and renames it over FILE, which
// is atomic within the directory.
func (m *HostMachine) InstallFile(ctx context.Context, p string, data []byte, mode FileMode, backupSuffix string) error {
	tmp, dir, err := m.upload(ctx, data)
	if err != nil {
		return fmt.Errorf("install %s: %w", p, err)
	}
	defer m.cleanup(dir)
	f := remote.Quote(m.path(p))
	var line strings.Builder
	line.WriteString("set -e; ")
	fmt.Fprintf(&line, "mkdir -p -- %s; ", remote.Quote(path.Dir(m.path(p))))
	if backupSuffix != "" {
		fmt.Fprintf(&line, "if [ -e %s ]; then cp -p -- %s %s; fi; ", f, f, remote.Quote(m.path(p)+backupSuffix))
	}
	fmt.Fprintf(&line, "install -o %s -g %s -m %04o %s %s; ", remote.Quote(mode.Owner), remote.Quote(mode.Group), mode.Perm, remote.Quote(tmp), remote.Quote(m.path(p)+".fugu-new"))
	fmt.Fprintf(&line, "mv -f -- %s %s", remote.Quote(m.path(p)+".fugu-new"), f)
	res, err := m.run(ctx, line.String(), true, nil)
	if err != nil {
		return fmt.Errorf("install %s: %w", p, err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("install %s: %w", p, cmdError("install", res))
	}
	return nil
}

// CheckDoasConf runs doas -C on an uploaded copy as the login user (doas
// -C opens the file with the caller's rights, and needs no root).
func (m *HostMachine) CheckDoasConf(ctx context.Context, data []byte) error {
	tmp, dir, err := m.upload(ctx, data)
	if err != nil {
		return fmt.Errorf("doas -C: %w", err)
	}
	defer m.cleanup(dir)
	res, err := m.run(ctx, "doas -C "+remote.Quote(tmp), false, nil)
	if err != nil {
		return fmt.Errorf("doas -C: %w", err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("doas -C rejects it: %s", strings.TrimSpace(strings.ReplaceAll(string(res.Stderr), tmp, "doas.conf")))
	}
	return nil
}

// AddPackage runs pkg_add -I -x -l LIST as root, LIST being a pkg_add -l
// file that names only n (packages.WriteList), so each package is its
// own item with its own outcome and progress. pkg_add's exit status does
// not tell an unresolved name (reference 1.3), so its "Can't find" and
// "Ambiguous" messages count as failures too.
func (m *HostMachine) AddPackage(ctx context.Context, n packages.Name) error {
	var list bytes.Buffer
	if err := packages.WriteList(&list, []packages.Name{n}); err != nil {
		return err
	}
	file, dir, err := m.upload(ctx, list.Bytes())
	if err != nil {
		return fmt.Errorf("pkg_add %s: %w", n, err)
	}
	defer m.cleanup(dir)
	res, err := m.run(ctx, "pkg_add -I -x -l "+remote.Quote(file), true, nil)
	if err != nil {
		return fmt.Errorf("pkg_add %s: %w", n, err)
	}
	stderr := string(res.Stderr)
	if res.ExitCode != 0 || strings.Contains(stderr, "Can't find") || strings.Contains(stderr, "Ambiguous") {
		return fmt.Errorf("pkg_add %s: %w", n, cmdError("pkg_add", res))
	}
	return nil
}

// ReadCrontab reads /var/cron/tabs/USER as root, without the header
// crontab(1) adds.
func (m *HostMachine) ReadCrontab(ctx context.Context, user string) ([]byte, error) {
	if !validUser(user) {
		return nil, fmt.Errorf("crontab: bad user name %q", user)
	}
	data, err := m.ReadFile(ctx, "/var/cron/tabs/"+user)
	if err != nil {
		return nil, err
	}
	return StripCrontabHeader(data), nil
}

// InstallCrontab runs crontab -u USER - as root with the tab on stdin:
// cron ignores tab files it did not install (mode, group, links).
func (m *HostMachine) InstallCrontab(ctx context.Context, user string, data []byte) error {
	if !validUser(user) {
		return fmt.Errorf("crontab: bad user name %q", user)
	}
	res, err := m.run(ctx, "crontab -u "+remote.Quote(user)+" -", true, data)
	if err != nil {
		return fmt.Errorf("crontab -u %s: %w", user, err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("crontab -u %s: %w", user, cmdError("crontab", res))
	}
	return nil
}
