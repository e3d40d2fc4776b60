package home

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func journalBytes(recs ...record) []byte {
	var b []byte
	for _, r := range recs {
		b = append(b, encodeRecord(r)...)
	}
	return b
}

func TestReadJournalStopsAtTornOrCorruptRecord(t *testing.T) {
	good := journalBytes(
		record{T: "start", P: "a", Tmp: ".fugu-tmp-a", Size: 10, Mtime: 5},
		record{T: "chunk", P: "a", Off: 4, State: []byte{1}, Prev: []byte{2}, Len: 4},
		record{T: "start", P: "b\nc", Tmp: ".fugu-tmp-b\nc", Size: 3},
		record{T: "done", P: "b\nc", Size: 3},
	)
	last := encodeRecord(record{T: "chunk", P: "a", Off: 8, Len: 4})
	tests := []struct {
		name    string
		in      []byte
		wantOff int64
		valid   int
	}{
		{"complete", append(append([]byte{}, good...), last...), 8, len(good) + len(last)},
		{"torn last line", append(append([]byte{}, good...), last[:len(last)-5]...), 4, len(good)},
		{"no final newline", append(append([]byte{}, good...), last[:len(last)-1]...), 4, len(good)},
		{"flipped bit", append(append([]byte{}, good...), bytes.Replace(last, []byte(`"off":8`), []byte(`"off":9`), 1)...), 4, len(good)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, valid, err := ReadJournal(bytes.NewReader(tt.in))
			must(t, err)
			if valid != int64(tt.valid) {
				t.Errorf("valid = %d, want %d", valid, tt.valid)
			}
			if a := files["a"]; a == nil || a.Off != tt.wantOff || a.Done {
				t.Errorf("a = %+v, want Off %d", a, tt.wantOff)
			}
			if bc := files["b\nc"]; bc == nil || !bc.Done {
				t.Errorf("b\\nc = %+v, want done", bc)
			}
		})
	}
}

// TestOpenJournalCompacts checks that reopening keeps only unfinished
// files, so the journal of a long run does not grow without bound.
func TestOpenJournalCompacts(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, JournalDir), 0o700))
	in := journalBytes(
		record{T: "start", P: "a", Tmp: ".fugu-tmp-a", Size: 10},
		record{T: "boot", P: bootPath, Boot: "X"},
		record{T: "chunk", P: "a", Off: 4, State: []byte{2}, Prev: []byte{1}, Len: 4},
		record{T: "start", P: "b", Tmp: ".fugu-tmp-b", Size: 3},
		record{T: "done", P: "b"},
	)
	must(t, os.WriteFile(filepath.Join(dir, journalName), in, 0o600))
	j, files, err := openJournal(openLocal(t, dir), "Y")
	must(t, err)
	must(t, j.add(record{T: "chunk", P: "a", Off: 8, Len: 4}))
	must(t, j.close())
	if len(files) != 1 || files["a"] == nil || files["a"].Off != 4 || files["a"].Boot != "X" {
		t.Errorf("files = %v, want a at 4, written in boot X", files)
	}
	b, err := os.ReadFile(filepath.Join(dir, journalName))
	must(t, err)
	got, _, _ := ReadJournal(bytes.NewReader(b))
	if len(got) != 1 || got["a"].Off != 8 || got["a"].Boot != "Y" {
		t.Errorf("after compaction and append: %+v, want a at 8, written in boot Y", got["a"])
	}
	if bytes.Contains(b, []byte(`"p":"b"`)) {
		t.Errorf("finished file b kept in compacted journal:\n%s", b)
	}
}

// FuzzReadJournal feeds arbitrary (torn, corrupt) journals to the reader:
// it must not panic, and the valid prefix must read back the same.
func FuzzReadJournal(f *testing.F) {
	f.Add(journalBytes(record{T: "start", P: "a", Size: 1}, record{T: "chunk", P: "a", Off: 1, Len: 1}))
	if b, err := os.ReadFile("testdata/journal"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("00000000 {}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		files, valid, err := ReadJournal(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if valid < 0 || valid > int64(len(b)) {
			t.Fatalf("valid = %d of %d", valid, len(b))
		}
		again, v2, _ := ReadJournal(bytes.NewReader(b[:valid]))
		if v2 != valid || len(again) != len(files) {
			t.Fatalf("prefix reads differently: %d/%d files, %d/%d bytes", len(again), len(files), v2, valid)
		}
	})
}

func TestJournalSeed(t *testing.T) {
	b, err := os.ReadFile("testdata/journal")
	must(t, err)
	files, valid, err := ReadJournal(bytes.NewReader(b))
	must(t, err)
	if p := files["big.bin"]; p == nil || p.Off != 8388608 || p.Tmp != ".fugu-tmp-big.bin" {
		t.Errorf("big.bin = %+v, want Off 8388608", p)
	}
	if p := files["new\nline"]; p == nil || !p.Done {
		t.Errorf("new\\nline = %+v, want done", p)
	}
	if valid >= int64(len(b)) || b[valid-1] != '\n' {
		t.Errorf("valid prefix %d of %d does not end before the torn line", valid, len(b))
	}
}

// TestJournalKeepsAnyFileName: a file name is any bytes but / and NUL;
// one that is not UTF-8 must come back from the journal byte for byte
// (JSON would replace the odd bytes, and the resume would never find
// its file).
func TestJournalKeepsAnyFileName(t *testing.T) {
	for _, name := range []string{"caf\xe9", "a\nb", "\xff\xfe/x", "ünï", "-"} {
		in := record{T: "start", P: name, Tmp: tmpName(name), Size: 1}
		got, ok := parseRecord(encodeRecord(in))
		if !ok || got.P != in.P || got.Tmp != in.Tmp {
			t.Errorf("%q: read back %q, %q (ok %v)", name, got.P, got.Tmp, ok)
		}
	}
}

// TestResumeOfNonUTF8Name: an interrupted file whose name is Latin-1
// resumes like any other.
func TestResumeOfNonUTF8Name(t *testing.T) {
	dir := t.TempDir()
	data, src, dst := interruptFile(t, dir, "caf\xe9", "local", 2<<20, nil)
	sum, err := Copy(context.Background(), src, dst, Options{Jobs: 1, Chunk: resumeChunk})
	must(t, err)
	if sum.Resumed == 0 || sum.Bytes >= int64(len(data)) {
		t.Errorf("resumed %d, sent %d of %d: the partial file was not found again", sum.Resumed, sum.Bytes, len(data))
	}
	got, err := os.ReadFile(filepath.Join(dir, "dst", "caf\xe9"))
	must(t, err)
	if !bytes.Equal(got, data) {
		t.Error("the copy differs")
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "dst")); len(ents) != 1 {
		t.Errorf("target holds %d entries, want only the file", len(ents))
	}
}

// eioJournal is a target whose journal cannot be written (EIO).
type eioJournal struct{ Tree }

// Create gives the journal a file whose writes fail after the first
// (the journal's rewrite).
func (t eioJournal) Create(name string) (File, error) {
	f, err := t.Tree.Create(name)
	if err != nil || name != journalName+".new" {
		return f, err
	}
	return &eioAfterFirst{File: f}, nil
}

type eioAfterFirst struct {
	File
	wrote bool
}

func (f *eioAfterFirst) WriteAt(b []byte, off int64) (int, error) {
	if f.wrote {
		return 0, syscall.EIO
	}
	f.wrote = true
	return f.File.WriteAt(b, off)
}

// TestJournalWriteErrorStopsTheRun: without a journal an interruption
// would lose what it could resume, so a journal that cannot be written
// stops the run with that error, rather than failing file after file.
func TestJournalWriteErrorStopsTheRun(t *testing.T) {
	dir := t.TempDir()
	makeTree(t, filepath.Join(dir, "src"))
	src, dst := treePair(t, dir, "local", "local")
	sum, err := Copy(context.Background(), src, eioJournal{dst}, Options{Jobs: 1})
	if !errors.Is(err, errJournal) || !errors.Is(err, syscall.EIO) {
		t.Fatalf("Copy = %v, want the journal's EIO", err)
	}
	if sum.Failed > 1 {
		t.Errorf("%d files failed one by one before the run stopped", sum.Failed)
	}
}

// TestJournalCannotNameFilesOutsideTheTree: the journal lies in the
// target, which its owner can write while root copies into it. A temp
// name in it that leads out of the tree (or is not the temp name of its
// file) must not make the run remove that file.
func TestJournalCannotNameFilesOutsideTheTree(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "src", "f"), []byte("data"), 0o644))
	victim := filepath.Join(dir, "victim")
	must(t, os.WriteFile(victim, []byte("keep me"), 0o644))
	must(t, os.MkdirAll(filepath.Join(dir, "dst", JournalDir), 0o700))
	// A file only the target holds: the copy leaves it alone.
	must(t, os.WriteFile(filepath.Join(dir, "dst", "keep"), []byte("keep me too"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "dst", journalName), journalBytes(
		record{T: "start", P: "gone", Tmp: "../victim", Size: 1},
		record{T: "start", P: "f", Tmp: "keep", Size: 4},
		record{T: "start", P: "../x", Tmp: tmpName("../x"), Size: 1},
	), 0o600))
	src, dst := treePair(t, dir, "local", "sftp")
	_, err := Copy(context.Background(), src, dst, Options{Jobs: 1})
	must(t, err)
	if _, err := os.Stat(victim); err != nil {
		t.Errorf("a journal record made the run remove a file outside the tree: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "dst", "keep")); err != nil || string(b) != "keep me too" {
		t.Errorf("dst/keep = %q, %v: removed as another file's temp name", b, err)
	}
}

// TestResumeNeverWritesThroughALink: the target's owner can put a journal
// and a temp file in the target. A temp file to resume that is a hard
// link to another file (one outside the tree, on the same file system)
// or a symlink must not be truncated, written, chowned or renamed: the
// copy starts over in a new temp file and the other file keeps its
// content and mode.
func TestResumeNeverWritesThroughALink(t *testing.T) {
	for _, target := range []string{"local", "sftp"} {
		for _, kind := range []string{"hard", "symlink"} {
			t.Run(target+"/"+kind, func(t *testing.T) {
				dir := t.TempDir()
				data := []byte("root:*:0:0:fugu was here\n")
				must(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
				must(t, os.WriteFile(filepath.Join(dir, "src", "f"), data, 0o644))
				victim := filepath.Join(dir, "dst", "victim")
				if kind == "hard" {
					victim = filepath.Join(dir, "victim")
				}
				must(t, os.MkdirAll(filepath.Join(dir, "dst", JournalDir), 0o700))
				old := []byte("root:secret:0:0:the real one\n")
				must(t, os.WriteFile(victim, old, 0o600))
				tmp := filepath.Join(dir, "dst", tmpName("f"))
				if kind == "hard" {
					must(t, os.Link(victim, tmp))
				} else {
					must(t, os.Symlink("victim", tmp))
				}
				// The journaled prefix is the victim's first byte, which is
				// the source's too: it checks out against the disk.
				h := sha256.New()
				prev, _ := h.(encoding.BinaryMarshaler).MarshalBinary()
				h.Write(old[:1])
				state, _ := h.(encoding.BinaryMarshaler).MarshalBinary()
				fi, err := os.Stat(filepath.Join(dir, "src", "f"))
				must(t, err)
				must(t, os.WriteFile(filepath.Join(dir, "dst", journalName), journalBytes(
					record{T: "start", P: "f", Tmp: tmpName("f"), Size: int64(len(data)), Mtime: fi.ModTime().Unix()},
					record{T: "chunk", P: "f", Off: 1, State: state, Prev: prev, Len: 1},
				), 0o600))
				src, dst := treePair(t, dir, "local", target)
				_, err = Copy(context.Background(), src, dst, Options{Jobs: 1})
				must(t, err)
				if b, err := os.ReadFile(victim); err != nil || !bytes.Equal(b, old) {
					t.Errorf("victim = %q, %v: written through the temp file's link", b, err)
				}
				if fi, err := os.Stat(victim); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("victim's mode changed: %v, %v", fi.Mode(), err)
				}
				if b, err := os.ReadFile(filepath.Join(dir, "dst", "f")); err != nil || !bytes.Equal(b, data) {
					t.Errorf("dst/f = %q, %v", b, err)
				}
			})
		}
	}
}

// renameHook runs after each Rename of the tree it wraps.
type renameHook struct {
	Tree
	after func(newname string)
}

func (h renameHook) Rename(oldname, newname string) error {
	err := h.Tree.Rename(oldname, newname)
	h.after(newname)
	return err
}

// TestJournalNotReopenedByName: the journal is written through the file
// fugu created, never reopened by name once renamed into place, when the
// target's owner could have put a hard link to another file there (one
// outside the tree that only root may write: fstab, doas.conf).
func TestJournalNotReopenedByName(t *testing.T) {
	for _, target := range []string{"local", "sftp"} {
		t.Run(target, func(t *testing.T) {
			dir := t.TempDir()
			must(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
			must(t, os.WriteFile(filepath.Join(dir, "src", "f"), []byte("data"), 0o644))
			victim := filepath.Join(dir, "victim")
			old := []byte("/dev/sd0a / ffs rw 1 1\n")
			must(t, os.WriteFile(victim, old, 0o600))
			src, dst := treePair(t, dir, "local", target)
			var once sync.Once
			hooked := renameHook{Tree: dst, after: func(newname string) {
				if newname == journalName {
					once.Do(func() {
						j := filepath.Join(dir, "dst", journalName)
						must(t, os.Remove(j))
						must(t, os.Link(victim, j))
					})
				}
			}}
			_, err := Copy(context.Background(), src, hooked, Options{Jobs: 1})
			if err != nil {
				t.Log(err)
			}
			if b, err := os.ReadFile(victim); err != nil || !bytes.Equal(b, old) {
				t.Errorf("victim = %q, %v: the journal was appended to it", b, err)
			}
		})
	}
}

// TestUnchangedFileWithAnotherNameKeepsItsMeta: a re-run gives a file it
// finds unchanged (same size and mtime) the source's mode, owner and
// mtime by name. If the target's owner made that name a hard link to a
// file outside the tree with the source file's size and mtime (both
// anyone can stat), that file must not get the source's mode: the file
// is copied instead, which gives the name a file of its own.
func TestUnchangedFileWithAnotherNameKeepsItsMeta(t *testing.T) {
	for _, target := range []string{"local", "sftp"} {
		t.Run(target, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(dir, "victim")
			old := []byte("root:secret:0:0\n")
			must(t, os.WriteFile(victim, old, 0o600))
			mt := time.Date(2023, 5, 6, 7, 8, 9, 0, time.UTC)
			must(t, os.Chtimes(victim, mt, mt))
			src := filepath.Join(dir, "src")
			must(t, os.MkdirAll(src, 0o755))
			data := []byte("mine mine mine!\n")
			must(t, os.WriteFile(filepath.Join(src, "x"), data, 0o666))
			must(t, os.Chmod(filepath.Join(src, "x"), 0o666))
			must(t, os.Link(filepath.Join(src, "x"), filepath.Join(src, "y")))
			must(t, os.Chtimes(filepath.Join(src, "x"), mt, mt))
			must(t, os.MkdirAll(filepath.Join(dir, "dst"), 0o755))
			must(t, os.Link(victim, filepath.Join(dir, "dst", "x")))
			from, to := treePair(t, dir, "local", target)
			_, err := Copy(context.Background(), from, to, Options{Jobs: 1})
			must(t, err)
			fi, err := os.Stat(victim)
			must(t, err)
			if b, _ := os.ReadFile(victim); fi.Mode().Perm() != 0o600 || !bytes.Equal(b, old) {
				t.Errorf("victim: mode %v, content %q: changed through the target's hard link", fi.Mode().Perm(), b)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "dst", "x")); err != nil || !bytes.Equal(b, data) {
				t.Errorf("dst/x = %q, %v, want the source's content", b, err)
			}
		})
	}
}

// TestDirectoryMetaNotSetOnWhatReplacedIt: directories get their mode,
// owner and mtime at the end of the run. If the target's owner put a
// hard link to a file outside the tree in a directory's place by then,
// that file must keep its mode: the directory is reported instead.
func TestDirectoryMetaNotSetOnWhatReplacedIt(t *testing.T) {
	for _, target := range []string{"local", "sftp"} {
		t.Run(target, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(dir, "victim")
			must(t, os.WriteFile(victim, []byte("secret\n"), 0o600))
			must(t, os.MkdirAll(filepath.Join(dir, "src", "d"), 0o755))
			must(t, os.WriteFile(filepath.Join(dir, "src", "d", "f"), make([]byte, 1<<20), 0o644))
			must(t, os.Chmod(filepath.Join(dir, "src", "d"), 0o757))
			from, to := treePair(t, dir, "local", target)
			var once sync.Once
			received = func(int) {
				once.Do(func() {
					d := filepath.Join(dir, "dst", "d")
					must(t, os.Rename(d, d+".old"))
					must(t, os.Link(victim, d))
				})
			}
			t.Cleanup(func() { received = nil })
			rec := newRecorder()
			_, err := Copy(context.Background(), from, to, Options{Jobs: 1, Chunk: 256 << 10, Progress: rec})
			must(t, err)
			if fi, err := os.Stat(victim); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("victim's mode = %v, %v: set as the directory's", fi.Mode().Perm(), err)
			}
			var failure string
			for _, e := range rec.all() {
				if e.Kind == Failed && e.Path == "d" {
					failure = e.Err.Error()
				}
			}
			if !strings.Contains(failure, "not a directory") {
				t.Errorf("failure for d = %q, want it to say d is not a directory", failure)
			}
		})
	}
}

// TestTempMetaNotSetThroughSwappedName: a big file's temp file gets its
// owner and mode once written. If the target's owner put a hard link to
// a file outside the tree at the temp name meanwhile, that file must
// keep its mode (on an SFTP target, setgid and setuid files get theirs
// by name after verification).
func TestTempMetaNotSetThroughSwappedName(t *testing.T) {
	for _, target := range []string{"local", "sftp"} {
		t.Run(target, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(dir, "victim")
			must(t, os.WriteFile(victim, []byte("secret\n"), 0o600))
			must(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
			must(t, os.WriteFile(filepath.Join(dir, "src", "big"), make([]byte, 1<<20), 0o644))
			must(t, os.Chmod(filepath.Join(dir, "src", "big"), fs.ModeSetgid|0o757))
			from, to := treePair(t, dir, "local", target)
			var once sync.Once
			received = func(int) {
				once.Do(func() {
					tmp := filepath.Join(dir, "dst", tmpName("big"))
					must(t, os.Rename(tmp, tmp+".old"))
					must(t, os.Link(victim, tmp))
				})
			}
			t.Cleanup(func() { received = nil })
			_, err := Copy(context.Background(), from, to, Options{Jobs: 1, Chunk: 256 << 10})
			must(t, err)
			if fi, err := os.Stat(victim); err != nil || fi.Mode()&(fs.ModePerm|fs.ModeSetgid) != 0o600 {
				t.Errorf("victim's mode = %v, %v: set as the copied file's", fi.Mode(), err)
			}
		})
	}
}
