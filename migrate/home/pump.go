package home

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding"
	"errors"
	"fmt"
	"hash"
	"io"
)

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
	// state is the hash state after got bytes; each chunk's record keeps
	// the one before it too, so that a resume can check the chunk on disk.
	// (Taken before the reader starts: from then on pump returns only
	// once it has received the reader's first chunk, which the reader
	// sends without looking at done.)
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return err
	}
	size := min(r.opt.Chunk, e.Size-off+1) // +1: see EOF without another read
	ch := make(chan chunk)                 // unbuffered: the journal lags the reader by as little as possible
	done := make(chan struct{})
	// The reader may be reading the next chunk when pump returns early
	// (cancelled, a write error, a changed file): wait for it, so that
	// nothing reads the source, holds its SSH session or calls received
	// once Copy has returned. It stops at its next send; a stream is
	// ended at once (its source may send nothing more).
	stopped := make(chan struct{})
	rctx, stopReader := context.WithCancel(r.ctx)
	defer func() { close(done); stopReader(); <-stopped }()
	go func() {
		defer close(stopped)
		defer close(ch)
		// Streaming costs a round trip or a session: only for big files.
		if s, ok := r.src.(*SFTP); ok && s.canStream() && e.Size-off > 2*r.opt.Chunk {
			if r.readStream(rctx, s, e, off, size, ch, done) {
				return
			}
		}
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
		if errors.Is(c.err, errChanged) {
			return errChanged
		}
		if c.err != nil {
			return fmt.Errorf("read: %w", c.err)
		}
		if err := r.ctx.Err(); err != nil {
			return err
		}
		prev := state
		end := c.off + int64(len(c.buf))
		if end > e.Size {
			return errChanged
		}
		// Hash while the chunk is written; both must finish before the
		// journal may mention the chunk.
		hashed := make(chan struct{})
		go func() {
			h.Write(c.buf)
			state, _ = h.(encoding.BinaryMarshaler).MarshalBinary()
			close(hashed)
		}()
		var werr error
		if r.mustFsync(e.Size) {
			werr = writeSparse(f, c.buf, c.off)
		} else {
			// Flushed only at the end of the run: no holes, so no size
			// that Truncate set without the data (see unbundle).
			_, werr = f.WriteAt(c.buf, c.off)
		}
		<-hashed
		if werr != nil {
			return fmt.Errorf("write %s: %w", tmpName(e.Path), checkNoSpace(r.dst, werr, int64(len(c.buf))))
		}
		if err := r.j.add(record{T: "chunk", P: e.Path, Off: end, State: state, Prev: prev, Len: int64(len(c.buf))}); err != nil {
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
