package migrate

import (
	"context"
	"io/fs"

	"fugu/packages"
)

// FileMode is the owner, group and permission bits a file is installed
// with.
type FileMode struct {
	Owner string      `json:"owner"`
	Group string      `json:"group"`
	Perm  fs.FileMode `json:"mode"`
}

// Machine is what the engine needs from a machine, in OpenBSD terms.
// HostMachine implements it over a remote.Host; tests use fakes.
type Machine interface {
	Name() string
	// ReadFile reads a file, as root when the login user cannot; a
	// missing file is an error satisfying errors.Is(err, fs.ErrNotExist).
	ReadFile(ctx context.Context, path string) ([]byte, error)
	// Mode returns a file's type and permission bits as lstat sees them
	// (a symlink is fs.ModeSymlink; 0644 when they cannot be read).
	Mode(ctx context.Context, path string) fs.FileMode
	// Owner returns a file's numeric owner and group, -1 and -1 when they
	// cannot be read.
	Owner(ctx context.Context, path string) (uid, gid int)
	// ListDir lists the names of the files (not subdirectories) in a
	// directory; fs.ErrNotExist when it is missing.
	ListDir(ctx context.Context, dir string) ([]string, error)
	// Packages lists the manually installed packages (pkg_info -mz).
	// With lines it cannot read it returns an error and the names of
	// the other lines.
	Packages(ctx context.Context) ([]packages.Name, error)
	// InstallFile puts data at path atomically with mode, after copying
	// an existing file to path+backupSuffix when backupSuffix is set.
	InstallFile(ctx context.Context, path string, data []byte, mode FileMode, backupSuffix string) error
	// CheckDoasConf checks a doas.conf with the machine's doas -C.
	CheckDoasConf(ctx context.Context, data []byte) error
	// AddPackage installs one package with pkg_add -I (-l LIST naming it).
	AddPackage(ctx context.Context, name packages.Name) error
	// ReadCrontab returns a user's crontab (fs.ErrNotExist when none),
	// InstallCrontab replaces it with crontab(1).
	ReadCrontab(ctx context.Context, user string) ([]byte, error)
	InstallCrontab(ctx context.Context, user string, data []byte) error
}
