package migrate

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"fugu/packages"
)

// File is a file read from a machine.
type File struct {
	Data []byte      `json:"-"`
	Mode fs.FileMode `json:"mode"`
	// UID and GID are the numeric owner and group of an --include file
	// (-1 when not read): the plan keeps them by name.
	UID int `json:"-"`
	GID int `json:"-"`
}

// Inventory is what Collect found on one machine.
type Inventory struct {
	Host     string          `json:"host"`
	Packages []packages.Name `json:"packages"`
	// Files are the files read, by absolute path.
	Files map[string]File `json:"-"`
	// Present are files that exist but are never read (host keys,
	// fstab...): the plan says why they are not copied.
	Present []string `json:"present,omitempty"`
	// Crontabs by user, without crontab(1)'s header.
	Crontabs map[string][]byte `json:"-"`
	// Symlinks are files to copy that are symlinks on this machine: they
	// are not read (through the link, a file would take the link's
	// 0777 or another file's content), and the plan says so.
	Symlinks []string `json:"symlinks,omitempty"`
	// Problems are what could not be read; the plan shows them.
	Problems []string `json:"problems,omitempty"`
}

// portableFiles are the /etc files a workstation migration reads
// (reference, section 6). hostname.* and X11/xenodm/* are listed from
// their directories.
var portableFiles = []string{
	"/etc/doas.conf",
	"/etc/rc.conf.local",
	"/etc/sysctl.conf",
	"/etc/mygate",
	"/etc/resolv.conf",
	"/etc/installurl",
}

// contextFiles are read for checks and never copied.
var contextFiles = []string{"/etc/passwd", "/etc/group"}

// Collect inventories m: its manually installed packages, the portable
// /etc files, hostname.* files, xenodm's configuration, crontabs and the
// extra paths in include. Unreadable items are recorded in Problems; only
// a cancelled ctx stops it.
func Collect(ctx context.Context, m Machine, include []string) (*Inventory, error) {
	inv := &Inventory{Host: m.Name(), Files: map[string]File{}, Crontabs: map[string][]byte{}}
	pk, err := m.Packages(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		inv.Problems = append(inv.Problems, err.Error())
	}
	inv.Packages = pk

	paths := slices.Concat(portableFiles, contextFiles)
	for _, inc := range include {
		// Only clean absolute paths: /etc/./master.passwd would slip past
		// the never-copy list (the plan reports the others as skipped).
		if path.IsAbs(inc) && path.Clean(inc) == inc {
			paths = append(paths, inc)
		}
	}
	etc, err := m.ListDir(ctx, "/etc")
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		// hostname.* files are only found this way.
		inv.Problems = append(inv.Problems, fmt.Sprintf("%v: its hostname.* files are not read", err))
	}
	for _, name := range etc {
		if strings.HasPrefix(name, "hostname.") {
			paths = append(paths, "/etc/"+name)
		}
	}
	if names, err := m.ListDir(ctx, "/etc/X11/xenodm"); err == nil {
		for _, n := range names {
			paths = append(paths, "/etc/X11/xenodm/"+n)
		}
	}
	for _, p := range paths {
		if _, seen := inv.Files[p]; seen || (neverCopy(p) != "" && !slices.Contains(contextFiles, p)) {
			continue
		}
		mode := m.Mode(ctx, p)
		if mode&fs.ModeSymlink != 0 {
			inv.Symlinks = append(inv.Symlinks, p)
			continue
		}
		data, err := m.ReadFile(ctx, p)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			inv.Problems = append(inv.Problems, err.Error())
			continue
		}
		f := File{Data: data, Mode: mode.Perm(), UID: -1, GID: -1}
		if slices.Contains(include, p) {
			f.UID, f.GID = m.Owner(ctx, p)
		}
		inv.Files[p] = f
	}
	if err := collectPresent(ctx, m, inv, etc, include); err != nil {
		return nil, err
	}
	if err := collectCrontabs(ctx, m, inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// collectPresent records which never-copied files exist, so the plan can
// say why each stays behind.
func collectPresent(ctx context.Context, m Machine, inv *Inventory, etc, include []string) error {
	for _, name := range etc {
		if p := "/etc/" + name; neverCopy(p) != "" {
			inv.Present = append(inv.Present, p)
		}
	}
	for _, dir := range []string{"/etc/ssh", "/var/db/dhcpleased", "/var/db"} {
		names, err := m.ListDir(ctx, dir)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			continue
		}
		for _, n := range names {
			if p := path.Join(dir, n); neverCopy(p) != "" {
				inv.Present = append(inv.Present, p)
			}
		}
	}
	for _, p := range include {
		if neverCopy(p) != "" && !slices.Contains(inv.Present, p) {
			inv.Present = append(inv.Present, p)
		}
	}
	slices.Sort(inv.Present)
	inv.Present = slices.Compact(inv.Present)
	return nil
}

func collectCrontabs(ctx context.Context, m Machine, inv *Inventory) error {
	users, err := m.ListDir(ctx, "/var/cron/tabs")
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			inv.Problems = append(inv.Problems, err.Error())
		}
		return nil
	}
	for _, u := range users {
		if !validUser(u) {
			continue // .sock and other non-tabs
		}
		tab, err := m.ReadCrontab(ctx, u)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			inv.Problems = append(inv.Problems, fmt.Sprintf("crontab of %s: %v", u, err))
			continue
		}
		inv.Crontabs[u] = tab
	}
	return nil
}

var userRe = regexp.MustCompile(`^[a-z_][a-z0-9_.-]{0,31}$`)

// validUser accepts login names as useradd(8) does, which keeps them
// safe in paths and command lines.
func validUser(u string) bool { return userRe.MatchString(u) }

// StripCrontabHeader removes the header crontab(1) puts at the top of an
// installed tab ("# DO NOT EDIT THIS FILE ..." and up to two "# (...)"
// lines after it), so tabs compare by what the user wrote. A tab without
// that first line is returned as it is.
func StripCrontabHeader(tab []byte) []byte {
	line, rest, found := bytes.Cut(tab, []byte("\n"))
	if !found || !bytes.HasPrefix(line, []byte("# DO NOT EDIT THIS FILE")) {
		return tab
	}
	for range 2 {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		if !found || !bytes.HasPrefix(line, []byte("# (")) {
			break
		}
		rest = after
	}
	return rest
}

// Users returns the login names in an /etc/passwd text.
func (inv *Inventory) Users() []string {
	return firstFields(inv.Files["/etc/passwd"].Data)
}

// Groups returns the group names in an /etc/group text.
func (inv *Inventory) Groups() []string {
	return firstFields(inv.Files["/etc/group"].Data)
}

// GroupMembers returns the members of group in /etc/group.
func (inv *Inventory) GroupMembers(group string) []string {
	sc := bufio.NewScanner(bytes.NewReader(inv.Files["/etc/group"].Data))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) == 4 && f[0] == group && f[3] != "" {
			return strings.Split(f[3], ",")
		}
	}
	return nil
}

// idName returns the name of the line whose third field is id in an
// /etc/passwd or /etc/group text.
func idName(data []byte, id int) (string, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) >= 4 && f[0] != "" && !strings.HasPrefix(f[0], "#") && f[2] == strconv.Itoa(id) {
			return f[0], true
		}
	}
	return "", false
}

func firstFields(data []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if name, _, ok := strings.Cut(sc.Text(), ":"); ok && name != "" && !strings.HasPrefix(name, "#") {
			out = append(out, name)
		}
	}
	return out
}
