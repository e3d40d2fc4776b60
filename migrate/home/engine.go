package home

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"
)

// Options tune a copy. The zero value copies with defaults.
type Options struct {
	Jobs     int   // files in flight (default 16)
	Chunk    int64 // journal granularity and read size (default 4 MiB)
	Excludes Excludes
	// Checksum compares content (sha256) instead of size and mtime to
	// decide that a file on the target is unchanged.
	Checksum bool
	DryRun   bool
	// Owners, when set, maps source owners to target owners and the copy
	// sets ownership (which needs root on the target).
	Owners   *IDMap
	Progress Progress
}

const (
	defaultJobs  = 16
	defaultChunk = 4 << 20
	tmpPrefix    = ".fugu-tmp-"
	maxAttempts  = 3 // copies of a file that keeps changing under us
)

// Copy copies the tree src into dst, resuming from dst's journal, and
// returns what it did. The error is non-nil when the run stopped early
// (ErrNoSpace, ErrConnection, cancellation, a broken journal); per-file
// failures are counted in the summary and reported as events instead.
func Copy(ctx context.Context, src, dst Tree, opt Options) (Summary, error) {
	start := time.Now()
	if opt.Jobs <= 0 {
		opt.Jobs = defaultJobs
	}
	if opt.Chunk <= 0 {
		opt.Chunk = defaultChunk
	}
	if opt.Progress == nil {
		opt.Progress = NopProgress{}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r := &run{src: src, dst: dst, opt: opt, ctx: ctx, cancel: cancel, partials: map[string]*Partial{}, fresh: map[string]struct{}{}, failed: map[string]struct{}{}}
	if !opt.DryRun {
		if lk, ok := dst.(locker); ok {
			unlock, err := lk.lock()
			if err != nil {
				return r.sum, fmt.Errorf("%s: %w", dst, err)
			}
			defer unlock()
		}
		if b, ok := dst.(booter); ok {
			r.boot = b.BootID(ctx)
		}
		j, partials, err := openJournal(dst, r.boot)
		if err != nil {
			return r.sum, fatalError(fmt.Errorf("%s: %w", dst, err))
		}
		r.j, r.partials = j, partials
	}
	scanDone := make(chan struct{})
	scanCtx, stopScan := context.WithCancel(ctx)
	if sc, ok := src.(Scanner); ok {
		go func() {
			defer close(scanDone)
			if s, err := sc.Scan(scanCtx); err == nil {
				opt.Progress.Total(s.Files, s.Bytes)
			}
		}()
	} else {
		close(scanDone)
	}
	defer func() { stopScan(); <-scanDone }() // no Total after Copy returns
	r.verifier = newVerifier(r)
	if !opt.DryRun {
		r.bundler = bundleFor(ctx, src)
	}
	jobs := make(chan job, 4*opt.Jobs)
	var wg sync.WaitGroup
	for range opt.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				switch {
				case ctx.Err() != nil:
				case j.bundle != nil:
					r.copyBundle(j.bundle)
				default:
					r.copyFile(j.e, 1)
				}
			}
		}()
	}
	werr := r.walk(jobs)
	close(jobs)
	wg.Wait()
	if s, ok := src.(*SFTP); ok {
		s.closeHelpers()
	}
	r.verifier.close()
	if werr == nil && ctx.Err() == nil && !opt.DryRun {
		r.finish()
	}
	if r.j != nil {
		if err := r.j.close(); err != nil {
			r.fatal(err)
		}
	}
	r.sum.Duration = time.Since(start)
	if err := context.Cause(ctx); err != nil && !errors.Is(err, errDone) {
		return r.sum, err
	}
	if werr != nil {
		return r.sum, fmt.Errorf("walk %s: %w", src, werr)
	}
	if s, ok := dst.(Syncer); ok && !opt.DryRun {
		// Small files were not fsynced one by one: flush them all before
		// the run reports them done.
		if err := s.SyncAll(); err != nil {
			return r.sum, fmt.Errorf("sync %s: %w", dst, err)
		}
	}
	if !opt.DryRun && r.sum.Failed == 0 {
		r.removeJournal()
	}
	return r.sum, nil
}

var errDone = errors.New("done")

// run is the state of one Copy.
type run struct {
	src, dst Tree
	opt      Options
	ctx      context.Context
	cancel   context.CancelCauseFunc
	j        *journal
	verifier *verifier
	bundler  *bundler // nil unless small files travel in bundles

	bufs sync.Pool // chunk buffers

	mu       sync.Mutex
	sum      Summary
	partials map[string]*Partial // journal state of unfinished files, taken by copyFile
	dirs     []Entry             // directories, parents first, for modes and mtimes at the end
	fresh    map[string]struct{} // directories this run created: nothing in them to compare with
	links    [][2]string         // hard links to make at the end: {existing, new}
	failed   map[string]struct{} // paths reported failed or skipped: no hard link may lead to them

	linkOwners []linkOwner // symlinks whose owner the target left to the end
	boot       string      // the target's boot ID ("" unknown)
}

// event reports an outcome and counts it.
func (r *run) event(ev Event) {
	r.mu.Lock()
	r.sum.count(ev.Kind)
	if ev.Kind == Failed || ev.Kind == Skipped {
		r.failed[ev.Path] = struct{}{}
	}
	r.mu.Unlock()
	r.opt.Progress.Event(ev)
}

// fatal stops the run with err (the first one wins).
func (r *run) fatal(err error) {
	r.cancel(fatalError(err))
}

// fileError reports a per-file error, or stops the run for a fatal one.
func (r *run) fileError(p string, err error) {
	switch classify(err) {
	case fatal:
		r.fatal(fmt.Errorf("%s: %w", p, err))
	case vanished:
		if _, serr := r.src.Lstat(p); !errors.Is(serr, fs.ErrNotExist) {
			// The source is still there: what is missing is on the
			// target (a directory removed during the copy), and p was
			// not copied.
			r.event(Event{Kind: Failed, Path: p, Err: err})
			return
		}
		r.event(Event{Kind: Skipped, Path: p, Err: fmt.Errorf("vanished during the copy: %w", err)})
	default:
		r.event(Event{Kind: Failed, Path: p, Err: err})
	}
}
