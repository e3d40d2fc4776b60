package home

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ErrBusy means another run is copying into the same target: two runs
// would share temp names and the journal, and one could rename the
// other's half-written file into place.
var ErrBusy = errors.New("home: another run is copying into this target")

// locker is a Tree that can keep a second run out while one copies into
// it. Local targets lock with flock(2) (Linux and OpenBSD alike); over
// SFTP there is no such call, and a second run is not kept out.
type locker interface {
	lock() (unlock func(), err error)
}

// lockName is the file a local target's run holds its flock on; a
// complete run removes it with the journal.
const lockName = JournalDir + "/lock"

// lock takes an exclusive flock on lockName, held until unlock or until
// the process dies (kill -9 included: the kernel drops it).
func (l *Local) lock() (func(), error) {
	if err := l.Mkdir(JournalDir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create journal directory: %w", err)
	}
	f, err := l.root.OpenFile(lockName, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("lock: %w", err)
	}
	return func() { l.stage.close(); f.Close() }, nil
}
