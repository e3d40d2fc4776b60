package home

import (
	"os"
	"strings"
)

// localBootID is the kernel's random boot ID, new at every boot.
func localBootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
