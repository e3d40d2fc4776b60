package home

import (
	"context"
	"io/fs"
	"time"
)

// Absent is the target of a dry run whose directory does not exist yet:
// every name in it is missing, so the dry run lists the whole source as
// to be copied. Nothing can be written to it.
type Absent struct{ Name string }

func (a Absent) String() string { return a.Name }

func (a Absent) missing(op, name string) error {
	return &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
}

func (a Absent) Walk(context.Context, func(Entry, error) error) error {
	return a.missing("walk", ".")
}
func (a Absent) Lstat(name string) (Entry, error)       { return Entry{}, a.missing("lstat", name) }
func (a Absent) Open(name string) (File, error)         { return nil, a.missing("open", name) }
func (a Absent) Readlink(name string) (string, error)   { return "", a.missing("readlink", name) }
func (a Absent) Mkdir(name string, _ fs.FileMode) error { return a.missing("mkdir", name) }
func (a Absent) Create(name string) (File, error)       { return nil, a.missing("create", name) }
func (a Absent) OpenWrite(name string) (File, error)    { return nil, a.missing("open", name) }
func (a Absent) Chmod(name string, _ fs.FileMode) error { return a.missing("chmod", name) }
func (a Absent) Chtimes(name string, _ time.Time) error { return a.missing("chtimes", name) }
func (a Absent) Lchown(name string, _, _ int) error     { return a.missing("lchown", name) }
func (a Absent) Symlink(_, newname string) error        { return a.missing("symlink", newname) }
func (a Absent) Link(_, newname string) error           { return a.missing("link", newname) }
func (a Absent) Rename(_, newname string) error         { return a.missing("rename", newname) }
func (a Absent) Remove(name string) error               { return a.missing("remove", name) }
func (a Absent) Free() int64                            { return -1 }
func (a Absent) Close() error                           { return nil }
