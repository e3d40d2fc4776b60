package home

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"
)

// JournalDir is the directory in the target root that holds the journal.
const JournalDir = ".fugu-migrate"

const journalName = JournalDir + "/journal"

// record is one journal line. Lines are "crc32 json\n"; the checksum
// covers the JSON, so a torn or corrupted line is recognised and it and
// everything after it are ignored.
type record struct {
	T     string `json:"t"`             // "start", "chunk", "done"
	P     string `json:"p"`             // path relative to the root
	Tmp   string `json:"tmp,omitempty"` // temporary name (start)
	Size  int64  `json:"size,omitempty"`
	Mtime int64  `json:"mtime,omitempty"` // source mtime, unix seconds (start, done)
	Off   int64  `json:"off,omitempty"`   // end of the verified prefix (chunk)
	State []byte `json:"state,omitempty"` // sha256 state after Off bytes (chunk)
	Prev  []byte `json:"prev,omitempty"`  // sha256 state before the last chunk (chunk)
	Sum   []byte `json:"sum,omitempty"`   // sha256 of the file (done)
	Len   int64  `json:"len,omitempty"`   // length of the last chunk (chunk)
	Boot  string `json:"boot,omitempty"`  // the target's boot ID (boot: chunks after it were written in that boot)
	// PB and TB hold P and Tmp when they are not UTF-8 (a file name may
	// be any bytes; JSON strings would replace the odd ones).
	PB []byte `json:"pb,omitempty"`
	TB []byte `json:"tb,omitempty"`
}

// Partial is a file whose copy was started and not finished: its temp
// file holds a verified prefix of Off bytes.
type Partial struct {
	Path, Tmp string
	SrcSize   int64
	SrcMtime  int64
	Off       int64
	State     []byte // sha256 state after Off bytes
	PrevState []byte // sha256 state after Off-LastLen bytes: State must follow from it and the last chunk
	LastLen   int64
	Boot      string // the target's boot ID when the prefix was written ("" unknown)
	Done      bool
	Sum       []byte
}

// ReadJournal reads a journal, stopping at the first torn or corrupt
// line. It returns the state of every file mentioned (finished ones with
// Done set) and the length of the valid prefix.
func ReadJournal(r io.Reader) (map[string]*Partial, int64, error) {
	files := map[string]*Partial{}
	br := bufio.NewReader(r)
	var valid int64
	var boot string // of the last boot record
	for {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			return files, valid, nil // a line without '\n' is torn
		}
		if err != nil {
			return files, valid, err
		}
		rec, ok := parseRecord(line)
		if !ok {
			return files, valid, nil
		}
		valid += int64(len(line))
		if rec.T == "boot" {
			boot = rec.Boot
			continue
		}
		apply(files, rec, boot)
	}
}

func parseRecord(line []byte) (record, bool) {
	line = bytes.TrimSuffix(line, []byte{'\n'})
	sum, js, ok := bytes.Cut(line, []byte{' '})
	if !ok || len(sum) != 8 {
		return record{}, false
	}
	want, err := strconv.ParseUint(string(sum), 16, 32)
	if err != nil || uint32(want) != crc32.ChecksumIEEE(js) {
		return record{}, false
	}
	var rec record
	if json.Unmarshal(js, &rec) != nil {
		return record{}, false
	}
	if rec.PB != nil {
		rec.P, rec.PB = string(rec.PB), nil
	}
	if rec.TB != nil {
		rec.Tmp, rec.TB = string(rec.TB), nil
	}
	if rec.P == "" {
		return record{}, false
	}
	return rec, true
}

func apply(files map[string]*Partial, rec record, boot string) {
	switch rec.T {
	case "start":
		files[rec.P] = &Partial{Path: rec.P, Tmp: rec.Tmp, SrcSize: rec.Size, SrcMtime: rec.Mtime}
	case "chunk":
		if p := files[rec.P]; p != nil && !p.Done && rec.Off > p.Off {
			p.Off, p.State, p.PrevState, p.LastLen, p.Boot = rec.Off, rec.State, rec.Prev, rec.Len, boot
		}
	case "done":
		files[rec.P] = &Partial{Path: rec.P, Done: true, SrcSize: rec.Size, SrcMtime: rec.Mtime, Sum: rec.Sum}
	}
}

func encodeRecord(rec record) []byte {
	if !utf8.ValidString(rec.P) {
		rec.P, rec.PB = "", []byte(rec.P)
	}
	if !utf8.ValidString(rec.Tmp) {
		rec.Tmp, rec.TB = "", []byte(rec.Tmp)
	}
	js, err := json.Marshal(rec)
	if err != nil {
		panic(err) // only strings, ints and byte slices: cannot fail
	}
	return fmt.Appendf(nil, "%08x %s\n", crc32.ChecksumIEEE(js), js)
}

// journal appends records to the journal file in the target tree. A
// goroutine writes them, several lines per write when they queue up, so
// callers never wait for a round trip to a remote target while holding
// up each other. A record is queued only after the data it describes was
// written, so the journal can lag the data but never lead it.
type journal struct {
	w    io.WriteCloser
	ch   chan []byte
	done chan struct{}
	mu   sync.Mutex
	err  error
}

func newJournal(w io.WriteCloser) *journal {
	j := &journal{w: w, ch: make(chan []byte, 1024), done: make(chan struct{})}
	go j.loop()
	return j
}

func (j *journal) loop() {
	defer close(j.done)
	var buf []byte
	for line := range j.ch {
		buf = append(buf[:0], line...)
	more:
		for len(buf) < 1<<20 {
			select {
			case l, ok := <-j.ch:
				if !ok {
					break more
				}
				buf = append(buf, l...)
			default:
				break more
			}
		}
		if _, err := j.w.Write(buf); err != nil {
			j.mu.Lock()
			if j.err == nil {
				j.err = fmt.Errorf("%w: %w", errJournal, err)
			}
			j.mu.Unlock()
		}
	}
}

// bootPath is the P of a boot record, which names no file.
const bootPath = "."

// openJournal reads the journal in t, rewrites it with only the files
// still in progress (temp file, sync, rename, so a crash leaves either
// the old or the new one), and opens it for appending. boot is the
// target's boot ID now: the chunks journaled from here on carry it.
func openJournal(t Tree, boot string) (*journal, map[string]*Partial, error) {
	if err := t.Mkdir(JournalDir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, nil, fmt.Errorf("create journal directory: %w", err)
	}
	files := map[string]*Partial{}
	if f, err := t.Open(journalName); err == nil {
		files, _, err = ReadJournal(io.NewSectionReader(f, 0, 1<<62))
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("read journal: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("open journal: %w", err)
	}
	var buf bytes.Buffer
	paths := make([]string, 0, len(files))
	for p, f := range files {
		// The journal lies in the target, which its owner can write while
		// root copies into it: a record that names anything but a file of
		// the tree and its own temp name is dropped, never acted on.
		if f.Done || !validPath(p) || f.Tmp != tmpName(p) {
			delete(files, p)
			continue
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f := files[p]
		buf.Write(encodeRecord(record{T: "start", P: p, Tmp: f.Tmp, Size: f.SrcSize, Mtime: f.SrcMtime}))
		if f.Off > 0 {
			buf.Write(encodeRecord(record{T: "boot", P: bootPath, Boot: f.Boot}))
			buf.Write(encodeRecord(record{T: "chunk", P: p, Off: f.Off, State: f.State, Prev: f.PrevState, Len: f.LastLen}))
		}
	}
	buf.Write(encodeRecord(record{T: "boot", P: bootPath, Boot: boot}))
	// Records are appended through the file created here, never by
	// reopening the name: the target's owner could put a hard link to
	// another file there once it is renamed into place.
	tmp := journalName + ".new"
	nf, err := t.Create(tmp)
	if err != nil {
		return nil, nil, fmt.Errorf("rewrite journal: %w", err)
	}
	_, err = nf.WriteAt(buf.Bytes(), 0)
	if err == nil {
		err = nf.Sync()
	}
	if err == nil {
		err = t.Rename(tmp, journalName)
	}
	if err != nil {
		nf.Close()
		return nil, nil, fmt.Errorf("rewrite journal: %w", err)
	}
	return newJournal(&appender{f: nf, off: int64(buf.Len())}), files, nil
}

// appender writes to the end of a File it holds open.
type appender struct {
	f   File
	off int64
}

func (a *appender) Write(p []byte) (int, error) {
	n, err := a.f.WriteAt(p, a.off)
	a.off += int64(n)
	return n, err
}

func (a *appender) Close() error { return a.f.Close() }

// errJournal: the journal could not be written. Copying on without it
// would lose what an interrupted run could resume, so the run stops.
var errJournal = errors.New("write journal")

// add queues rec. The first write error sticks and is returned by every
// later call, so the run stops instead of copying without a journal.
func (j *journal) add(rec record) error {
	j.mu.Lock()
	err := j.err
	j.mu.Unlock()
	if err != nil {
		return err
	}
	j.ch <- encodeRecord(rec)
	return nil
}

// close writes what is queued and closes the file.
func (j *journal) close() error {
	close(j.ch)
	<-j.done
	err := j.w.Close()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	return err
}
