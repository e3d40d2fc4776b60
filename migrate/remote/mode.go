package remote

import "io/fs"

// fileMode returns the permission and setuid/setgid/sticky bits of m in
// Go's form. Callers may write either fs.ModeSetuid|0o755 or the Unix
// form 0o4755; the 0o7000 bits are unused by fs.FileMode, so both are
// taken to mean the same, and no other type bits reach chmod.
func fileMode(m fs.FileMode) fs.FileMode {
	if m&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
}

// setID are the bits the kernel clears when a non-root process writes.
const setID = fs.ModeSetuid | fs.ModeSetgid
