package home

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
)

// zeroBlock is the granularity of hole detection: a block of this many
// zero bytes is not written, so sparse files stay sparse.
const zeroBlock = 32 << 10

var zeros = make([]byte, zeroBlock)

// pending is a file written to its temp name, waiting for verification.
type pending struct {
	e       Entry // the source entry as seen before the copy
	tmp     string
	sum     []byte        // sha256 of what was written
	srcSum  <-chan Digest // source-side hash started early (large files), or nil
	attempt int
	metaSet bool // owner, mode and mtime already set through the descriptor
	permSet bool // owner and mode already set through the SFTP handle
}

// copyFile copies one regular file to its temp name and hands it to the
// verifier, or reports why it did not.
func (r *run) copyFile(e Entry, attempt int) {
	if r.unchanged(e) {
		r.opt.Progress.Bytes(e.Size)
		r.event(Event{Kind: Unchanged, Path: e.Path, Size: e.Size})
		return
	}
	if r.opt.DryRun {
		r.planned(Event{Kind: Planned, Path: e.Path, Size: e.Size})
		return
	}
	p, err := r.write(e)
	if errors.Is(err, errChanged) && attempt < maxAttempts {
		r.retry(e.Path, attempt)
		return
	}
	if err != nil {
		r.writeFailed(e, err)
		return
	}
	p.attempt = attempt
	r.verifier.add(p)
}

// writeFailed reports a file that could not be written. Unless the run
// stops (a full disk, a lost connection: its temp file and journal are
// what the next run resumes from), the temp file goes, so a file that
// cannot be read (permission denied) leaves nothing in the target.
func (r *run) writeFailed(e Entry, err error) {
	if classify(err) != fatal {
		r.removeTemp(e.Path)
	}
	r.fileError(e.Path, err)
}

// removeTemp removes p's temp file and forgets it in the journal, unless
// the run is stopping.
func (r *run) removeTemp(p string) {
	if r.ctx.Err() == nil {
		_ = r.dst.Remove(tmpName(p))
		_ = r.j.add(record{T: "done", P: p})
	}
}

// unchanged reports whether the target already holds e: same size and
// mtime (whole seconds: SFTP carries no more), or with Checksum the same
// content. The content is then left alone, but e's owner, mode and mtime
// go onto the target file where they differ (a chmod on the source
// changes neither size nor mtime); when that fails, the file is copied.
func (r *run) unchanged(e Entry) bool {
	r.mu.Lock()
	_, fresh := r.fresh[path.Dir(e.Path)]
	r.mu.Unlock()
	if fresh {
		return false
	}
	t, err := r.dst.Lstat(e.Path)
	if err != nil || !t.Mode.IsRegular() || t.Size != e.Size {
		return false
	}
	if t.Nlink > 1 && e.Nlink == 1 {
		// A hard link an earlier run made that the source no longer
		// has: a copy gives the name a file of its own.
		return false
	}
	if !r.opt.Checksum {
		if t.ModTime.Unix() != e.ModTime.Unix() {
			return false
		}
	} else {
		a, err1 := hashFile(r.dst, e.Path)
		b, err2 := hashFile(r.src, e.Path)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			return false
		}
	}
	if r.opt.DryRun || !r.metaDiffers(e, t) {
		return true
	}
	// A file that also has another name may be one outside the tree
	// (only root's) that the target's owner linked here: it is copied
	// instead, which gives the name a file of its own.
	return r.setOwnMeta(e.Path, e) == nil
}

// setOwnMeta gives the target's regular file name e's owner, mode and
// mtime, unless it has another name: the target's owner can link a file
// from outside the tree at any name in it. A local file is checked and
// set through one descriptor; over SFTP, whose stat has no link count,
// the host counts the links, and the metadata goes on by name.
func (r *run) setOwnMeta(name string, e Entry) error {
	if l, ok := r.dst.(*Local); ok {
		f, err := l.openOwn(name, os.O_RDONLY)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := r.setMetaFD(f, e, false); err != nil {
			return fmt.Errorf("set owner, mode and mtime: %w", err)
		}
		return nil
	}
	t, err := r.dst.Lstat(name)
	if err != nil {
		return err
	}
	single := t.Nlink <= 1 // 0: a tree that cannot tell
	if s, ok := r.dst.(*SFTP); ok {
		single = s.singleName(name, t) == nil
	}
	if !t.Mode.IsRegular() || !single {
		return fmt.Errorf("%s: %w", name, errNotOwnTemp)
	}
	return r.setMeta(name, e)
}

// metaDiffers reports whether the target file t lacks e's owner (when
// owners are mapped), mode or mtime.
func (r *run) metaDiffers(e, t Entry) bool {
	if r.opt.Owners != nil && e.UID >= 0 {
		if uid, gid := r.opt.Owners.Map(e.UID, e.GID); t.UID != uid || t.GID != gid {
			return true
		}
	}
	return t.Mode&(0o777|modeSpecial) != e.Mode&(0o777|modeSpecial) || t.ModTime.Unix() != e.ModTime.Unix()
}

// takePartial returns and forgets the journal state of p's earlier,
// unfinished copy.
func (r *run) takePartial(p string) *Partial {
	r.mu.Lock()
	defer r.mu.Unlock()
	part := r.partials[p]
	delete(r.partials, p)
	return part
}

// write copies e's content to its temp name, resuming from the journal
// when an earlier run left a verified prefix of the same source version.
func (r *run) write(e Entry) (*pending, error) {
	tmp := tmpName(e.Path)
	h := sha256.New()
	f, off := r.resume(e, tmp, h)
	if f == nil {
		if err := r.j.add(record{T: "start", P: e.Path, Tmp: tmp, Size: e.Size, Mtime: e.ModTime.Unix()}); err != nil {
			return nil, err
		}
		var err error
		if f, err = r.dst.Create(tmp); err != nil {
			return nil, fmt.Errorf("create %s: %w", tmp, checkNoSpace(r.dst, err, 1))
		}
	} else {
		r.opt.Progress.Bytes(off)
		r.mu.Lock()
		r.sum.Resumed += off
		r.mu.Unlock()
	}
	p := &pending{e: e, tmp: tmp}
	if e.Size >= 16*r.opt.Chunk {
		p.srcSum = r.verifier.sumEarly(e.Path)
	}
	if e.Size-off >= directMin {
		f = direct(f)
	}
	err := r.pump(e, f, off, h)
	if err == nil {
		err = f.Truncate(e.Size) // trailing holes
	}
	if err == nil && r.mustFsync(e.Size) {
		err = f.Sync()
	}
	if err == nil {
		p.permSet, err = r.setPermHandle(f, e)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	p.sum = h.Sum(nil)
	return p, nil
}

// resume reopens the temp file of an earlier run when the journal holds
// a prefix for the same source version and the prefix's last chunk still
// reads back as journaled; after a reboot of the target (another boot
// ID), the whole prefix must, since data the journal mentions may never
// have reached the disk. It returns nil when the copy must start over.
func (r *run) resume(e Entry, tmp string, h hash.Hash) (File, int64) {
	p := r.takePartial(e.Path)
	if p == nil {
		return nil, 0
	}
	if p.Tmp != tmp {
		_ = r.dst.Remove(p.Tmp)
	}
	if p.Tmp != tmp || p.Off <= 0 || p.SrcSize != e.Size || p.SrcMtime != e.ModTime.Unix() || p.Off > e.Size {
		return nil, 0
	}
	f, err := r.dst.OpenWrite(tmp)
	if err != nil {
		return nil, 0
	}
	if p.Boot == "" || p.Boot != r.boot {
		// Written in another boot of the target (or one fugu cannot
		// tell): a crash may have lost any chunk the journal mentions,
		// not only the last, so the whole prefix is hashed again.
		if !prefixState(f, p.Off, h, p.State) || f.Truncate(p.Off) != nil {
			f.Close()
			h.Reset()
			return nil, 0
		}
		return f, p.Off
	}
	buf := make([]byte, p.LastLen)
	n, err := f.ReadAt(buf, p.Off-p.LastLen)
	if (err == nil || err == io.EOF) && int64(n) < p.LastLen {
		clear(buf[n:]) // a trailing hole not yet extended by Truncate
	}
	// The hash state before the last chunk, fed the chunk as it is on
	// disk, must give the state the journal holds after it: that checks
	// the chunk with SHA-256 and leaves h ready at Off.
	ok := (err == nil || err == io.EOF) && p.PrevState != nil &&
		h.(encoding.BinaryUnmarshaler).UnmarshalBinary(p.PrevState) == nil &&
		sameState(h, buf, p.State) &&
		f.Truncate(p.Off) == nil
	if !ok {
		f.Close()
		h.Reset()
		return nil, 0
	}
	return f, p.Off
}

// prefixState hashes the first off bytes of f into h from the start
// (bytes past f's end read as zeros: a trailing hole that Truncate has
// not extended yet) and reports whether h's state is then want.
func prefixState(f File, off int64, h hash.Hash, want []byte) bool {
	h.Reset()
	buf := make([]byte, 1<<20)
	for pos := int64(0); pos < off; {
		n := min(int64(len(buf)), off-pos)
		m, err := f.ReadAt(buf[:n], pos)
		if err != nil && err != io.EOF {
			return false
		}
		clear(buf[m:n])
		h.Write(buf[:n])
		pos += n
	}
	got, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	return err == nil && bytes.Equal(got, want)
}

// sameState feeds b to h and reports whether h's state is then want.
func sameState(h hash.Hash, b, want []byte) bool {
	h.Write(b)
	got, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	return err == nil && bytes.Equal(got, want)
}

// syncSmall is the size below which files on a Syncer target are not
// fsynced one by one but flushed together at the end of the run: an
// fsync per small file costs more than the file, and a big file's fsync
// mostly finds its data already written back.
const syncSmall = 1 << 20

func (r *run) mustFsync(size int64) bool {
	_, batched := r.dst.(Syncer)
	return !batched || size >= syncSmall
}

// directMin is the size from which a local temp file is written around
// the page cache where the system allows (see direct).
const directMin = 16 << 20

// errChanged means the source file changed while it was copied.
var errChanged = errors.New("changed during the copy")
