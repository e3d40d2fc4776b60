package firewall

import (
	"fmt"
	"strings"
)

// RenderCrontab returns the role's block of root's crontab (d with
// defaults, valid). Tables are saved by pf-reload save, which writes a
// temporary file and renames it, so a load never sees a half-written
// file; expiry runs every 10 minutes.
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
	// merge-peers saves the peers' tables itself, right after it
	// replaced them: a save of its own here could race it and put the
	// older list back in the file.
	var save []string
	for _, t := range d.fileTables() {
		if t.peer == nil {
			save = append(save, t.name, t.file)
		}
	}
	if len(save) > 0 {
		w(d.Tables.DumpSchedule, "-ns", ReloadScript+" save "+strings.Join(save, " "))
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
