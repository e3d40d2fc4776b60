package home

import (
	"context"
	"io"
	"io/fs"
	"time"
)

// Entry is one thing in a tree, as a walk or Lstat sees it. Symlinks are
// never followed.
type Entry struct {
	Path    string      // slash-separated and relative to the tree root; "." is the root
	Mode    fs.FileMode // type bits and permission bits (incl. setuid, setgid, sticky)
	Size    int64
	ModTime time.Time
	UID     int // -1 when unknown
	GID     int // -1 when unknown
	// Dev and Ino identify the file for hard-link detection; both are zero
	// when the tree cannot tell (then every name is copied as its own file).
	Dev, Ino uint64
	Nlink    uint64
}

// Tree is a directory tree fugu copies from or to: a local directory or
// one reached over SFTP. Names are slash-separated, relative to the root,
// and never contain "..". Errors from the file system are returned
// unwrapped enough for errors.Is(err, fs.ErrNotExist) and friends.
type Tree interface {
	// String names the tree for messages (host:/path or /path).
	String() string

	// Source side.

	// Walk calls fn for every entry below the root, parents before their
	// children, streaming: it holds one directory listing at a time per
	// level. fn may return fs.SkipDir for a directory. When a directory
	// below the root cannot be read, fn is called again with its path and
	// the error; returning nil goes on with the rest of the tree.
	Walk(ctx context.Context, fn func(Entry, error) error) error
	Lstat(name string) (Entry, error)
	Open(name string) (File, error)
	Readlink(name string) (string, error)

	// Target side.

	Mkdir(name string, perm fs.FileMode) error
	// Create creates name (0600), truncating it if it exists.
	Create(name string) (File, error)
	// OpenWrite opens an existing file for writing without truncating it.
	OpenWrite(name string) (File, error)
	Chmod(name string, mode fs.FileMode) error
	Chtimes(name string, mtime time.Time) error
	Lchown(name string, uid, gid int) error
	Symlink(oldname, newname string) error
	Link(oldname, newname string) error
	// Rename atomically replaces newname with oldname (POSIX rename).
	Rename(oldname, newname string) error
	Remove(name string) error
	// Free returns the bytes available to the user on the tree's file
	// system, or -1 when the tree cannot tell.
	Free() int64
	Close() error
}

// File is an open file in a Tree. Read-only files return errors from the
// write methods.
type File interface {
	io.ReaderAt
	io.WriterAt
	Truncate(size int64) error
	Sync() error
	Close() error
}

// Syncer is implemented by trees that can flush all their writes at
// once, cheaper than an fsync per file.
type Syncer interface {
	SyncAll() error
}

// Scanner is implemented by trees that can count files and bytes and
// find hard links faster than a walk (a command run on the remote host).
type Scanner interface {
	Scan(ctx context.Context) (Scan, error)
}

// Scan is what a fast pre-pass learned about a source tree.
type Scan struct {
	Files, Bytes int64
	// Links maps the path of every regular file with more than one link to
	// its identity.
	Links map[string]FileID
	// NoLinks says hard links cannot be detected on this tree: each name
	// of a hard-linked file is copied as a file of its own.
	NoLinks bool
}

// FileID identifies a file on one machine.
type FileID struct{ Dev, Ino uint64 }

// Summer is implemented by trees that can hash many files at once on the
// machine that holds them (over SSH). The result has one Digest per name.
type Summer interface {
	Sum(ctx context.Context, names []string) ([]Digest, error)
}

// Digest is a file's sha256 as computed where the file is.
type Digest struct {
	Sum []byte // nil when the file could not be hashed
	// Stat says Size and Mtime (unix seconds) are the file's lstat taken
	// right after hashing, which saves the caller a round trip.
	Stat        bool
	Size, Mtime int64
}
