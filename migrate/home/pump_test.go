package home

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// holdTree is a source tree whose files hold their third read until
// hold is closed.
type holdTree struct {
	Tree
	held atomic.Bool // a third read is waiting for hold
	hold chan struct{}
}

func (t *holdTree) Open(name string) (File, error) {
	f, err := t.Tree.Open(name)
	if err != nil {
		return nil, err
	}
	return &holdFile{File: f, t: t}, nil
}

type holdFile struct {
	File
	t     *holdTree
	reads atomic.Int32
}

func (f *holdFile) ReadAt(p []byte, off int64) (int, error) {
	if f.reads.Add(1) == 3 {
		f.t.held.Store(true)
		<-f.t.hold
	}
	return f.File.ReadAt(p, off)
}

// cancelOnBytes cancels the copy once the first chunk is written.
type cancelOnBytes struct {
	NopProgress
	cancel context.CancelFunc
}

func (p cancelOnBytes) Bytes(n int64) {
	if n > 0 {
		p.cancel()
	}
}

// TestCopyReturnsAfterItsReads: a file's next chunk is read while the
// one before is written. When the copy of the file stops early (here
// cancelled after the first chunk, as the second arrives and the third is
// being read; also a write error or a file that changed), Copy must not
// return while that read still runs: it would go on reading the source,
// calling hooks and holding an SSH session after its caller went on.
func TestCopyReturnsAfterItsReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		must(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
		must(t, os.MkdirAll(filepath.Join(dir, "dst"), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, "src", "f"), make([]byte, 8<<16), 0o644))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		src := &holdTree{Tree: openLocal(t, filepath.Join(dir, "src")), hold: make(chan struct{})}
		dst := openLocal(t, filepath.Join(dir, "dst"))
		returned := make(chan struct{})
		go func() {
			defer close(returned)
			_, _ = Copy(ctx, src, dst, Options{Jobs: 1, Chunk: 64 << 10, Progress: cancelOnBytes{cancel: cancel}})
		}()
		synctest.Wait()
		select {
		case <-returned:
			if src.held.Load() {
				t.Errorf("Copy returned while a read of the source it started was still running")
			}
		default:
		}
		if !src.held.Load() {
			t.Errorf("the third read never started: the test no longer sets up what it checks")
		}
		close(src.hold)
		<-returned
	})
}
