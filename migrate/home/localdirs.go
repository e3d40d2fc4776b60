package home

import (
	"os"
	"path"
	"strings"
	"sync"
)

// dirRoots caches an os.Root for each recently used directory of a
// Local tree. os.Root resolves a name one component at a time (an
// openat and a close per directory in the path), so a file in d/e costs
// three extra system calls per operation; through d/e's own Root it
// costs none. Each cached Root was opened through the tree's Root, so it
// is inside the tree, and it confines names just as the tree's does. A
// directory renamed or replaced by another process while cached keeps
// being used under its old identity, as the tree's own root would be;
// the tree's own Mkdir, Remove and Rename forget the names they change.
type dirRoots struct {
	mu    sync.Mutex
	tick  uint64
	roots map[string]*dirRoot
}

type dirRoot struct {
	r    *os.Root
	dir  *os.File // the directory itself, for bare openat calls; opened on first use
	fd   int
	acl  bool // the directory has a default ACL: new files do not get the mode asked for
	refs int
	used uint64
}

// maxDirRoots bounds the open directories; the walk goes directory by
// directory, so the files in flight are in a few of them.
const maxDirRoots = 64

// at returns a Root for name's directory and name's last component;
// done must be called when the Root is no longer used. When the
// directory cannot be opened on its own, it returns the tree's Root and
// name unchanged, so the operation reports the error it always did.
func (l *Local) at(name string) (r *os.Root, base string, done func()) {
	dir, base := path.Split(name)
	if dir == "" || base == "" || base == "." || base == ".." {
		return l.root, name, func() {}
	}
	dir = dir[:len(dir)-1]
	d := &l.dirs
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tick++
	dr, ok := d.roots[dir]
	if !ok {
		sub, err := l.root.OpenRoot(dir)
		if err != nil {
			return l.root, name, func() {}
		}
		if d.roots == nil {
			d.roots = map[string]*dirRoot{}
		}
		d.evict()
		dr = &dirRoot{r: sub}
		d.roots[dir] = dr
	}
	dr.refs++
	dr.used = d.tick
	return dr.r, base, func() {
		d.mu.Lock()
		dr.refs--
		if dr.refs == 0 && d.roots[dir] != dr {
			dr.close() // evicted while in use
		}
		d.mu.Unlock()
	}
}

// close closes a cached directory's descriptor along with its Root.
func (dr *dirRoot) close() {
	if dr.dir != nil {
		dr.dir.Close()
	}
	dr.r.Close()
}

// evict closes the least recently used idle Root when the cache is full.
func (d *dirRoots) evict() {
	if len(d.roots) < maxDirRoots {
		return
	}
	var old string
	var oldest *dirRoot
	for k, dr := range d.roots {
		if dr.refs == 0 && (oldest == nil || dr.used < oldest.used) {
			old, oldest = k, dr
		}
	}
	if oldest != nil {
		oldest.close()
		delete(d.roots, old)
	}
}

// forget drops the cached Roots of dir and the directories below it:
// dir was removed, renamed or (re)created.
func (d *dirRoots) forget(dir string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, dr := range d.roots {
		if k == dir || strings.HasPrefix(k, dir+"/") {
			if dr.refs == 0 {
				dr.close()
			}
			delete(d.roots, k)
		}
	}
}

func (d *dirRoots) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, dr := range d.roots {
		if dr.refs == 0 {
			dr.close()
		}
		delete(d.roots, k)
	}
}

// acl reports whether the cached directory dir has a default ACL, or is
// no longer cached (so that the caller cannot tell).
func (d *dirRoots) acl(dir string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	dr := d.roots[dir]
	return dr == nil || dr.dir == nil || dr.acl
}
