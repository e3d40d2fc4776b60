package migratetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"fugu/migrate"
	"fugu/migrate/etcfiles"
	"fugu/packages"
)

// Machine is an in-memory migrate.Machine. Its fields may be set before
// use; afterwards use its methods, which lock.
type Machine struct {
	Host string

	mu       sync.Mutex
	files    map[string][]byte
	modes    map[string]migrate.FileMode
	links    map[string]string // symlink -> the file it points to
	owners   map[string][2]int // numeric owner and group, when not root's
	pkgs     []packages.Name
	crontabs map[string][]byte
	// Unavailable are stems pkg_add cannot find.
	Unavailable []string
	// Log records every change, one line each ("install /etc/x", "pkg_add y").
	Log []string
	// Err, when set, is returned by every operation (Broken).
	Err error
	// OnAddPackage, when set, runs before each pkg_add (tests cancel a
	// context there).
	OnAddPackage func(packages.Name)
}

var _ migrate.Machine = (*Machine)(nil)

// New returns a machine with the given files (path -> content) and
// manual packages (pkg_info -mz names).
func New(host string, files map[string]string, pkgs ...string) *Machine {
	m := &Machine{Host: host, files: map[string][]byte{}, modes: map[string]migrate.FileMode{}, crontabs: map[string][]byte{}}
	for p, c := range files {
		m.files[p] = []byte(c)
	}
	for _, s := range pkgs {
		n, err := packages.ParseName(s)
		if err != nil {
			panic(err)
		}
		m.pkgs = append(m.pkgs, n)
	}
	return m
}

// Empty is a machine with nothing on it.
func Empty(host string) *Machine { return New(host, nil) }

// Broken is a machine whose every operation fails with err.
func Broken(host string, err error) *Machine {
	m := Empty(host)
	m.Err = err
	return m
}

// SetFile puts a file with content c at p.
func (m *Machine) SetFile(p, c string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[p] = []byte(c)
}

// SetCrontab gives user a crontab.
func (m *Machine) SetCrontab(user, tab string) { m.crontabs[user] = []byte(tab) }

// File returns a file's content and whether it exists.
func (m *Machine) File(p string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.files[p]
	return string(d), ok
}

// FileMode returns the owner and mode a file was installed with.
func (m *Machine) FileMode(p string) migrate.FileMode {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.modes[p]
}

// Paths lists every file, sorted.
func (m *Machine) Paths() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ps []string
	for p := range m.files {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// Crontab returns a user's crontab.
func (m *Machine) Crontab(user string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return string(m.crontabs[user])
}

func (m *Machine) Name() string { return m.Host }

// SetSymlink makes p a symlink to the file target: Mode says so, and
// ReadFile reads through it, as on a real machine.
func (m *Machine) SetSymlink(p, target string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.links == nil {
		m.links = map[string]string{}
	}
	m.links[p] = target
}

// resolve turns p into the key of the file it names, as a real file
// system would: cleaned (a machine's paths are joined to its root), and
// through a symlink.
func (m *Machine) resolve(p string) string {
	p = path.Join("/", p)
	if t, ok := m.links[p]; ok {
		return t
	}
	return p
}

func (m *Machine) ReadFile(ctx context.Context, p string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return nil, m.Err
	}
	d, ok := m.files[m.resolve(p)]
	if !ok {
		return nil, fmt.Errorf("read %s: %w", p, fs.ErrNotExist)
	}
	return slices.Clone(d), nil
}

func (m *Machine) Mode(ctx context.Context, p string) fs.FileMode {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.links[path.Join("/", p)]; ok {
		return fs.ModeSymlink | 0o777
	}
	if md, ok := m.modes[p]; ok {
		return md.Perm
	}
	return 0o644
}

// SetMode gives the file at p permission bits (others have 0644).
func (m *Machine) SetMode(p string, perm fs.FileMode) {
	m.mu.Lock()
	defer m.mu.Unlock()
	md := m.modes[p]
	md.Perm = perm
	m.modes[p] = md
}

// SetOwner gives the file at p a numeric owner and group (others have
// root's, 0 and 0).
func (m *Machine) SetOwner(p string, uid, gid int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.owners == nil {
		m.owners = map[string][2]int{}
	}
	m.owners[p] = [2]int{uid, gid}
}

func (m *Machine) Owner(ctx context.Context, p string) (int, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if o, ok := m.owners[p]; ok {
		return o[0], o[1]
	}
	return 0, 0
}

func (m *Machine) ListDir(ctx context.Context, dir string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return nil, m.Err
	}
	if dir == "/var/cron/tabs" {
		var users []string
		for u := range m.crontabs {
			users = append(users, u)
		}
		sort.Strings(users)
		if len(users) == 0 {
			return nil, fs.ErrNotExist
		}
		return users, nil
	}
	var names []string
	for p := range m.files {
		if path.Dir(p) == dir {
			names = append(names, path.Base(p))
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fs.ErrNotExist
	}
	return names, nil
}

func (m *Machine) Packages(ctx context.Context) ([]packages.Name, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return nil, m.Err
	}
	return slices.Clone(m.pkgs), nil
}

func (m *Machine) InstallFile(ctx context.Context, p string, data []byte, mode migrate.FileMode, backup string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return m.Err
	}
	if old, ok := m.files[p]; ok && backup != "" {
		m.files[p+backup] = old
		m.Log = append(m.Log, "backup "+p+backup)
	}
	m.files[p] = slices.Clone(data)
	m.modes[p] = mode
	m.Log = append(m.Log, "install "+p+" "+mode.String())
	return nil
}

// CheckDoasConf stands in for doas -C with fugu's own parser.
func (m *Machine) CheckDoasConf(ctx context.Context, data []byte) error {
	if m.Err != nil {
		return m.Err
	}
	_, err := etcfiles.ParseDoasConf(bytes.NewReader(data))
	return err
}

func (m *Machine) AddPackage(ctx context.Context, n packages.Name) error {
	if m.OnAddPackage != nil {
		m.OnAddPackage(n)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return m.Err
	}
	if slices.Contains(m.Unavailable, n.Stem) {
		return fmt.Errorf("pkg_add %s: Can't find %s", n, n)
	}
	m.pkgs = append(m.pkgs, n)
	m.Log = append(m.Log, "pkg_add "+n.String())
	return nil
}

func (m *Machine) ReadCrontab(ctx context.Context, user string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return nil, m.Err
	}
	t, ok := m.crontabs[user]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return slices.Clone(t), nil
}

func (m *Machine) InstallCrontab(ctx context.Context, user string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Err != nil {
		return m.Err
	}
	m.crontabs[user] = slices.Clone(data)
	m.Log = append(m.Log, "crontab -u "+user)
	return nil
}

// ErrBroken is the error of Broken machines in tests.
var ErrBroken = errors.New("migratetest: broken machine")

// LogString is the change log, one line each.
func (m *Machine) LogString() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return strings.Join(m.Log, "\n")
}
