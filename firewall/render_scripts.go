package firewall

import (
	"fmt"
	"strings"
)

// Every value interpolated into these scripts has passed Validate, whose
// alphabets contain no shell metacharacters; values are still quoted
// where they are arguments, so the scripts read as safe.

const shHead = "#!/bin/sh\n# %s: %s\n# %s\nset -eu\n"

// FsyncArgs are perl's arguments for a program that fsyncs each file
// or directory named after them, and dies naming the first it could not
// sync. OpenBSD has no fsync(1), its dd has no conv=fsync, and sync(8)
// only schedules the writes; perl is in base (pkg_add is written in
// it), and OpenBSD's fsync(2) takes a descriptor opened read-only, a
// directory's too. A file renamed into place is only safe from a crash
// once its data was synced before the rename and its directory after.
const FsyncArgs = `-MIO::Handle -e 'for (@ARGV) { my $f; open($f, "<", $_) && $f->sync or die "fsync $_: $!\n" }' --`

// saveFuncs save pf tables to their files: the one implementation of
// it, in pf-reload, which cron, merge-peers and fugu firewall apply run
// as "pf-reload save". A table the kernel does not have yet (first
// load) leaves its file as it is. pfctl exits 0 even when it could not
// write its output (a full /var), so the table is read into the shell
// first and written by printf, whose failure is seen: a cut-off copy
// must never replace the file a load reads. Nor may a crash: the data
// is fsynced before the rename and the directory after it (FsyncArgs),
// or the next boot could find an empty file and load an empty table.
// The files list abusers' addresses: 0600, as setup creates them.
const saveFuncs = `
# fsync PATH ...: have each file or directory on disk.
fsync() {
	/usr/bin/perl ` + FsyncArgs + ` "$@"
}

# save TABLE FILE
save() {
	t=$(/sbin/pfctl -q -t "$1" -T show 2>/dev/null) || return 0
	tmp=$(mktemp "$2.XXXXXXXXXX") || { echo "pf-reload: cannot save table $1: no temporary file next to $2" >&2; return 1; }
	if { [ -z "$t" ] || printf '%s\n' "$t"; } > "$tmp" && chmod 0600 "$tmp" && fsync "$tmp" &&
		mv -f "$tmp" "$2" && fsync "$(dirname "$2")"; then
		return 0
	fi
	rm -f "$tmp"
	echo "pf-reload: cannot save table $1 to $2" >&2
	return 1
}

# save_tables TABLE FILE ...
save_tables() {
	if [ $(($# % 2)) -ne 0 ]; then
		echo "usage: pf-reload save [TABLE FILE ...]" >&2
		return 2
	fi
	status=0
	while [ $# -gt 0 ]; do
		save "$1" "$2" || status=1
		shift 2
	done
	return $status
}
`

// saveArgs are the TABLE FILE arguments of "pf-reload save" for every
// file-backed table of the role.
func (d *MailGW) saveArgs() string {
	var args []string
	for _, t := range d.fileTables() {
		args = append(args, t.name, t.file)
	}
	return strings.Join(args, " ")
}

func renderReload(d *MailGW) string {
	// While an apply awaits confirmation the running ruleset is the
	// pending one: loading /etc/pf.conf would undo it behind the
	// admin's back, and a confirm would then install a ruleset that is
	// not running. A marker whose rollback job is gone is what a reboot
	// leaves: the host booted /etc/pf.conf, no rollback will come, and
	// reloading it undoes nothing.
	pending := fmt.Sprintf("if [ -e %s ]; then\n"+
		"\tif %s; then\n"+
		"\t\techo 'a ruleset loaded by fugu firewall apply awaits confirmation: confirm it (fugu firewall confirm), or wait for its rollback, before reloading' >&2\n"+
		"\t\texit 1\n"+
		"\tfi\n"+
		"\techo 'an unconfirmed ruleset of fugu firewall apply did not survive (a reboot): reloading /etc/pf.conf, which the host booted' >&2\n"+
		"fi\n", ApplyPending, ApplyJobAlive(ApplyTimerPID, ApplyPending))
	return fmt.Sprintf(shHead, ReloadScript, generatedHeader,
		"Saves the file-backed tables (a load replaces each with its file), checks and loads /etc/pf.conf.\n"+
			"# \"pf-reload save [TABLE FILE ...]\" only saves tables (without arguments, all of the role's).") +
		"umask 077\n" + saveFuncs + "\n" +
		"if [ \"${1:-}\" = save ]; then\n\tshift\n" +
		fmt.Sprintf("\tif [ $# -eq 0 ]; then\n\t\tset -- %s\n\tfi\n", d.saveArgs()) +
		"\tsave_tables \"$@\"\n\texit\nfi\n\n" +
		pending + "\n" + fmt.Sprintf("save_tables %s\n", d.saveArgs()) +
		"/sbin/pfctl -nf /etc/pf.conf\n/sbin/pfctl -f /etc/pf.conf\n"
}

// mergeBlockFunc replaces the lines between the role's markers in a
// config file by a block file, keeping a dated backup, and renames the
// result into place, synced to disk before and after the rename (see
// FsyncArgs: a crash must not leave an empty syslog.conf). It returns 1
// when nothing changed. Its callers test that status, which turns set -e
// off inside it: a step that fails (a full disk) ends the script there,
// before a cut-off copy replaces the file.
const mergeBlockFunc = `
merge_block() {
	tmp=$(mktemp "$1.XXXXXXXXXX") || exit 1
	if [ -e "$1" ]; then
		sed '/^# BEGIN fugu mailgw$/,/^# END fugu mailgw$/d' "$1" > "$tmp" || { rm -f "$tmp"; exit 1; }
	fi
	cat "$2" >> "$tmp" && chmod 0644 "$tmp" || { rm -f "$tmp"; exit 1; }
	if [ -e "$1" ] && cmp -s "$tmp" "$1"; then
		rm -f "$tmp"
		return 1
	fi
	if [ -e "$1" ]; then
		cp -p "$1" "$1.fugu-$(date +%Y%m%d%H%M%S)" || { rm -f "$tmp"; exit 1; }
	fi
	/usr/bin/perl ` + FsyncArgs + ` "$tmp" || { rm -f "$tmp"; exit 1; }
	mv "$tmp" "$1" || exit 1
	/usr/bin/perl ` + FsyncArgs + ` "$(dirname "$1")" || exit 1
}
`

func renderSetup(d *MailGW, opts Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, shHead, SetupScript, generatedHeader,
		"Sets up the mail gateway role; safe to run again. With \"restart\", restarts spamd and spamlogd.")
	b.WriteString("umask 022\n")
	b.WriteString(mergeBlockFunc)
	b.WriteString("\n# pf aborts the whole load if a table file is missing: create them empty.\n")
	fmt.Fprintf(&b, "install -d -m 0700 %s\n", strings.TrimSuffix(d.Tables.Dir, "/"))
	for _, t := range d.fileTables() {
		fmt.Fprintf(&b, "[ -e %s ] || install -m 0600 /dev/null %s\n", t.file, t.file)
	}
	fmt.Fprintf(&b, "[ -e %s ] || install -m 0644 /dev/null %s\n", d.NospamdFile, d.NospamdFile)
	fmt.Fprintf(&b, "[ -e %s ] || install -m 0640 /dev/null %s\n", d.Syslog.SpamdFile, d.Syslog.SpamdFile)
	if d.Sync.ListenInterface != "" || len(d.Sync.Targets) > 0 {
		b.WriteString("\n# spamd authenticates sync messages with this key; the same file must be on every peer.\n")
		fmt.Fprintf(&b, "[ -s %s ] || echo \"mailgw-setup: %s is missing: spamd sync runs unauthenticated (copy the peers' key there)\" >&2\n",
			d.Sync.KeyFile, d.Sync.KeyFile)
	}
	if len(d.AllowedDomains) == 0 {
		// spamd traps mail to any domain missing from the file while it
		// exists: one written for an earlier allowed_domains must go.
		b.WriteString("\n# allowed_domains is empty: remove the list an earlier setting wrote (spamd would still trap by it).\n")
		fmt.Fprintf(&b, "if [ -f %s ] && grep -qxF '# %s: %s' %s; then\n\trm -f %s\nfi\n",
			AllowedDomains, AllowedDomains, generatedHeader, AllowedDomains, AllowedDomains)
	}
	if d.Spamlogd.Pflog != "pflog0" {
		// pf logs to any pflogN it is told, but only pflog0 exists by
		// itself: spamlogd could not open another, nor would it see
		// anything. netstart creates it at boot from hostname.pflogN.
		fmt.Fprintf(&b, "\n# spamlogd watches %[1]s: create it, now and at boot.\n", d.Spamlogd.Pflog)
		fmt.Fprintf(&b, "[ -e /etc/hostname.%[1]s ] || { echo up > /etc/hostname.%[1]s && chmod 0640 /etc/hostname.%[1]s; }\n", d.Spamlogd.Pflog)
		fmt.Fprintf(&b, "ifconfig %[1]s >/dev/null 2>&1 || ifconfig %[1]s create up\n", d.Spamlogd.Pflog)
	}
	b.WriteString("\n# syslog.conf and newsyslog.conf: replace the role's block, keep the rest.\n")
	fmt.Fprintf(&b, "if merge_block /etc/syslog.conf %s && [ \"${1:-}\" = restart ]; then\n\trcctl reload syslogd\nfi\n", SyslogBlock)
	fmt.Fprintf(&b, "merge_block /etc/newsyslog.conf %s || true\n", NewsyslogBlock)
	if d.MailServer.Mode == ModeForward {
		b.WriteString("\n# The mail server sits behind the gateway: route to and from it, now and at boot.\n")
		b.WriteString("sysctl net.inet.ip.forwarding=1 >/dev/null\n")
		fmt.Fprintf(&b, "merge_block /etc/sysctl.conf %s || true\n", SysctlBlock)
	} else {
		// A gateway that was in forward mode keeps its sysctl.conf
		// block (and routes at every boot) unless the block goes.
		b.WriteString("\n# No mail server behind the gateway: take out the IP forwarding an earlier\n")
		b.WriteString("# forward mode merged into sysctl.conf, and turn it off unless set there otherwise.\n")
		fmt.Fprintf(&b, "if [ -f /etc/sysctl.conf ] && grep -qx '%s' /etc/sysctl.conf && merge_block /etc/sysctl.conf /dev/null; then\n", blockBegin)
		b.WriteString("\tgrep -q '^net\\.inet\\.ip\\.forwarding=1' /etc/sysctl.conf || sysctl net.inet.ip.forwarding=0 >/dev/null\n")
		b.WriteString("fi\n")
	}
	b.WriteString("\n# root's crontab (it also runs daily, weekly and monthly): replace the role's\n")
	b.WriteString("# block, keep the rest and a dated copy. A failing crontab -l stops here\n")
	b.WriteString("# rather than install the role's block alone.\n")
	b.WriteString("cron=$(mktemp)\nold=$(mktemp)\n")
	b.WriteString("if [ -e /var/cron/tabs/root ]; then\n\tcrontab -l -u root > \"$old\"\nfi\n")
	b.WriteString("sed '/^# BEGIN fugu mailgw$/,/^# END fugu mailgw$/d' \"$old\" > \"$cron\"\n")
	fmt.Fprintf(&b, "cat %s >> \"$cron\"\n", CrontabBlock)
	b.WriteString("if ! cmp -s \"$cron\" \"$old\"; then\n")
	fmt.Fprintf(&b, "\tif [ -s \"$old\" ]; then\n\t\tcp \"$old\" %s/root-crontab.fugu-$(date +%%Y%%m%%d%%H%%M%%S)\n\tfi\n", RoleDir)
	b.WriteString("\tcrontab -u root \"$cron\"\nfi\nrm -f \"$cron\" \"$old\"\n")
	b.WriteString("\n# rc.conf.local\n")
	for _, c := range d.rcctlCommands(opts) {
		b.WriteString(c + "\n")
	}
	b.WriteString("\nif [ \"${1:-}\" = restart ]; then\n\trcctl restart spamd spamlogd\nfi\n")
	return b.String()
}

func renderPublish(d *MailGW) string {
	var b strings.Builder
	fmt.Fprintf(&b, shHead, PublishScript, generatedHeader,
		"Publishes lists: a # header, then one address a line; each file is replaced by rename.")
	b.WriteString(`
work=$(mktemp -d)
out_tmp=
trap 'rm -rf "$work"; [ -z "$out_tmp" ] || rm -f "$out_tmp"' EXIT

# publish SOURCE FILE LIFETIME: SOURCE is traplist (spamd's greytrapped
# addresses) or a pf table. pfctl and spamdb exit 0 even when their
# output could not be written (a full /tmp), so they are read into the
# shell: a cut-off copy would publish a list that empties peers' tables.
# print -r, not echo: ksh's echo reads backslashes in the HELO, FROM and
# TO a client chose, and a \n there would add a line of its making.
publish() {
	if [ "$1" = traplist ]; then
		raw=$(/usr/sbin/spamdb)
		print -r -- "$raw" | awk -F'|' '$1 == "TRAPPED" { print $2 }' | sort -u > "$work/list"
	else
		raw=$(/sbin/pfctl -q -t "$1" -T show)
		print -r -- "$raw" | awk 'NF { print $1 }' | sort -u > "$work/list"
	fi
	out_tmp=$(mktemp "$2.XXXXXXXXXX")
	{
		echo "# $1: one address a line; lines starting with # are comments"
`)
	fmt.Fprintf(&b, "\t\techo '# generator: %s'\n", d.Publish.Header.Generator)
	b.WriteString("\t\techo \"# generated: $(date -u +%Y-%m-%dT%H:%M:%SZ)\"\n")
	b.WriteString("\t\techo \"# entry lifetime: $3 seconds\"\n")
	if d.Publish.Header.Contact != "" {
		fmt.Fprintf(&b, "\t\techo '# contact: %s'\n", d.Publish.Header.Contact)
	}
	// Synced before and after the rename (FsyncArgs): peers load the
	// list with -T replace, and an empty one left by a crash would empty
	// their copy of the table.
	b.WriteString("\t\tcat \"$work/list\"\n\t} > \"$out_tmp\"\n\tchmod 0644 \"$out_tmp\"\n" +
		"\t/usr/bin/perl " + FsyncArgs + " \"$out_tmp\"\n" +
		"\tmv \"$out_tmp\" \"$2\"\n\tout_tmp=\n" +
		"\t/usr/bin/perl " + FsyncArgs + " \"$(dirname \"$2\")\"\n}\n\n")
	for _, src := range sortedKeys(d.Publish.Paths) {
		life := d.Bruteforce.ExpireSeconds
		if src == TraplistSource {
			life = traplistLifetimeS
		}
		fmt.Fprintf(&b, "publish %s %s %d\n", src, d.Publish.Paths[src], life)
	}
	return b.String()
}

func renderMerge(d *MailGW) string {
	var b strings.Builder
	fmt.Fprintf(&b, shHead, MergeScript, generatedHeader,
		"Loads each peer's published list into its own table with -T replace, so the peer's expiry governs it.")
	b.WriteString(`
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# merge NAME SOURCE TABLE FILE
merge() {
	# set -e does not hold in here (merge runs left of ||): a failed or
	# cut-off download must not be taken for the peer's whole list.
	fetched=
	case $2 in
	/*) cp "$2" "$work/$1" && fetched=1 ;;
	*) /usr/bin/ftp -MV -o "$work/$1" "$2" && fetched=1 ;;
	esac
	if [ -z "$fetched" ]; then
		echo "merge-peers: $2: cannot fetch the list; $3 left as it was" >&2
		status=1
		return 0
	fi
	# Only addresses and networks no wider than /8 (IPv4) or /16 (IPv6):
	# hostnames would need DNS at boot, and a peer's 0.0.0.0/0 would
	# block everyone, the admin included.
	if ! awk '
		{ sub(/#.*/, ""); gsub(/^[ \t]+|[ \t]+$/, "") }
		$0 == "" { next }
		{
			bad = split($0, p, "/") > 2
			if ($0 ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(\/[0-9]+)?$/) {
				split(p[1], o, ".")
				for (i = 1; i <= 4; i++) if (o[i] + 0 > 255) bad = 1
				if ((2 in p) && (p[2] + 0 < 8 || p[2] + 0 > 32)) bad = 1
			} else if ($0 ~ /^[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(\/[0-9]+)?$/) {
				if ((2 in p) && (p[2] + 0 < 16 || p[2] + 0 > 128)) bad = 1
			} else bad = 1
			if (bad) { printf "line %d: %s\n", NR, $0 > "/dev/stderr"; exit 1 }
			delete p
		}' "$work/$1"; then
		echo "merge-peers: $2: not a list of addresses and narrow networks; $3 left as it was" >&2
		status=1
		return 0
	fi
	if ! /sbin/pfctl -q -t "$3" -T replace -f "$work/$1"; then
		echo "merge-peers: $2: pfctl refused the list; $3 left as it was" >&2
		status=1
		return 0
	fi
	` + ReloadScript + ` save "$3" "$4"
}

`)
	for _, t := range d.fileTables() {
		if t.peer == nil {
			continue
		}
		fmt.Fprintf(&b, "merge %s %s %s %s || status=1\n", t.peer.Name, t.peer.URL, t.name, t.file)
	}
	b.WriteString("exit $status\n")
	return b.String()
}

// RoleMailboxes are local parts that are never spamtraps: the role
// accounts RFC 5321 (postmaster) and RFC 2142 require a site to accept.
var RoleMailboxes = []string{"postmaster", "abuse", "hostmaster", "webmaster", "security", "noc"}

// probeRE matches SMTP callback probe recipients: host-epoch-testing@domain.
const probeRE = `^[a-z0-9.-]+-[0-9]{9,11}-testing@`

func renderTraps(d *MailGW) string {
	var b strings.Builder
	fmt.Fprintf(&b, shHead, TrapsScript, generatedHeader,
		"Makes spamd's SPAMTRAP entries equal to the role's trap list, never trapping callback probes or real mailboxes.")
	fmt.Fprintf(&b, "\ntraps=%s\nvalid=%s\n", d.Spamtraps.File, d.Spamtraps.ValidFile)
	b.WriteString(`work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# normalise FILE: lowercase, no comments, brackets or blanks, sorted.
normalise() {
	sed -e 's/#.*//' -e 's/[<>[:space:]]//g' "$1" | tr 'A-Z' 'a-z' | grep -v '^$' | sort -u || true
}

# An unreadable list would read as empty and delete every trap.
if [ ! -r "$traps" ]; then
	echo "spamtraps-sync: cannot read $traps; spamd's traps left as they are" >&2
	exit 1
fi
normalise "$traps" > "$work/listed"
grep -E '^[a-z0-9._+-]+@[a-z0-9.-]+$' "$work/listed" > "$work/wellformed" || true
grep -Ev '` + probeRE + `' "$work/wellformed" > "$work/noprobe" || true
# Real mailboxes: the valid file's addresses and bare local parts, and
# the role accounts other sites must be able to reach (RFC 2142, 5321).
printf '%s\n' ` + strings.Join(RoleMailboxes, " ") + ` > "$work/valid"
if [ -n "$valid" ] && [ -e "$valid" ]; then
	normalise "$valid" >> "$work/valid"
fi
awk -F@ 'FILENAME == ARGV[1] { real[$0] = 1; next } !($0 in real) && !($1 in real)' \
	"$work/valid" "$work/noprobe" > "$work/wanted"
comm -23 "$work/listed" "$work/wanted" | while IFS= read -r a; do
	echo "spamtraps-sync: not a trap (malformed, callback probe or real mailbox): $a" >&2
done

/usr/sbin/spamdb > "$work/db"
awk -F'|' '$1 == "SPAMTRAP" { print $2 }' "$work/db" | sort -u > "$work/current"
# spamdb takes many keys at once: a first run with a list of tens of
# thousands of traps must not start a process per address. NUL-separated
# for xargs, so no character of an address is taken for quoting.
comm -13 "$work/current" "$work/wanted" > "$work/add"
comm -23 "$work/current" "$work/wanted" > "$work/del"
if [ -s "$work/add" ]; then
	tr '\n' '\0' < "$work/add" | xargs -0 /usr/sbin/spamdb -T -a
fi
if [ -s "$work/del" ]; then
	tr '\n' '\0' < "$work/del" | xargs -0 /usr/sbin/spamdb -T -d
fi
`)
	return b.String()
}
