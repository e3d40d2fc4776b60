package home

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
)

// zeroBlock is the granularity of hole detection: a block of this many
// zero bytes is not written, so sparse files stay sparse.
const zeroBlock = 32 << 10

var zeros = make([]byte, zeroBlock)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// pending is a file written to its temp name, waiting for verification.
type pending struct {
	e       Entry // the source entry as seen before the copy
	tmp     string
	sum     []byte        // sha256 of what was written
	srcSum  <-chan Digest // source-side hash started early (large files), or nil
	attempt int
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
		r.event(Event{Kind: Planned, Path: e.Path, Size: e.Size})
		return
	}
	p, err := r.write(e)
	if errors.Is(err, errChanged) && attempt < maxAttempts {
		r.retry(e.Path, attempt)
		return
	}
	if err != nil {
		r.fileError(e.Path, err)
		return
	}
	p.attempt = attempt
	r.verifier.add(p)
}

// unchanged reports whether the target already holds e: same size and
// mtime (whole seconds: SFTP carries no more), or with Checksum the same
// content.
func (r *run) unchanged(e Entry) bool {
	t, err := r.dst.Lstat(e.Path)
	if err != nil || !t.Mode.IsRegular() || t.Size != e.Size {
		return false
	}
	if !r.opt.Checksum {
		return t.ModTime.Unix() == e.ModTime.Unix()
	}
	a, err1 := hashFile(r.dst, e.Path)
	b, err2 := hashFile(r.src, e.Path)
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
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
	if off == 0 && e.Size >= 16*r.opt.Chunk {
		p.srcSum = r.verifier.sumEarly(e.Path)
	}
	err := r.pump(e, f, off, h)
	if err == nil {
		err = f.Truncate(e.Size) // trailing holes
	}
	if err == nil && r.mustFsync(e.Size) {
		err = f.Sync()
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
// reads back as journaled (after a crash of the target machine, data the
// journal mentions may never have reached the disk). It returns nil when
// the copy must start over.
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
	buf := make([]byte, p.LastLen)
	n, err := f.ReadAt(buf, p.Off-p.LastLen)
	if (err == nil || err == io.EOF) && int64(n) < p.LastLen {
		clear(buf[n:]) // a trailing hole not yet extended by Truncate
	}
	ok := (err == nil || err == io.EOF) && p.LastSum != nil &&
		bytes.Equal(crc(buf), p.LastSum) &&
		h.(encoding.BinaryUnmarshaler).UnmarshalBinary(p.State) == nil &&
		f.Truncate(p.Off) == nil
	if !ok {
		f.Close()
		h.Reset()
		return nil, 0
	}
	return f, p.Off
}

func crc(b []byte) []byte { return binary.BigEndian.AppendUint32(nil, crc32.Checksum(b, castagnoli)) }

// chunk is one piece of a file on its way from reader to writer.
type chunk struct {
	off int64
	buf []byte
	err error
}

// pump reads e from off to its end in chunks and writes them to f,
// reading the next chunk while the previous one is written. Each chunk
// is hashed in order and journaled once written, so the journal's prefix
// is always contiguous; zero blocks are skipped (they read back as
// zeros from the hole).
func (r *run) pump(e Entry, f File, off int64, h hash.Hash) error {
	sf, err := r.src.Open(e.Path)
	if err != nil {
		return err
	}
	// Closing costs a round trip over SFTP and nothing waits for it.
	defer func() { go sf.Close() }()
	size := min(r.opt.Chunk, e.Size-off+1) // +1: see EOF without another read
	ch := make(chan chunk)                 // unbuffered: the journal lags the reader by as little as possible
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(ch)
		// Streaming costs an extra fstat round trip: only for big files.
		if ws, ok := sf.(sftpFile); ok && e.Size-off > 2*r.opt.Chunk {
			r.stream(ws, off, size, ch, done)
			return
		}
		for o := off; ; {
			buf := r.getBuf(size)
			n, err := sf.ReadAt(buf, o)
			if received != nil {
				received(n)
			}
			if err == io.EOF {
				err = nil
			}
			select {
			case ch <- chunk{off: o, buf: buf[:n], err: err}:
			case <-done:
				return
			}
			if err != nil || n < len(buf) {
				return
			}
			o += int64(n)
		}
	}()
	got := off
	for c := range ch {
		if c.err != nil {
			return fmt.Errorf("read: %w", c.err)
		}
		if err := r.ctx.Err(); err != nil {
			return err
		}
		end := c.off + int64(len(c.buf))
		if end > e.Size {
			return errChanged
		}
		// Hash while the chunk is written; both must finish before the
		// journal may mention the chunk.
		var state, sum []byte
		hashed := make(chan struct{})
		go func() {
			h.Write(c.buf)
			state, _ = h.(encoding.BinaryMarshaler).MarshalBinary()
			sum = crc(c.buf)
			close(hashed)
		}()
		werr := writeSparse(f, c.buf, c.off)
		<-hashed
		if werr != nil {
			return fmt.Errorf("write %s: %w", tmpName(e.Path), checkNoSpace(r.dst, werr, int64(len(c.buf))))
		}
		if err := r.j.add(record{T: "chunk", P: e.Path, Off: end, State: state, Sum: sum, Len: int64(len(c.buf))}); err != nil {
			return err
		}
		r.opt.Progress.Bytes(int64(len(c.buf)))
		r.mu.Lock()
		r.sum.Bytes += int64(len(c.buf))
		r.mu.Unlock()
		r.putBuf(c.buf)
		got = end
		if len(c.buf) == 0 || end == e.Size {
			break
		}
	}
	if got != e.Size {
		return errChanged
	}
	return nil
}

// getBuf returns a buffer of n bytes; full chunks come from a pool, so
// a big file does not allocate one per read.
func (r *run) getBuf(n int64) []byte {
	if n == r.opt.Chunk {
		if b, ok := r.bufs.Get().(*[]byte); ok {
			return *b
		}
	}
	return make([]byte, n)
}

func (r *run) putBuf(b []byte) {
	if int64(cap(b)) == r.opt.Chunk {
		b = b[:cap(b)]
		r.bufs.Put(&b)
	}
}

// stream reads an SFTP file from off to its end with pkg/sftp's WriteTo,
// which keeps many read requests in flight all the time (ReadAt waits for
// each chunk's last reply before the next chunk starts), and cuts the
// stream into chunks.
func (r *run) stream(f sftpFile, off, size int64, ch chan<- chunk, done <-chan struct{}) {
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		ch <- chunk{err: err}
		return
	}
	c := &chunker{r: r, size: max(size, 1), off: off, out: ch, done: done}
	_, err := f.WriteTo(c)
	if err == nil {
		err = c.flush()
	}
	if err != nil && err != errStopped {
		select {
		case ch <- chunk{err: err}:
		case <-done:
		}
	}
}

var errStopped = errors.New("stopped")

// chunker is an io.Writer that cuts a stream into chunks.
type chunker struct {
	r    *run
	size int64
	buf  []byte
	off  int64
	out  chan<- chunk
	done <-chan struct{}
}

func (c *chunker) Write(p []byte) (int, error) {
	n := len(p)
	if received != nil {
		received(n)
	}
	for len(p) > 0 {
		if c.buf == nil {
			c.buf = c.r.getBuf(c.size)[:0]
		}
		k := copy(c.buf[len(c.buf):cap(c.buf)], p)
		c.buf, p = c.buf[:len(c.buf)+k], p[k:]
		if len(c.buf) == cap(c.buf) {
			if err := c.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (c *chunker) flush() error {
	if len(c.buf) == 0 {
		return nil
	}
	select {
	case c.out <- chunk{off: c.off, buf: c.buf}:
		c.off += int64(len(c.buf))
		c.buf = nil
		return nil
	case <-c.done:
		return errStopped
	}
}

// received, when set (by tests), is told of every piece of file content
// as it arrives from the source, before it is written or journaled.
var received func(n int)

// syncSmall is the size below which files on a Syncer target are not
// fsynced one by one but flushed together at the end of the run: an
// fsync per small file costs more than the file, and a big file's fsync
// mostly finds its data already written back.
const syncSmall = 1 << 20

func (r *run) mustFsync(size int64) bool {
	_, batched := r.dst.(Syncer)
	return !batched || size >= syncSmall
}

// errChanged means the source file changed while it was copied.
var errChanged = errors.New("changed during the copy")

// writeSparse writes buf at off, leaving out runs of zero blocks.
func writeSparse(f File, buf []byte, off int64) error {
	start := -1 // start of the current run of data
	for i := 0; i < len(buf); i += zeroBlock {
		end := min(i+zeroBlock, len(buf))
		if bytes.Equal(buf[i:end], zeros[:end-i]) {
			if start >= 0 {
				if _, err := f.WriteAt(buf[start:i], off+int64(start)); err != nil {
					return err
				}
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		_, err := f.WriteAt(buf[start:], off+int64(start))
		return err
	}
	return nil
}

// hashFile reads name from t and returns its sha256.
func hashFile(t Tree, name string) ([]byte, error) {
	f, err := t.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for off := int64(0); ; {
		n, err := f.ReadAt(buf, off)
		h.Write(buf[:n])
		off += int64(n)
		if err == io.EOF || (err == nil && n < len(buf)) {
			return h.Sum(nil), nil
		}
		if err != nil {
			return nil, err
		}
	}
}
