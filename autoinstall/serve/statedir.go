package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// stateDir is the on-disk layout of a Store:
//
//	machines/NAME.json   one MachineState per machine (mode 0600: it holds tokens)
//	pending.json         the unknown MACs
//	rearm/NAME           a re-arm request from `fugu machine rearm` (a time)
type stateDir struct{ path string }

func openStateDir(path string) (*stateDir, error) {
	for _, d := range []string{path, filepath.Join(path, "machines"), filepath.Join(path, "rearm")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create state directory: %w", err)
		}
	}
	return &stateDir{path: path}, nil
}

func (d *stateDir) load() ([]*MachineState, []*Pending, error) {
	entries, err := os.ReadDir(filepath.Join(d.path, "machines"))
	if err != nil {
		return nil, nil, fmt.Errorf("read state: %w", err)
	}
	var states []*MachineState
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !e.Type().IsRegular() || !nameRE.MatchString(name) {
			continue // temporary files of an interrupted write, and strangers
		}
		st := new(MachineState)
		if err := readJSON(filepath.Join(d.path, "machines", e.Name()), st); err != nil {
			return nil, nil, err
		}
		st.Name = name
		states = append(states, st)
	}
	var pending []*Pending
	if err := readJSON(filepath.Join(d.path, "pending.json"), &pending); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	return states, pending, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read state: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			// Offset is just past the byte the decoder choked on.
			return fmt.Errorf("read state %s:%s: %w", path, lineCol(b, syn.Offset-1), err)
		case errors.As(err, &typ):
			return fmt.Errorf("read state %s:%s: %s: %w", path, lineCol(b, typ.Offset), typ.Field, err)
		}
		return fmt.Errorf("read state %s: %w", path, err)
	}
	return nil
}

// lineCol gives the 1-based "line:column" of byte offset off in b
// (columns in bytes, as JSON offsets are).
func lineCol(b []byte, off int64) string {
	off = min(max(off, 0), int64(len(b)))
	line := 1 + bytes.Count(b[:off], []byte{'\n'})
	col := off - int64(bytes.LastIndexByte(b[:off], '\n'))
	return fmt.Sprintf("%d:%d", line, col)
}

func (d *stateDir) writeMachine(name string, data []byte) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("write state: machine name %q cannot be a file name", name)
	}
	return WriteFileAtomic(filepath.Join(d.path, "machines", name+".json"), data, 0o600)
}

func (d *stateDir) writePending(data []byte) error {
	return WriteFileAtomic(filepath.Join(d.path, "pending.json"), data, 0o600)
}

func (d *stateDir) rearmRequest(name string) (time.Time, bool) {
	if !nameRE.MatchString(name) {
		return time.Time{}, false
	}
	b, err := os.ReadFile(filepath.Join(d.path, "rearm", name))
	if err != nil {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
	return t, err == nil
}

func (d *stateDir) removeRearmRequest(name string) {
	os.Remove(filepath.Join(d.path, "rearm", name))
}

// RequestRearm leaves a re-arm request for machine name in the state
// directory dir. A running server applies it at the machine's next request
// for answers, a starting one at once. It returns ErrNotInstalled when the
// state on disk shows the machine is still armed.
func RequestRearm(dir, name string, now time.Time) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("re-arm: %q is not a machine name", name)
	}
	d, err := openStateDir(dir)
	if err != nil {
		return err
	}
	var st MachineState
	err = readJSON(filepath.Join(dir, "machines", name+".json"), &st)
	if errors.Is(err, fs.ErrNotExist) || err == nil && st.Armed() {
		return fmt.Errorf("re-arm %s: %w", name, ErrNotInstalled)
	}
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(d.path, "rearm", name), []byte(now.UTC().Format(time.RFC3339Nano)+"\n"), 0o600)
}

// ReadState returns the machines and pending MACs recorded in dir, without
// secrets, and the names with a re-arm request waiting.
func ReadState(dir string) (machines []MachineState, pending []Pending, rearm map[string]bool, err error) {
	d := &stateDir{path: dir}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil, nil
	}
	states, ps, err := d.load()
	if err != nil {
		return nil, nil, nil, err
	}
	rearm = map[string]bool{}
	for _, st := range states {
		machines = append(machines, st.public())
		if _, ok := d.rearmRequest(st.Name); ok {
			rearm[st.Name] = true
		}
	}
	for _, p := range ps {
		pending = append(pending, *p)
	}
	return machines, pending, rearm, nil
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory: write, sync, close, rename, then sync the directory. On any
// failure the temporary file is removed and path is untouched.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // make the rename durable; not all filesystems support it
		d.Close()
	}
	return nil
}
