package firewall

import (
	"fmt"
	"strings"
)

// RenderCrontab returns the role's block of root's crontab (d with
// defaults, valid). Table dumps write a temporary file and rename it, so
// a load never sees a half-written file; expiry runs every 10 minutes.
func RenderCrontab(d *MailGW) string {
	var b strings.Builder
	w := func(sched, flags, cmd string) { fmt.Fprintf(&b, "%s\t%s %s\n", sched, flags, cmd) }
	b.WriteString(blockBegin + "\n")
	b.WriteString("# " + generatedHeader + "\n")
	setup := "/usr/libexec/spamd-setup"
	if d.Spamd.Mode == SpamdBlacklist {
		setup += " -b"
	}
	w(d.SpamdSetup.Schedule, "-n", setup)
	for _, t := range d.OverloadTables() {
		w("*/10 * * * *", "-nq", fmt.Sprintf("/sbin/pfctl -q -t %s -T expire %d", t, d.Bruteforce.ExpireSeconds))
	}
	for _, t := range d.fileTables() {
		if t.peer != nil {
			continue // merge-peers saves the peers' tables itself
		}
		w(d.Tables.DumpSchedule, "-ns", dumpCommand(t))
	}
	if len(d.Publish.Paths) > 0 {
		w(d.Publish.Schedule, "-ns", PublishScript)
	}
	if len(d.Peers.MergeSources) > 0 {
		w(d.Tables.DumpSchedule, "-ns", MergeScript)
	}
	if d.Spamtraps.File != "" {
		w(d.Spamtraps.Schedule, "-ns", TrapsScript)
	}
	b.WriteString(blockEnd + "\n")
	return b.String()
}

// dumpCommand saves a table to its file atomically. It is one shell
// command line without %, so it is safe in a crontab. pfctl exits 0 even
// when writing its output failed (a full /var), so the shell writes the
// table, and a failed write leaves the file as it was.
func dumpCommand(t fileTable) string {
	return fmt.Sprintf(`t=$(/sbin/pfctl -q -t %s -T show) && echo "$t" > %s.tmp && mv %s.tmp %s || { rm -f %s.tmp; exit 1; }`,
		t.name, t.file, t.file, t.file, t.file)
}
