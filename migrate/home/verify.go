package home

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"time"
)

// verifier checks every written file against a hash computed on the
// source side, then sets its metadata and renames it into place. With a
// Summer source (sha256 over SSH) it batches many files per command, so
// small files cost one round trip per batch, not per file.
type verifier struct {
	r      *run
	summer Summer // nil: re-read the source
	q      chan *pending
	wg     sync.WaitGroup
}

const (
	sumBatch = 256                   // files per remote hash command
	sumWait  = 20 * time.Millisecond // how long a partial batch waits for company
)

func newVerifier(r *run) *verifier {
	v := &verifier{r: r, q: make(chan *pending, sumBatch)}
	v.summer, _ = r.src.(Summer)
	for range 2 {
		v.wg.Add(1)
		go v.loop()
	}
	return v
}

func (v *verifier) add(p *pending) {
	if v.summer == nil {
		// Local source: re-reading is cheap and runs in the copying worker.
		v.finish(p, Digest{})
		return
	}
	v.q <- p
}

func (v *verifier) close() {
	close(v.q)
	v.wg.Wait()
}

// sumEarly starts hashing a large file on the source while it is still
// being copied, so verification does not add a second pass's time.
func (v *verifier) sumEarly(name string) <-chan Digest {
	if v.summer == nil {
		return nil
	}
	ch := make(chan Digest, 1)
	go func() {
		sums, err := v.summer.Sum(v.r.ctx, []string{name})
		if err != nil || len(sums) != 1 {
			ch <- Digest{}
			return
		}
		ch <- sums[0]
	}()
	return ch
}

func (v *verifier) loop() {
	defer v.wg.Done()
	for {
		p, ok := <-v.q
		if !ok {
			return
		}
		batch := []*pending{p}
		timer := time.NewTimer(sumWait)
	fill:
		for len(batch) < sumBatch {
			select {
			case p, ok := <-v.q:
				if !ok {
					break fill
				}
				batch = append(batch, p)
			case <-timer.C:
				break fill
			}
		}
		timer.Stop()
		v.run(batch)
	}
}

func (v *verifier) run(batch []*pending) {
	var names []string
	var need []*pending
	sums := map[*pending]Digest{}
	for _, p := range batch {
		if p.srcSum != nil {
			sums[p] = <-p.srcSum
			continue
		}
		names = append(names, p.e.Path)
		need = append(need, p)
	}
	if len(names) > 0 {
		got, err := v.summer.Sum(v.r.ctx, names)
		if err != nil && (v.r.ctx.Err() != nil || classify(err) == fatal) {
			v.r.fatal(err)
			return // the run is stopping; the journal keeps these files
		}
		if err == nil {
			for i, p := range need {
				sums[p] = got[i]
			}
		}
	}
	// Finishing costs a round trip per file (the source's second lstat),
	// so run several at once.
	var wg sync.WaitGroup
	sem := make(chan struct{}, v.r.opt.Jobs)
	for _, p := range batch {
		if v.r.ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			v.finish(p, sums[p])
		}()
	}
	wg.Wait()
}

// finish verifies p against the source-side hash d (a zero Digest: re-read
// the source now), sets its metadata and renames it into place.
func (v *verifier) finish(p *pending, d Digest) {
	r := v.r
	e := p.e
	srcSum := d.Sum
	var err error
	if srcSum == nil {
		srcSum, err = hashFile(r.src, e.Path)
		if err != nil {
			r.dropUnlessFatal(p, fmt.Errorf("hash source: %w", err))
			return
		}
	}
	after := Entry{Size: d.Size, ModTime: time.Unix(d.Mtime, 0)}
	if !d.Stat || d.Sum == nil {
		if after, err = r.src.Lstat(e.Path); err != nil {
			r.dropUnlessFatal(p, err)
			return
		}
	}
	if after.Size != e.Size || after.ModTime.Unix() != e.ModTime.Unix() || !bytes.Equal(srcSum, p.sum) {
		r.dropTemp(p)
		if p.attempt < maxAttempts {
			r.retry(e.Path, p.attempt)
			return
		}
		r.event(Event{Kind: Failed, Path: e.Path, Err: fmt.Errorf("changed during the copy %d times", maxAttempts)})
		return
	}
	r.place(p, srcSum)
}

// place gives a verified temp file its metadata, renames it into place
// and journals it as done.
func (r *run) place(p *pending, srcSum []byte) {
	e := p.e
	switch {
	case p.metaSet:
	case p.permSet:
		if err := r.dst.Chtimes(p.tmp, e.ModTime); err != nil {
			r.dropUnlessFatal(p, fmt.Errorf("set mtime: %w", err))
			return
		}
	default:
		if err := r.setOwnMeta(p.tmp, e); err != nil {
			r.dropUnlessFatal(p, err)
			return
		}
	}
	if err := r.dst.Rename(p.tmp, e.Path); err != nil {
		r.dropUnlessFatal(p, r.renameFailed("rename into place", e.Path, err))
		return
	}
	if err := r.j.add(record{T: "done", P: e.Path, Size: e.Size, Mtime: e.ModTime.Unix(), Sum: srcSum}); err != nil {
		r.fatal(err)
		return
	}
	r.event(Event{Kind: Copied, Path: e.Path, Size: e.Size})
}

// renameFailed says why a temp name could not be renamed over name. A
// directory the target holds there is said plainly: fugu removes none.
func (r *run) renameFailed(what, name string, err error) error {
	if classify(err) != fatal {
		if t, lerr := r.dst.Lstat(name); lerr == nil && t.Mode.IsDir() {
			return fmt.Errorf("%s: %s", what, targetIsDir)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// setMeta gives name e's owner, mode and mtime. Ownership comes first:
// chown clears setuid and setgid bits.
func (r *run) setMeta(name string, e Entry) error {
	if r.opt.Owners != nil && e.UID >= 0 {
		uid, gid := r.opt.Owners.Map(e.UID, e.GID)
		if err := r.dst.Lchown(name, uid, gid); err != nil {
			return fmt.Errorf("chown: %w", err)
		}
	}
	if err := r.dst.Chmod(name, e.Mode&(0o777|modeSpecial)); err != nil {
		return fmt.Errorf("chmod: %w", err)
	}
	if err := r.dst.Chtimes(name, e.ModTime); err != nil {
		return fmt.Errorf("set mtime: %w", err)
	}
	return nil
}

// dropUnlessFatal reports err for p's file. A fatal error (the connection
// broke) keeps the temp file and its journal, so the next run verifies it
// without sending it again; otherwise the temp file goes.
func (r *run) dropUnlessFatal(p *pending, err error) {
	if classify(err) != fatal {
		r.dropTemp(p)
	}
	r.fileError(p.e.Path, err)
}

// dropTemp removes a temp file that will not be renamed into place and
// forgets it in the journal.
func (r *run) dropTemp(p *pending) {
	_ = r.dst.Remove(p.tmp)
	_ = r.j.add(record{T: "done", P: p.e.Path})
}

// retry copies path again from a fresh look at the source, verifying
// by re-reading it (synchronously: it runs in a worker or the verifier).
func (r *run) retry(path string, attempt int) {
	// The attempt before may have left a partial temp file (a file that
	// shrank): it goes unless this attempt writes it again.
	e, err := r.src.Lstat(path)
	if err != nil {
		r.writeFailed(Entry{Path: path}, err)
		return
	}
	if !e.Mode.IsRegular() {
		// Replaced by a link, a fifo... since the walk: opening it would
		// follow the link or block on the fifo.
		r.removeTemp(path)
		r.event(Event{Kind: Skipped, Path: path, Err: fmt.Errorf("no longer a regular file (now %s)", kindName(e.Mode))})
		return
	}
	attempt++
	p, err := r.write(e)
	if errors.Is(err, errChanged) && attempt < maxAttempts {
		r.retry(path, attempt)
		return
	}
	if err != nil {
		r.writeFailed(e, err)
		return
	}
	p.attempt = attempt
	r.verifier.finish(p, Digest{})
}
