package remote

import (
	"io/fs"
	"syscall"

	"github.com/pkg/sftp"
)

// FileOwner returns the numeric owner and group of a FileInfo from any
// Host's Stat: its Sys() is a *sftp.FileStat over SSH and a
// *syscall.Stat_t locally. ok is false for anything else.
func FileOwner(fi fs.FileInfo) (uid, gid uint32, ok bool) {
	switch st := fi.Sys().(type) {
	case *sftp.FileStat:
		return st.UID, st.GID, true
	case *syscall.Stat_t:
		return st.Uid, st.Gid, true
	}
	return 0, 0, false
}
