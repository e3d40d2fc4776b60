package home

import (
	"errors"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// directAlign is the alignment O_DIRECT asks of buffer addresses, file
// offsets and lengths on every file system Linux has (4096 covers
// devices with 512-byte sectors as well).
const directAlign = 4096

// direct switches a big local temp file to O_DIRECT: its chunks then go
// from fugu's buffers to the disk with no copy into the page cache, and
// the fsync before the rename finds nothing left to write. With buffered
// writes a 2 GiB file sits in memory until that fsync writes all of it,
// while the transfer waits. Files that cannot (another Tree's File, a
// file system without O_DIRECT) are returned as they are.
func direct(f File) File {
	of, ok := f.(*os.File)
	if !ok {
		return f
	}
	d := &directFile{File: of}
	if d.setDirect(true) != nil {
		return f
	}
	d.on = true
	return d
}

// directFile writes aligned pieces with O_DIRECT and the rest (the tail
// of the file) through the page cache, switching the flag off for good
// at the first piece that does not fit.
type directFile struct {
	*os.File
	on bool
}

func (d *directFile) WriteAt(p []byte, off int64) (int, error) {
	if d.on && !aligned(p, off) {
		d.off()
	}
	n, err := d.File.WriteAt(p, off)
	if d.on && errors.Is(err, unix.EINVAL) && n == 0 {
		// The file system wants another alignment than directAlign.
		d.off()
		return d.File.WriteAt(p, off)
	}
	return n, err
}

func (d *directFile) off() {
	if d.setDirect(false) == nil {
		d.on = false
	}
}

func (d *directFile) setDirect(on bool) error {
	rc, err := d.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	err = rc.Control(func(fd uintptr) {
		var fl int
		if fl, ferr = unix.FcntlInt(fd, unix.F_GETFL, 0); ferr != nil {
			return
		}
		if on {
			fl |= unix.O_DIRECT
		} else {
			fl &^= unix.O_DIRECT
		}
		_, ferr = unix.FcntlInt(fd, unix.F_SETFL, fl)
	})
	return errors.Join(err, ferr)
}

func aligned(p []byte, off int64) bool {
	if len(p) == 0 {
		return true
	}
	return off%directAlign == 0 && len(p)%directAlign == 0 &&
		uintptr(unsafe.Pointer(unsafe.SliceData(p)))%directAlign == 0
}
