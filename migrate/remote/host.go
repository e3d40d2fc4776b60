package remote

import (
	"context"
	"io"
	"io/fs"
)

// Host is one machine that fugu inspects or changes: over SSH, or the
// local machine (--to local). Everything that touches a target goes
// through it, so the migrate and firewall engines can be tested against
// a real sshd and against a local directory alike.
type Host interface {
	// Name is how the user named the host (an ssh alias, user@host, or "local").
	Name() string
	// Run runs a command line with /bin/sh -c on the host. With AsRoot it is
	// run through doas. A non-zero exit is reported in Result.ExitCode,
	// not as an error; err is for failures to run it at all.
	Run(ctx context.Context, cmd Command) (Result, error)
	// ReadFile reads a file the login user can read.
	ReadFile(ctx context.Context, path string) ([]byte, error)
	// Stat stats a file without following a final symlink.
	Stat(ctx context.Context, path string) (fs.FileInfo, error)
	// WriteFile writes data to path through a temporary file in the same
	// directory and a rename, as the login user.
	WriteFile(ctx context.Context, path string, data []byte, mode fs.FileMode) error
	Close() error
}

// Command is a command line to run on a Host.
type Command struct {
	Line   string    // passed to /bin/sh -c; quote arguments with Quote
	Stdin  io.Reader // may be nil
	AsRoot bool      // run through doas(1)
}

// Result is what a command printed and how it ended.
type Result struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}
