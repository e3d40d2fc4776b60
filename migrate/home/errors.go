package home

import (
	"errors"
	"io"
	"io/fs"
	"net"
	"syscall"

	"github.com/pkg/sftp"
)

// Errors a run ends with. Both leave a journal the next run resumes from.
var (
	// ErrNoSpace means the target file system is full (or over quota).
	ErrNoSpace = errors.New("home: no space left on the target")
	// ErrConnection means the connection to the remote host broke.
	ErrConnection = errors.New("home: connection lost")
)

// class is how the engine treats an error.
type class int

const (
	perFile  class = iota // report the file as failed, go on
	vanished              // the source file disappeared: report, skip
	fatal                 // stop the run (disk full, connection lost, journal broken)
)

func classify(err error) class {
	switch {
	case errors.Is(err, ErrNoSpace), errors.Is(err, ErrConnection),
		errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT),
		errors.Is(err, errJournal):
		return fatal
	case isConnErr(err):
		return fatal
	case errors.Is(err, fs.ErrNotExist):
		return vanished
	}
	return perFile
}

func isConnErr(err error) bool {
	// *net.OpError, not net.Error: syscall.Errno has Timeout and
	// Temporary methods too, so every failed system call (EACCES from
	// an unreadable directory) would count as a lost connection.
	var oe *net.OpError
	return errors.Is(err, sftp.ErrSSHFxConnectionLost) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNRESET) || errors.As(err, &oe)
}

// fatalError turns a fatal error into one of the package's sentinels,
// keeping the cause.
func fatalError(err error) error {
	switch {
	case errors.Is(err, ErrNoSpace), errors.Is(err, ErrConnection):
		return err
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return errors.Join(ErrNoSpace, err)
	case isConnErr(err):
		return errors.Join(ErrConnection, err)
	}
	return err
}

// checkNoSpace explains a failed write: SFTP v3 servers report a full
// disk as a generic failure, so ask the file system how much is left,
// and where that cannot tell (a quota, a server without statvfs), the
// host itself (spaceProber).
func checkNoSpace(t Tree, err error, need int64) error {
	if err == nil || classify(err) == fatal {
		return err
	}
	if free := t.Free(); free >= 0 && free < need {
		return errors.Join(ErrNoSpace, err)
	}
	if p, ok := t.(spaceProber); ok && genericFailure(err) && p.outOfSpace(need) {
		return errors.Join(ErrNoSpace, err)
	}
	return err
}
