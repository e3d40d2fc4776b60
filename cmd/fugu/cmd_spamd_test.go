package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadInputsStreams: a log is read as the parser asks for it, not
// loaded whole first (an authlog can be larger than memory), and a file
// whose last line has no newline does not run into the next file.
func TestReadInputsStreams(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	if err := os.WriteFile(a, []byte("one\ntwo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("three\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &Streams{In: strings.NewReader("stdin\n")}
	r, err := readInputs([]string{a, "-", b}, s)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// assert that: what is appended after opening is still read, which a
	// copy made in memory at open time would miss.
	f, err := os.OpenFile(b, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("four\n")
	f.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := "one\ntwo\nstdin\nthree\nfour\n"; string(got) != want {
		t.Errorf("readInputs read %q, want %q", got, want)
	}
	if _, err := readInputs([]string{filepath.Join(dir, "nosuch.log")}, s); err == nil {
		t.Error("readInputs(missing file) succeeded, want an error")
	}
}
