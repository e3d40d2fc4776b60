package home

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

const modeSpecial = fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// finish runs after every file is in place: it makes the hard links,
// removes temp files of journaled files that no longer need copying,
// and sets directory modes and mtimes, deepest first, so writing a
// directory's contents no longer changes them.
func (r *run) finish() {
	for _, l := range r.links {
		r.hardlink(l[0], l[1])
	}
	r.setLinkOwners()
	for p, part := range r.partials {
		_ = r.dst.Remove(part.Tmp)
		_ = r.j.add(record{T: "done", P: p})
	}
	for i := len(r.dirs) - 1; i >= 0; i-- {
		d := r.dirs[i]
		if err := r.setDirMeta(d); err != nil {
			r.fileError(d.Path, err)
		}
	}
}

// setDirMeta gives the target's directory d.Path d's owner, mode and
// mtime. The target's owner may have put another file in its place
// since it was made (a hard link to a file outside the tree, that only
// root may write): a local directory is opened as a directory and set
// through its descriptor; over SFTP, its lstat must say directory.
func (r *run) setDirMeta(d Entry) error {
	if l, ok := r.dst.(*Local); ok {
		f, err := l.openDir(d.Path)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := r.setMetaFD(f, d, false); err != nil {
			return fmt.Errorf("set owner, mode and mtime: %w", err)
		}
		return nil
	}
	t, err := r.dst.Lstat(d.Path)
	if err != nil {
		return err
	}
	if !t.Mode.IsDir() {
		return fmt.Errorf("%w on the target (now %s): mode and owner not set", errNotDir, kindName(t.Mode))
	}
	return r.setMeta(d.Path, d)
}

// chmodDir sets the mode of the target's directory name, never of
// another file the target's owner put in its place since its lstat: a
// local directory through a descriptor of it opened as a directory,
// over SFTP after another lstat. A user other than root may chmod
// only their own files, so by name does no harm, and needs no read
// permission on the directory, which an open does.
func (r *run) chmodDir(name string, mode fs.FileMode) error {
	if l, ok := r.dst.(*Local); ok && os.Geteuid() == 0 {
		f, err := l.openDir(name)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Chmod(mode)
	}
	t, err := r.dst.Lstat(name)
	if err != nil {
		return err
	}
	if !t.Mode.IsDir() {
		return fmt.Errorf("%w on the target (now %s)", errNotDir, kindName(t.Mode))
	}
	return r.dst.Chmod(name, mode)
}

// errNotDir: what the run made a directory is no longer one.
var errNotDir = errors.New("not a directory")

// hardlink makes newname a hard link to existing (already copied), via
// a temp name and a rename so an old file at newname is replaced
// atomically.
func (r *run) hardlink(existing, newname string) {
	r.mu.Lock()
	_, failed := r.failed[existing]
	r.mu.Unlock()
	t, err := r.dst.Lstat(existing)
	// A first name whose copy failed may still hold old content there.
	if failed || err != nil || !t.Mode.IsRegular() {
		r.event(Event{Kind: Failed, Path: newname, Err: fmt.Errorf("hard link to %s: not copied", existing)})
		return
	}
	if n, err := r.dst.Lstat(newname); err == nil && n.Ino != 0 && n.Ino == t.Ino && n.Dev == t.Dev {
		r.event(Event{Kind: Unchanged, Path: newname})
		return
	}
	tmp := tmpName(newname)
	_ = r.dst.Remove(tmp)
	if err := r.dst.Link(existing, tmp); err != nil {
		r.fileError(newname, fmt.Errorf("hard link to %s: %w", existing, err))
		return
	}
	err = r.dst.Rename(tmp, newname)
	// rename(2) of two names of one file does nothing and leaves tmp.
	_ = r.dst.Remove(tmp)
	if err != nil {
		r.fileError(newname, r.renameFailed("rename hard link into place", newname, err))
		return
	}
	r.event(Event{Kind: Linked, Path: newname})
}

// removeJournal deletes the journal after a complete run, so the target
// holds only the copied tree.
func (r *run) removeJournal() {
	for _, n := range []string{journalName, journalName + ".new", lockName, linkStageDir, JournalDir} {
		if err := r.dst.Remove(n); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return
		}
	}
	// Removing the journal changed the root's mtime; put it back.
	if len(r.dirs) > 0 && r.dirs[0].Path == "." {
		_ = r.dst.Chtimes(".", r.dirs[0].ModTime)
	}
}
