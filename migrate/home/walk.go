package home

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
)

// job is one unit of work: a file, or a bundle of small files.
type job struct {
	e      Entry
	bundle []Entry
}

func (r *run) walk(jobs chan<- job) error {
	root, err := r.src.Lstat(".")
	if err != nil {
		return err
	}
	if !root.Mode.IsDir() {
		return fmt.Errorf("%s is not a directory", r.src)
	}
	r.dirs = append(r.dirs, root)
	seen := map[FileID]string{}
	send := func(j job) error {
		select {
		case jobs <- j:
			return nil
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
	}
	err = r.src.Walk(r.ctx, func(e Entry, err error) error {
		if err != nil {
			r.fileError(e.Path, fmt.Errorf("read directory: %w", err))
			return nil
		}
		if e.Path == JournalDir || strings.HasPrefix(path.Base(e.Path), tmpPrefix) {
			// An earlier run's journal and temp files in the source are
			// fugu's, not the user's; said like any exclusion.
			r.event(Event{Kind: Excluded, Path: e.Path, Size: e.Size, Rule: ownFilesRule})
			return skipDir(e)
		}
		if p, ok := r.opt.Excludes.Match(e.Path, e.Mode.IsDir()); ok {
			r.event(Event{Kind: Excluded, Path: e.Path, Size: e.Size, Rule: p.Text})
			return skipDir(e)
		}
		switch {
		case e.Mode.IsDir():
			return r.mkdir(e)
		case e.Mode&fs.ModeSymlink != 0:
			r.symlink(e)
		case e.Mode.IsRegular():
			if e.Nlink > 1 && e.Ino != 0 {
				id := FileID{e.Dev, e.Ino}
				if first, ok := seen[id]; ok {
					r.links = append(r.links, [2]string{first, e.Path})
					r.opt.Progress.Bytes(e.Size)
					if r.opt.DryRun {
						// Linked by finish, which a dry run never reaches.
						r.planned(Event{Kind: Planned, Path: e.Path, Size: e.Size, LinkTo: first})
					}
					return nil
				}
				seen[id] = e.Path
			}
			switch r.bundled(e) {
			case bundleIt:
				if b := r.bundler.add(e); b != nil {
					return send(job{bundle: b})
				}
				return nil
			case alreadyThere:
				return nil
			}
			return send(job{e: e})
		default:
			r.event(Event{Kind: Skipped, Path: e.Path, Err: fmt.Errorf("special file (%s) not copied", kindName(e.Mode))})
		}
		return r.ctx.Err()
	})
	if err == nil && r.bundler != nil && len(r.bundler.files) > 0 {
		err = send(job{bundle: r.bundler.take()})
	}
	if sc, ok := r.src.(*SFTP); ok && sc.LinksUnknown() {
		r.event(Event{Kind: Warning, Path: ".", Err: errors.New("hard links cannot be detected on the source (no perl there): each name of a hard-linked file is copied as a separate file")})
	}
	return err
}

const (
	oneByOne     = iota // copy through SFTP
	bundleIt            // copy in a bundle of small files
	alreadyThere        // unchanged on the target, reported
)

// bundled says how e travels. The unchanged check for small files
// happens here, so bundles carry only files to copy.
func (r *run) bundled(e Entry) int {
	if r.bundler == nil || r.bundler.off.Load() || e.Size > bundleMaxFile || r.opt.Checksum {
		return oneByOne
	}
	r.mu.Lock()
	_, partial := r.partials[e.Path]
	r.mu.Unlock()
	if partial {
		return oneByOne
	}
	if r.unchanged(e) {
		r.opt.Progress.Bytes(e.Size)
		r.event(Event{Kind: Unchanged, Path: e.Path, Size: e.Size})
		return alreadyThere
	}
	return bundleIt
}

func skipDir(e Entry) error {
	if e.Mode.IsDir() {
		return fs.SkipDir
	}
	return nil
}

// ownFilesRule names the exclusion of fugu's own journal and temp files.
const ownFilesRule = "fugu's own files (" + JournalDir + "/, " + tmpPrefix + "*)"

func kindName(m fs.FileMode) string {
	switch {
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeNamedPipe != 0:
		return "fifo"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "block device"
	case m&fs.ModeSymlink != 0:
		return "symlink"
	case m.IsDir():
		return "directory"
	}
	return "irregular file"
}

// planned reports what a dry run would copy, or, where the target holds
// a directory at that name, the failure the run would meet there: fugu
// removes no directory.
func (r *run) planned(ev Event) {
	if t, err := r.dst.Lstat(ev.Path); err == nil && t.Mode.IsDir() {
		r.event(Event{Kind: Failed, Path: ev.Path, Err: errors.New(targetIsDir)})
		return
	}
	r.event(ev)
}

// targetIsDir is the failure of a file, symlink or hard link whose name
// the target holds as a directory.
const targetIsDir = "target exists and is a directory"

// mkdir creates a directory owner-writable; its real mode and mtime are
// set by finish, after its contents.
func (r *run) mkdir(e Entry) error {
	if r.opt.DryRun {
		t, err := r.dst.Lstat(e.Path)
		switch {
		case err != nil:
			r.event(Event{Kind: Planned, Path: e.Path, Type: fs.ModeDir})
		case !t.Mode.IsDir():
			// The run would stop here too, and copy nothing under it.
			r.event(Event{Kind: Failed, Path: e.Path, Err: errors.New("create directory: target exists and is not a directory")})
			return fs.SkipDir
		}
		return nil
	}
	err := r.dst.Mkdir(e.Path, 0o700)
	if err == nil {
		r.mu.Lock()
		r.fresh[e.Path] = struct{}{}
		r.mu.Unlock()
	}
	if err != nil && !errors.Is(err, fs.ErrExist) && classify(err) != fatal {
		// SFTP's mkdir answers only "failure" when the name is taken.
		if t, serr := r.dst.Lstat(e.Path); serr == nil && !t.Mode.IsDir() {
			err = fs.ErrExist
		}
	}
	if errors.Is(err, fs.ErrExist) {
		t, serr := r.dst.Lstat(e.Path)
		if dirChecked != nil {
			dirChecked(e.Path)
		}
		switch {
		case serr == nil && !t.Mode.IsDir():
			err = fmt.Errorf("target exists and is not a directory")
		case serr == nil && t.Mode.Perm()&0o700 != 0o700:
			// An earlier run gave it the source's mode, say 0555 (Go's
			// module cache): a changed file in it could not be replaced.
			// finish gives the mode back.
			err = r.chmodDir(e.Path, t.Mode.Perm()|0o700)
		default:
			err = nil
		}
	}
	if err != nil {
		r.fileError(e.Path, fmt.Errorf("create directory: %w", checkNoSpace(r.dst, err, 1)))
		return fs.SkipDir
	}
	r.mu.Lock()
	r.dirs = append(r.dirs, e)
	r.mu.Unlock()
	return nil
}

// dirChecked, when set (tests), is called with the path of an existing
// target directory right after its lstat.
var dirChecked func(p string)

// symlink copies a symlink as a link, never following it. Links that
// point out of the tree are copied too, but reported.
func (r *run) symlink(e Entry) {
	target, err := r.src.Readlink(e.Path)
	if err != nil {
		r.fileError(e.Path, fmt.Errorf("read link: %w", err))
		return
	}
	lt, canTime := r.dst.(linkTimer)
	if t, err := r.dst.Lstat(e.Path); err == nil && t.Mode&fs.ModeSymlink != 0 {
		if old, err := r.dst.Readlink(e.Path); err == nil && old == target {
			if l, ok := r.dst.(*Local); ok && !r.opt.DryRun && r.linkMetaDiffers(e, t) && r.localSymlink(l, e, target) {
				// Made again rather than chowned by name (see
				// linkStageDir), which the rename into place makes atomic.
				return
			}
			if canTime && !r.opt.DryRun && t.ModTime.Unix() != e.ModTime.Unix() {
				_ = lt.Lchtimes(e.Path, e.ModTime)
			}
			if r.opt.Owners != nil && e.UID >= 0 && !r.opt.DryRun {
				// A run stopped before the end, where an SFTP target
				// gets the owners of its links, left this one as is.
				if uid, gid := r.opt.Owners.Map(e.UID, e.GID); t.UID != uid || t.GID != gid {
					if err := r.dst.Lchown(e.Path, uid, gid); errors.Is(err, errNoLchown) {
						r.mu.Lock()
						r.linkOwners = append(r.linkOwners, linkOwner{Path: e.Path, UID: uid, GID: gid})
						r.mu.Unlock()
					}
				}
			}
			r.event(Event{Kind: Unchanged, Path: e.Path})
			return
		}
	}
	if r.opt.DryRun {
		r.planned(Event{Kind: Planned, Path: e.Path, Type: fs.ModeSymlink, Target: target})
		return
	}
	if l, ok := r.dst.(*Local); ok && r.localSymlink(l, e, target) {
		return
	}
	tmp := tmpName(e.Path)
	_ = r.dst.Remove(tmp)
	if err := r.dst.Symlink(target, tmp); err != nil {
		r.fileError(e.Path, fmt.Errorf("create symlink: %w", checkNoSpace(r.dst, err, 1)))
		return
	}
	if linkPlaced != nil {
		linkPlaced(tmp)
	}
	var owner *linkOwner
	if r.opt.Owners != nil && e.UID >= 0 {
		uid, gid := r.opt.Owners.Map(e.UID, e.GID)
		if err := r.dst.Lchown(tmp, uid, gid); errors.Is(err, errNoLchown) {
			// SFTP v3 cannot: the host behind it does, once all are in place.
			owner = &linkOwner{Path: e.Path, UID: uid, GID: gid}
		}
	}
	if canTime {
		// The link's own mtime; a rename keeps it. SFTP cannot set it
		// (setstat follows links), so a remote target gets the time of
		// its creation.
		if err := lt.Lchtimes(tmp, e.ModTime); err != nil {
			r.event(Event{Kind: Warning, Path: e.Path, Err: fmt.Errorf("symlink mtime not kept: %w", err)})
		}
	}
	if err := r.dst.Rename(tmp, e.Path); err != nil {
		_ = r.dst.Remove(tmp)
		r.fileError(e.Path, r.renameFailed("rename symlink into place", e.Path, err))
		return
	}
	if owner != nil {
		r.mu.Lock()
		r.linkOwners = append(r.linkOwners, *owner)
		r.mu.Unlock()
	}
	r.linked(e.Path, target)
}

// localSymlink makes e's link to target in a local target through its
// stage (see linkStageDir). It reports false when the link is to be
// made the other way: its directory is on another file system.
func (r *run) localSymlink(l *Local, e Entry, target string) bool {
	uid, gid := -1, -1
	if r.opt.Owners != nil && e.UID >= 0 {
		uid, gid = r.opt.Owners.Map(e.UID, e.GID)
	}
	timeErr, err := l.placeSymlink(target, e.Path, uid, gid, e.ModTime)
	var le *os.LinkError
	switch {
	case errors.Is(err, errCrossDevice):
		return false
	case errors.As(err, &le):
		r.fileError(e.Path, r.renameFailed("rename symlink into place", e.Path, err))
		return true
	case err != nil:
		r.fileError(e.Path, fmt.Errorf("create symlink: %w", checkNoSpace(r.dst, err, 1)))
		return true
	}
	if timeErr != nil {
		r.event(Event{Kind: Warning, Path: e.Path, Err: fmt.Errorf("symlink mtime not kept: %w", timeErr)})
	}
	r.linked(e.Path, target)
	return true
}

// linkMetaDiffers reports whether the target's link t lacks e's mtime or
// (when owners are mapped) owner.
func (r *run) linkMetaDiffers(e, t Entry) bool {
	if r.opt.Owners != nil && e.UID >= 0 {
		if uid, gid := r.opt.Owners.Map(e.UID, e.GID); t.UID != uid || t.GID != gid {
			return true
		}
	}
	return t.ModTime.Unix() != e.ModTime.Unix()
}

// linked reports a symlink made, and warns when it leads out of the tree.
func (r *run) linked(p, target string) {
	if escapes(p, target) {
		r.event(Event{Kind: Warning, Path: p, Err: fmt.Errorf("symlink points out of the tree: %s", target)})
	}
	r.event(Event{Kind: Linked, Path: p})
}

// linkTimer is a Tree that can set a symlink's own mtime.
type linkTimer interface {
	Lchtimes(name string, mtime time.Time) error
}

// escapes reports whether a symlink at p with the given target resolves
// outside the tree.
func escapes(p, target string) bool {
	if path.IsAbs(target) {
		return true
	}
	return !fs.ValidPath(path.Join(path.Dir(p), target))
}

// tmpName is the temporary name used while writing p, in p's directory.
func tmpName(p string) string {
	dir, base := path.Split(p)
	if len(base) > 200 {
		base = fmt.Sprintf("%x", fnv64(base))
	}
	return dir + tmpPrefix + base
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
