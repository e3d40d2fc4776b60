package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// Streams are the standard streams a command reads and writes. Commands
// never touch os.Stdout directly, so tests can run them with buffers.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// IsTerminal reports whether f is an *os.File attached to a terminal.
func IsTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// stdinOnce refuses a file list that names standard input ("-") more than
// once: the second read would find it empty and check nothing.
func stdinOnce(files []string) error {
	n := 0
	for _, f := range files {
		if f == "-" {
			n++
		}
	}
	if n > 1 {
		return usagef("standard input (-) is given %d times; it can be read once", n)
	}
	return nil
}
