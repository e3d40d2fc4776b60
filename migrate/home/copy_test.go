package home

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// treePair builds the source and target Tree for a direction, one side
// local and the other over in-process SFTP.
func treePair(t *testing.T, dir string, src, dst string) (Tree, Tree) {
	t.Helper()
	open := func(kind, d string) Tree {
		if kind == "sftp" {
			must(t, os.MkdirAll(d, 0o755))
			return inProcessSFTP(t, d)
		}
		return openLocal(t, d)
	}
	return open(src, filepath.Join(dir, "src")), open(dst, filepath.Join(dir, "dst"))
}

// direction is where a test copies from and to: "local" or "sftp".
type direction struct{ name, src, dst string }

var directions = []direction{
	{"local-to-sftp", "local", "sftp"},
	{"sftp-to-local", "sftp", "local"},
	{"local-to-local", "local", "local"},
}

func TestCopyEveryKindOfEntry(t *testing.T) {
	for _, d := range directions {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			makeTree(t, filepath.Join(dir, "src"))
			src, dst := treePair(t, dir, d.src, d.dst)
			rec := newRecorder()
			sum, err := Copy(context.Background(), src, dst, Options{Jobs: 3, Chunk: 1 << 20, Progress: rec})
			if err != nil {
				t.Fatal(err)
			}
			sameTree(t, snapshot(t, filepath.Join(dir, "src")), snapshot(t, filepath.Join(dir, "dst")))
			checkSparse(t, filepath.Join(dir, "dst", "sparse"))
			warned := map[string]bool{}
			for _, e := range rec.all() {
				if e.Kind == Warning {
					warned[e.Path] = true
				}
				if e.Kind == Failed {
					t.Errorf("failed: %s: %v", e.Path, e.Err)
				}
			}
			if !warned["a/out-link"] || !warned["abs-link"] || warned["a/in-link"] {
				t.Errorf("out-of-tree link warnings = %v, want a/out-link and abs-link only", warned)
			}
			if _, err := os.Stat(filepath.Join(dir, "dst", JournalDir)); !os.IsNotExist(err) {
				t.Errorf("journal left after a complete run: %v", err)
			}
			// assert that: a second run copies nothing.
			sum2, err := Copy(context.Background(), src, dst, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if sum2.Copied != 0 || sum2.Bytes != 0 {
				t.Errorf("second run copied %d files, %d bytes; want 0 (first run: %+v)", sum2.Copied, sum2.Bytes, sum)
			}
			sameTree(t, snapshot(t, filepath.Join(dir, "src")), snapshot(t, filepath.Join(dir, "dst")))
		})
	}
}

// checkSparse fails unless the file at p occupies less disk than its size.
func checkSparse(t *testing.T, p string) {
	t.Helper()
	fi, err := os.Stat(p)
	must(t, err)
	st := fi.Sys().(*syscall.Stat_t)
	if st.Blocks*512 >= fi.Size() {
		t.Errorf("%s: %d bytes allocated for %d: not sparse", p, st.Blocks*512, fi.Size())
	}
}

// cancelAfter wraps a target Tree and cancels the run once n bytes
// were written to it.
type cancelAfter struct {
	Tree
	n       int64
	written atomic.Int64
	cancel  context.CancelFunc
}

func (c *cancelAfter) Create(name string) (File, error) {
	f, err := c.Tree.Create(name)
	return &cancelFile{f, c}, err
}

func (c *cancelAfter) OpenWrite(name string) (File, error) {
	f, err := c.Tree.OpenWrite(name)
	return &cancelFile{f, c}, err
}

type cancelFile struct {
	File
	c *cancelAfter
}

func (f *cancelFile) WriteAt(b []byte, off int64) (int, error) {
	n, err := f.File.WriteAt(b, off)
	if f.c.written.Add(int64(n)) >= f.c.n {
		f.c.cancel()
	}
	return n, err
}

func TestResumeSendsAtMostOneChunkPerFileInFlight(t *testing.T) {
	for _, d := range directions[:2] {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			makeTree(t, filepath.Join(dir, "src"))
			src, dst := treePair(t, dir, d.src, d.dst)
			const chunk = 256 << 10
			var total int64
			for i := 0; i < 20; i++ {
				ctx, cancel := context.WithCancel(context.Background())
				sum, err := Copy(ctx, src, &cancelAfter{Tree: dst, n: 1 << 20, cancel: cancel}, Options{Jobs: 1, Chunk: chunk})
				cancel()
				total += sum.Bytes
				if err == nil {
					break
				}
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("run %d: %v", i, err)
				}
			}
			sameTree(t, snapshot(t, filepath.Join(dir, "src")), snapshot(t, filepath.Join(dir, "dst")))
			size := treeBytes(t, filepath.Join(dir, "src"))
			// assert that: each interrupted run re-sent at most the chunk in flight.
			if total > size+10*chunk {
				t.Errorf("sent %d bytes for a %d-byte tree", total, size)
			}
		})
	}
}

// treeBytes sums the sizes of the regular files in dir, counting hard
// links once.
func treeBytes(t testing.TB, dir string) int64 {
	var n int64
	seen := map[uint64]bool{}
	must(t, filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		if !seen[st.Ino] {
			seen[st.Ino] = true
			n += fi.Size()
		}
		return nil
	}))
	return n
}

func TestExcludesAreReported(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	must(t, os.MkdirAll(filepath.Join(dir, "src", "proj", ".git"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "src", "proj", ".git", "HEAD"), []byte("x"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "src", "proj", "main.o"), []byte("x"), 0o644))
	src, dst := treePair(t, dir, "local", "local")
	var x Excludes
	for _, s := range CVSExcludes {
		p, err := ParsePattern(s)
		must(t, err)
		x = append(x, p)
	}
	rec := newRecorder()
	sum, err := Copy(context.Background(), src, dst, Options{Excludes: x, Progress: rec})
	must(t, err)
	rules := map[string]string{}
	for _, e := range rec.all() {
		if e.Kind == Excluded {
			rules[e.Path] = e.Rule
		}
	}
	if rules["proj/.git"] != ".git/" || rules["proj/main.o"] != "*.o" || sum.Excluded != 2 {
		t.Errorf("excluded = %v (%d), want proj/.git by .git/ and proj/main.o by *.o", rules, sum.Excluded)
	}
	if _, err := os.Lstat(filepath.Join(dir, "dst", "proj", "main.o")); err == nil {
		t.Error("excluded file was copied")
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	src, dst := treePair(t, dir, "sftp", "local")
	rec := newRecorder()
	_, err := Copy(context.Background(), src, dst, Options{DryRun: true, Progress: rec})
	must(t, err)
	ents, _ := os.ReadDir(filepath.Join(dir, "dst"))
	if len(ents) != 0 {
		t.Errorf("dry run wrote %d entries", len(ents))
	}
	var planned []string
	byPath := map[string]Event{}
	for _, e := range rec.all() {
		if e.Kind == Planned {
			planned = append(planned, e.Path)
			byPath[e.Path] = e
		}
	}
	if !strings.Contains(strings.Join(planned, "\n"), "big.bin") {
		t.Errorf("planned = %q, want big.bin among them", planned)
	}
	// assert that: paths are names only; what an entry is and what it
	// points at are fields of their own (--json prints them apart)
	h1, h2 := byPath["hard1"], byPath["a/hard2"]
	if h2.LinkTo != "hard1" && h1.LinkTo != "a/hard2" {
		t.Errorf("planned hard1 %+v, a/hard2 %+v: want one linked to the other", h1, h2)
	}
	if d, ok := byPath["a"]; !ok || !d.Type.IsDir() {
		t.Errorf("planned directory a = %+v (%v), want Type dir", d, ok)
	}
	if l := byPath["a/in-link"]; l.Type&fs.ModeSymlink == 0 || l.Target != "b/c/deep.txt" {
		t.Errorf("planned symlink a/in-link = %+v, want Type symlink and Target b/c/deep.txt", l)
	}
	for _, p := range planned {
		if strings.Contains(p, " -> ") || strings.Contains(p, "(hard link") || strings.HasSuffix(p, "/") {
			t.Errorf("planned path %q carries more than the name", p)
		}
	}
}

// TestResumeChecksLastChunkOnDisk interrupts a big file, then spoils the
// last journaled chunk of its temp file, as a crash can leave it when the
// journal reached the disk and the data did not: the resume must notice
// and copy the file from the start. Unspoiled, the same resume sends
// only the rest.
func TestResumeChecksLastChunkOnDisk(t *testing.T) {
	for _, c := range []struct {
		target string
		spoil  bool
	}{{"local", false}, {"local", true}, {"sftp", false}, {"sftp", true}} {
		spoil := c.spoil
		t.Run(fmt.Sprintf("%s/spoiled=%v", c.target, spoil), func(t *testing.T) {
			dir := t.TempDir()
			data, src, dst := interruptBigFile(t, dir, c.target)
			b, err := os.ReadFile(filepath.Join(dir, "dst", journalName))
			must(t, err)
			files, _, err := ReadJournal(bytes.NewReader(b))
			must(t, err)
			p := files["big"]
			if p == nil || p.Off < resumeChunk || p.PrevState == nil {
				t.Fatalf("journal holds %+v, want a partial with a chunk", p)
			}
			if spoil {
				f, err := os.OpenFile(filepath.Join(dir, "dst", p.Tmp), os.O_WRONLY, 0)
				must(t, err)
				_, err = f.WriteAt([]byte{^data[p.Off-1]}, p.Off-1)
				must(t, err)
				must(t, f.Close())
			}
			sum, err := Copy(context.Background(), src, dst, Options{Jobs: 1, Chunk: resumeChunk})
			must(t, err)
			got, err := os.ReadFile(filepath.Join(dir, "dst", "big"))
			must(t, err)
			if !bytes.Equal(got, data) {
				t.Fatal("resumed file differs from the source")
			}
			want := int64(len(data)) - p.Off
			if spoil {
				want = int64(len(data))
			}
			if sum.Bytes != want {
				t.Errorf("resume sent %d bytes, want %d (journaled prefix %d)", sum.Bytes, want, p.Off)
			}
		})
	}
}

// resumeChunk is the chunk size of interruptBigFile's runs.
const resumeChunk = 256 << 10

// interruptBigFile puts a 3 MiB file "big" of random bytes in dir/src
// and copies it to dir/dst (a local or SFTP target), cancelling the run
// after 1 MiB is written: the target is left with a temp file and a
// journal to resume from.
func interruptBigFile(t *testing.T, dir, dstKind string) (data []byte, src, dst Tree) {
	t.Helper()
	return interruptFile(t, dir, "big", dstKind, 1<<20, nil)
}

// interruptFile is interruptBigFile for a file called name, cancelled
// after n bytes, with the interrupted run's target wrapped by wrap (when
// not nil).
func interruptFile(t *testing.T, dir, name, dstKind string, n int64, wrap func(*cancelAfter) Tree) (data []byte, src, dst Tree) {
	t.Helper()
	data = make([]byte, 3<<20)
	rand.New(rand.NewSource(1)).Read(data)
	must(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "src", name), data, 0o644))
	src, dst = treePair(t, dir, "local", dstKind)
	ctx, cancel := context.WithCancel(context.Background())
	var target Tree = &cancelAfter{Tree: dst, n: n, cancel: cancel}
	if wrap != nil {
		target = wrap(target.(*cancelAfter))
	}
	_, err := Copy(ctx, src, target, Options{Jobs: 1, Chunk: resumeChunk})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want canceled", err)
	}
	return data, src, dst
}

// TestSmallFilesAreWrittenWhole: a file flushed only by the sync at the
// end of the run is written without holes, so that no size set by
// Truncate can outlive its data in a crash. (Big files, fsynced one by
// one, stay sparse: see checkSparse.)
func TestSmallFilesAreWrittenWhole(t *testing.T) {
	for _, d := range []struct{ name, src string }{{"remote source", "sftp"}, {"local source", "local"}} {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			data := append(bytes.Repeat([]byte("x"), 4<<10), make([]byte, 96<<10)...)
			must(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
			must(t, os.WriteFile(filepath.Join(dir, "src", "zt"), data, 0o644))
			src, dst := treePair(t, dir, d.src, "local")
			_, err := Copy(context.Background(), src, dst, Options{})
			must(t, err)
			fi, err := os.Stat(filepath.Join(dir, "dst", "zt"))
			must(t, err)
			if st := fi.Sys().(*syscall.Stat_t); st.Blocks*512 < int64(len(data)) {
				t.Errorf("zt has %d bytes allocated for %d: its zero tail is a hole", st.Blocks*512, len(data))
			}
		})
	}
}

// TestChangedIntoSymlinkIsSkipped: a file that changes during its copy is
// looked at again; if it has become a symlink meanwhile, it is reported
// and skipped, never opened (which would follow the link).
func TestChangedIntoSymlinkIsSkipped(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	must(t, os.MkdirAll(src, 0o755))
	must(t, os.WriteFile(filepath.Join(src, "f"), bytes.Repeat([]byte("a"), 3<<20), 0o644))
	must(t, os.WriteFile(filepath.Join(src, "g"), []byte("another file"), 0o600))
	var once sync.Once
	received = func(int) {
		once.Do(func() {
			must(t, os.Remove(filepath.Join(src, "f")))
			must(t, os.Symlink("g", filepath.Join(src, "f")))
		})
	}
	t.Cleanup(func() { received = nil })
	from, to := treePair(t, dir, "local", "local")
	rec := newRecorder()
	_, err := Copy(context.Background(), from, to, Options{Jobs: 1, Chunk: 256 << 10, Progress: rec})
	must(t, err)
	var skipped string
	for _, e := range rec.all() {
		if e.Path == "f" && e.Kind == Skipped {
			skipped = e.Err.Error()
		}
	}
	if !strings.Contains(skipped, "no longer a regular file (now symlink)") {
		t.Errorf("f: skip reason %q, want it to say it became a symlink", skipped)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "dst", "f")); err == nil {
		t.Errorf("dst/f exists: %v", fi.Mode())
	}
}

// bootTree gives a target the boot ID id.
type bootTree struct {
	Tree
	id string
}

func (b bootTree) BootID(context.Context) string { return b.id }

type cancelBootTree struct {
	*cancelAfter
	id string
}

func (b cancelBootTree) BootID(context.Context) string { return b.id }

// TestResumeAfterRebootChecksWholePrefix: the journal notes the target's
// boot ID. A resume in the same boot checks the last chunk (a killed
// fugu loses nothing the kernel has); after a reboot it hashes the whole
// prefix again, so a chunk the crash lost anywhere in it restarts the
// file instead of leaving zeros in the copy.
func TestResumeAfterRebootChecksWholePrefix(t *testing.T) {
	for _, tc := range []struct {
		name        string
		boot2       string
		spoil       bool
		wantRestart bool
	}{
		{"same boot", "A", false, false},
		{"after a reboot, prefix intact", "B", false, false},
		{"after a reboot, an early chunk lost", "B", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			data, src, dst := interruptFile(t, dir, "big", "local", 2<<20, func(c *cancelAfter) Tree { return cancelBootTree{c, "A"} })
			b, err := os.ReadFile(filepath.Join(dir, "dst", journalName))
			must(t, err)
			files, _, err := ReadJournal(bytes.NewReader(b))
			must(t, err)
			p := files["big"]
			if p == nil || p.Off < 2*resumeChunk || p.Boot != "A" {
				t.Fatalf("journal holds %+v, want a partial of two chunks or more from boot A", p)
			}
			if tc.spoil {
				// The first chunk never reached the disk: zeros.
				f, err := os.OpenFile(filepath.Join(dir, "dst", p.Tmp), os.O_WRONLY, 0)
				must(t, err)
				_, err = f.WriteAt(make([]byte, resumeChunk), 0)
				must(t, err)
				must(t, f.Close())
			}
			sum, err := Copy(context.Background(), src, bootTree{dst, tc.boot2}, Options{Jobs: 1, Chunk: resumeChunk})
			must(t, err)
			got, err := os.ReadFile(filepath.Join(dir, "dst", "big"))
			must(t, err)
			if !bytes.Equal(got, data) {
				t.Fatal("the copy differs from the source")
			}
			want := int64(len(data)) - p.Off
			if tc.wantRestart {
				want = int64(len(data))
			}
			if sum.Bytes != want {
				t.Errorf("sent %d bytes, want %d (journaled prefix %d)", sum.Bytes, want, p.Off)
			}
		})
	}
}

// TestShrunkThenVanishedLeavesNoTempFile: a file that shrinks during its
// copy is looked at again; when it is gone by then (or no longer a
// regular file), the partial copy of the first attempt must not stay
// behind in the target under its temp name.
func TestShrunkThenVanishedLeavesNoTempFile(t *testing.T) {
	for _, then := range []string{"vanished", "directory"} {
		t.Run(then, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			must(t, os.MkdirAll(src, 0o755))
			f := filepath.Join(src, "f")
			must(t, os.WriteFile(f, bytes.Repeat([]byte("a"), 1<<20), 0o644))
			var once sync.Once
			received = func(int) {
				once.Do(func() {
					must(t, os.Truncate(f, 10))
					must(t, os.Remove(f))
					if then == "directory" {
						must(t, os.Mkdir(f, 0o755))
					}
				})
			}
			t.Cleanup(func() { received = nil })
			from, to := treePair(t, dir, "local", "local")
			rec := newRecorder()
			_, err := Copy(context.Background(), from, to, Options{Jobs: 1, Chunk: 64 << 10, Progress: rec})
			must(t, err)
			var skipped bool
			for _, e := range rec.all() {
				skipped = skipped || e.Path == "f" && e.Kind == Skipped
			}
			if !skipped {
				t.Errorf("f not reported as skipped")
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "dst", tmpPrefix+"*")); len(left) > 0 {
				t.Errorf("target holds temp files %v", left)
			}
		})
	}
}

// TestOwnFilesInSourceExcluded: an earlier run's journal and temp files
// in the source tree are not copied, and the run says so.
func TestOwnFilesInSourceExcluded(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for name, body := range map[string]string{JournalDir + "/journal": "x", "d/" + tmpPrefix + "f": "partial", "d/f": "whole"} {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o755))
		must(t, os.WriteFile(filepath.Join(src, name), []byte(body), 0o644))
	}
	s, d := treePair(t, dir, "local", "local")
	rec := newRecorder()
	sum, err := Copy(context.Background(), s, d, Options{Progress: rec})
	must(t, err)
	excluded := map[string]string{}
	for _, e := range rec.all() {
		if e.Kind == Excluded {
			excluded[e.Path] = e.Rule
		}
	}
	if excluded[JournalDir] != ownFilesRule || excluded["d/"+tmpPrefix+"f"] != ownFilesRule || sum.Excluded != 2 {
		t.Errorf("excluded = %v (%d), want the journal directory and the temp file, with rule %q", excluded, sum.Excluded, ownFilesRule)
	}
	if _, err := os.Lstat(filepath.Join(dir, "dst", "d", tmpPrefix+"f")); err == nil {
		t.Error("the source's temp file was copied")
	}
	if b, err := os.ReadFile(filepath.Join(dir, "dst", "d", "f")); err != nil || string(b) != "whole" {
		t.Errorf("d/f = %q, %v", b, err)
	}
}

// TestSecondRunIntoSameTargetIsRefused: two runs into one local target
// would share temp names and the journal; the second is refused while
// the first holds the target, and a later run (the lock gone with the
// first) works and leaves no lock file behind.
func TestSecondRunIntoSameTargetIsRefused(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	dst := openLocal(t, filepath.Join(dir, "dst"))
	unlock, err := dst.lock()
	must(t, err)
	src := openLocal(t, filepath.Join(dir, "src"))
	_, err = Copy(context.Background(), src, openLocal(t, filepath.Join(dir, "dst")), Options{})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("Copy while another run holds the target = %v, want ErrBusy", err)
	}
	unlock()
	_, err = Copy(context.Background(), src, openLocal(t, filepath.Join(dir, "dst")), Options{})
	must(t, err)
	sameTree(t, snapshot(t, filepath.Join(dir, "src")), snapshot(t, filepath.Join(dir, "dst")))
	if _, err := os.Lstat(filepath.Join(dir, "dst", JournalDir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s left after a complete run: %v", JournalDir, err)
	}
}
