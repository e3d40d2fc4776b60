package home

import (
	"context"
	"strings"

	"fugu/migrate/remote"
)

// booter is a Tree that can tell the boot ID of its machine: chunks a
// journal mentions from another boot may have been lost in a crash.
type booter interface {
	BootID(ctx context.Context) string
}

// BootID is this machine's boot ID, or "" where the system has none.
func (l *Local) BootID(context.Context) string { return localBootID() }

// bootIDScript prints the boot ID: Linux has one, OpenBSD the boot time.
const bootIDScript = `cat /proc/sys/kernel/random/boot_id 2>/dev/null || sysctl -n kern.boottime 2>/dev/null`

// BootID asks the remote host for its boot ID ("" without a shell there,
// or when neither form is known).
func (s *SFTP) BootID(ctx context.Context) string {
	if s.runner == nil {
		return ""
	}
	res, err := s.run(ctx, remote.Command{Line: bootIDScript})
	if err != nil || res.ExitCode != 0 {
		return ""
	}
	return strings.TrimSpace(string(res.Stdout))
}
