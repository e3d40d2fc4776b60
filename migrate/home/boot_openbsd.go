package home

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// localBootID is the boot time (kern.boottime) in seconds since the
// epoch. (Over SSH the same target gives sysctl's own form of it: a
// journal that moves between the two is checked whole, which is safe.)
func localBootID() string {
	tv, err := unix.SysctlTimeval("kern.boottime")
	if err != nil {
		return ""
	}
	return strconv.FormatInt(tv.Sec, 10)
}
