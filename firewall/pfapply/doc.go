// Package pfapply installs the mail gateway role's files on a host over
// a remote.Host and loads the new pf.conf so that a bad rule cannot lock
// the admin out.
//
// Apply uploads every file to a temporary directory, creates missing
// table files and nospamd, saves the kernel's tables to their files with
// the new pf-reload's "save" (a load replaces each table with its file),
// and runs pfctl -nf on the new
// ruleset; if pfctl refuses it, nothing else is touched and pfctl's
// message is returned. It then installs the other files (each through a
// temporary name, synced to disk, and a rename, with the directory
// synced after it and a dated backup of a changed file),
// copies /etc/pf.conf to /etc/pf.conf.fugu-YYYYmmddHHMMSS, writes a
// pending marker, starts a detached job that reloads /etc/pf.conf after
// the timer unless the marker is gone, and loads the new ruleset from
// /etc/pf.conf.fugu-pending. /etc/pf.conf itself is left alone, so a host
// rebooted before confirmation (the usual way out of a lockout) boots the
// ruleset that let the admin in. Confirm, run over a new connection,
// kills the job, renames the pending ruleset over /etc/pf.conf and
// removes the marker; when the job is gone (a reboot), it confirms
// nothing and drops the pending state, as the next Apply does too.
//
// An interrupted Apply leaves at most: the staging directory in /tmp,
// created table files, installed role files with their backups, and, once
// the timer is armed, a pending load that rolls itself back.
package pfapply
