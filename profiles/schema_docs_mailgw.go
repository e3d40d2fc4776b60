package profiles

import (
	"fmt"
	"strings"

	"fugu/firewall"
)

// Patterns of the mail gateway's values, as firewall.MailGW.Validate
// checks them (it also checks what a pattern cannot: lengths, ranges,
// paths under /tmp).
const (
	ifacePattern     = `^[a-z]+[0-9]+$`
	fwPathPattern    = `^/[A-Za-z0-9._+@/-]*$`
	tablePattern     = `^[A-Za-z0-9_-]+$`
	bandwidthPattern = `^[0-9]+[KMG]?b?$`
	ipv4Pattern      = `^[0-9]{1,3}(\.[0-9]{1,3}){3}$`
	schedule         = "crontab(5) time fields (minute hour day month weekday; ~ for a random value) or @hourly, @daily, ..."
)

// mailgwDocs describes every key of roles.mailgw, after section 6 of the
// mail gateway reference: what it means, its default and its constraint.
// Keys are paths below roles.mailgw. Numbers allow 0, which Load reads as
// "the default".
var mailgwDocs = map[string]doc{
	"egress_interface": {text: "Required. The outside interface, a real name like em0 (not the egress group): the queue root and spamlogd -i need it; rules use egress.", pattern: ifacePattern, required: true},
	"inside_interface": {text: "The interface towards the mail server. Default: none; required with mail_server.mode forward.", pattern: ifacePattern},
	"mail_server":      {text: "Where accepted mail goes."},
	"mail_server.mode": {text: "local: the MTA runs on the gateway (listening on egress:25); forward: whitelisted and nospamd senders are redirected (rdr-to) to mail_server.address. Default: local.",
		enum: []string{firewall.ModeLocal, firewall.ModeForward}},
	"mail_server.address": {text: "IPv4 address of the mail server behind the gateway (an address, not a host name: there is no DNS at boot). Default: none; required with mode forward, refused with local.", pattern: ipv4Pattern},
	"smtp_ipv6": {text: "spamd cannot greylist IPv6. block-return refuses SMTP over IPv6 at once so dual-stack senders retry over IPv4; pass-direct (local mode only) passes it to the MTA. Default: block-return.",
		enum: []string{firewall.IPv6BlockReturn, firewall.IPv6PassDirect}},
	"allowed_domains":   {text: "Recipient domain suffixes for /etc/mail/spamd.alloweddomains: a greylisted sender that mails any other recipient is greytrapped. Default: none (disabled); use with care."},
	"allowed_domains[]": {text: "A domain (example.org, also matching subdomains) or @example.org (that domain only)."},

	"spamd":                   {text: "spamd(8)'s mode and flags."},
	"spamd.mode":              {text: "greylist, or blacklist-only (spamd -b, spamd_black=YES, a <spamd> table divert). Default: greylist.", enum: []string{firewall.SpamdGreylist, firewall.SpamdBlacklist}},
	"spamd.greylist":          {text: "spamd -G passtime:greyexp:whiteexp, always written together. Defaults: spamd's own, 25:4:864."},
	"spamd.greylist.passtime": {text: "Minutes a sender must keep retrying before it is whitelisted, 1 to 1440. Default: 25.", min: iptr(0), max: iptr(1440)},
	"spamd.greylist.greyexp":  {text: "Hours a greylist entry lives, 1 to 168. Default: 4.", min: iptr(0), max: iptr(168)},
	"spamd.greylist.whiteexp": {text: "Hours a whitelist entry lives, 1 to 2160. Default: 864.", min: iptr(0), max: iptr(2160)},
	"spamd.banner_hostname":   {text: "spamd -h: the host name in the SMTP banner; it should match the MX name. Default: the system's FQDN."},
	"spamd.verbose":           {text: "spamd -v: log the envelope, which the (GREY)/(BLACK) analysis of fugu spamd needs. Default: true."},
	"spamd.reply_code":        {text: "450 (-4, spamd's default) or 550 (-5: blacklisted senders give up at once, but a false positive then bounces). Default: 450.", intEnum: []int{450, 550}},
	"spamd.maxcon":            {text: "spamd -c: concurrent connections, 1 to 65535. Default: 800.", min: iptr(0), max: iptr(65535)},
	"spamd.maxblack":          {text: "spamd -B: concurrent connections from blacklisted hosts, 1 to maxcon. Default: maxcon - 100 (maxcon when that is 100 or less).", min: iptr(0), max: iptr(65535)},
	"spamd.low_priority_mx":   {text: "spamd -M: an IPv4 alias published as a high-number MX; it needs divert-to and must see all greylist updates (the same host). Default: unset.", pattern: ipv4Pattern},
	"spamd.tls":               {text: "Certificate and key spamd offers with STARTTLS (-C/-K). Default: unset (no TLS)."},
	"spamd.tls.cert":          {text: "Absolute path of the certificate (spamd -C).", pattern: fwPathPattern, required: true},
	"spamd.tls.key":           {text: "Absolute path of the private key (spamd -K).", pattern: fwPathPattern, required: true},

	"sync":                  {text: "Greylist synchronisation with other spamd hosts (spamd and spamlogd -y/-Y)."},
	"sync.listen_interface": {text: "spamd -y: the interface sync messages arrive on; also passes udp to port spamd-sync from the peers there. Default: unset.", pattern: ifacePattern},
	"sync.targets":          {text: "spamd and spamlogd -Y: where sync messages go. Default: none."},
	"sync.targets[]":        {text: "An IPv4 unicast address, or iface[:ttl] for multicast."},
	"sync.key_file":         {text: "The shared sync key; it must be byte-identical on all peers. Default: " + firewall.DefaultSyncKeyFile + " when sync is used.", pattern: fwPathPattern},

	"spamlogd":                {text: "spamlogd(8)'s flags: it whitelists senders from what PF logs."},
	"spamlogd.pflog":          {text: "spamlogd -l: the pflog interface to read. Default: pflog0.", pattern: `^pflog[0-9]+$`},
	"spamlogd.inbound_only":   {text: "spamlogd -I: whitelist from inbound mail only; outbound whitelisting lets replies skip greylisting. Default: false."},
	"spamlogd.whiteexp_hours": {text: "spamlogd -W: hours a whitelist entry lives, 1 to 2160; keep it spamd.greylist.whiteexp. Default: spamd.greylist.whiteexp.", min: iptr(0), max: iptr(2160)},

	"blacklists":          {text: "/etc/mail/spamd.conf lists, applied in this order (its all: line); a white list follows the black list it amends. Default: the stock list, nixspam only."},
	"blacklists[]":        {text: "One spamd.conf(5) list."},
	"blacklists[].name":   {text: "The list's name: lowercase letters, digits, - and _.", pattern: `^[a-z0-9][a-z0-9_-]*$`, required: true},
	"blacklists[].type":   {text: "black, or white (amends the black list before it).", enum: []string{"black", "white"}, required: true},
	"blacklists[].method": {text: "How spamd-setup fetches the list. Default: file.", enum: []string{"http", "https", "ftp", "file"}},
	"blacklists[].file":   {text: "host/path without a scheme for http, https and ftp (spamd-setup adds METHOD://), an absolute path for file.", required: true},
	"blacklists[].msg":    {text: "The reply to a listed sender (%A is its address). Required for black lists; only black lists have one."},

	"spamd_setup":          {text: "When cron runs spamd-setup(8) to load the lists."},
	"spamd_setup.schedule": {text: "When spamd-setup runs: " + schedule + ". Default: ~ * * * * (hourly at a random minute, as in the stock crontab)."},
	"nospamd_file":         {text: "Addresses that bypass spamd (table <nospamd>); created empty when missing, since a missing table file breaks the pf load. Default: " + firewall.DefaultNospamdFile + ".", pattern: fwPathPattern},

	"spamtraps":            {text: "Trap addresses, reconciled with spamdb -T -a/-d."},
	"spamtraps.file":       {text: "The trap list on the gateway, one address a line; addresses that match the callback-probe pattern or real mailboxes are refused. Default: none (no traps managed).", pattern: fwPathPattern},
	"spamtraps.valid_file": {text: "Real mailboxes, one a line, never made traps. Needs spamtraps.file. Default: none.", pattern: fwPathPattern},
	"spamtraps.schedule":   {text: "When the trap list is reconciled: " + schedule + ". Needs spamtraps.file. Default: 45 * * * * when file is set."},

	"bruteforce":                              {text: "Overload protection of exposed services: offenders land in a table that is blocked or queued."},
	"bruteforce.table":                        {text: "The overload table (persist counters file DIR/TABLE.txt): at most 31 letters, digits, - and _, not a number, not a spamd table. Default: " + firewall.DefaultBruteTable + ".", pattern: tablePattern},
	"bruteforce.services":                     {text: "Exposed TCP services, each with max-src-conn and max-src-conn-rate and overload <table> flush global. Default: ssh 15 and 5/3; pop3s and imaps 100 and 15/5 (the Book of PF's values)."},
	"bruteforce.services[]":                   {text: "One service; it needs max_src_conn or max_src_conn_rate."},
	"bruteforce.services[].port":              {text: "A services(5) name or a number 1 to 65535; never smtp (it belongs to spamd).", pattern: `^([a-z][a-z0-9-]*|[0-9]+)$`, required: true},
	"bruteforce.services[].max_src_conn":      {text: "max-src-conn: simultaneous connections from one source. Default: none.", min: iptr(0)},
	"bruteforce.services[].max_src_conn_rate": {text: "max-src-conn-rate N/S: at most N new connections in S seconds from one source. Default: none.", pattern: `^[0-9]+/[0-9]+$`},
	"bruteforce.services[].table":             {text: "The overload table of this service. Default: bruteforce.table.", pattern: tablePattern},
	"bruteforce.action": {text: "block: block drop in log (all) quick from the table; tiny-queue: pass offenders into the abuser queue instead (needs queues.enabled). Default: block.",
		enum: []string{firewall.ActionBlock, firewall.ActionTinyQueue}},
	"bruteforce.expire_seconds": {text: fmt.Sprintf("Seconds before an offender leaves the table (pfctl -T expire, run every 10 minutes), at least 60. Default: %d (24 hours).", firewall.DefaultExpireSeconds), min: iptr(0)},

	"tables":               {text: "Where file-backed tables live and when they are saved."},
	"tables.dir":           {text: "Directory of the table files; not /var/tmp or /tmp (cleaned at boot and by daily). Default: " + firewall.DefaultTableDir + ".", pattern: fwPathPattern},
	"tables.dump_schedule": {text: "When the tables are saved to their files (also before every pf reload, which replaces a table with its file): " + schedule + ". Default: 5 * * * *."},

	"queues":                  {text: "An optional HFSC queue tree on the egress interface, with the tiny abuser queue."},
	"queues.enabled":          {text: "Shape outbound traffic; then uplink_bandwidth is required. Default: false."},
	"queues.uplink_bandwidth": {text: "The root queue's bandwidth, slightly below the real uplink, in absolute units like 95M. Default: none; required when queues are enabled.", pattern: bandwidthPattern},
	"queues.default_share":    {text: "Bandwidth of the one default leaf queue. Default: uplink_bandwidth minus the abuser queue.", pattern: bandwidthPattern},
	"queues.abuser":           {text: "The tiny queue spammers and password gropers share. Default: bandwidth 1K min 0K max 1K qlimit 300."},
	"queues.abuser.bandwidth": {text: "The abuser queue's bandwidth. Default: 1K.", pattern: bandwidthPattern},
	"queues.abuser.min":       {text: "The abuser queue's guaranteed minimum. Default: 0K.", pattern: bandwidthPattern},
	"queues.abuser.max":       {text: "The abuser queue's maximum. Default: 1K.", pattern: bandwidthPattern},
	"queues.abuser.qlimit":    {text: "Packets the abuser queue holds, 1 to 65535. Default: 300.", min: iptr(0), max: iptr(65535)},

	"peers":                      {text: "Partners whose published brute-force lists are merged."},
	"peers.merge_sources":        {text: "Each partner's list is loaded with pfctl -T replace into its own table <bruteforce_NAME>, so its entries expire on the partner's schedule. Default: none."},
	"peers.merge_sources[]":      {text: "One partner's published list."},
	"peers.merge_sources[].name": {text: "The partner's name, for table <bruteforce_NAME>: lowercase letters, digits, - and _.", pattern: `^[a-z0-9][a-z0-9_-]*$`, required: true},
	"peers.merge_sources[].url":  {text: "An http(s) URL or an absolute path of the partner's list.", required: true},

	"publish":                  {text: "Publication of the trap list and tables as files others can fetch."},
	"publish.schedule":         {text: "When the dumps are written: " + schedule + ". Default: 15 * * * * when paths are set."},
	"publish.paths":            {text: "What to publish where: traplist (spamd's greytrapped addresses) or an overload table's name, to a file written atomically with a # header and one address a line. Default: none."},
	"publish.paths{}":          {text: "Absolute path of the published file.", pattern: fwPathPattern},
	"publish.header":           {text: "The # header lines of the published files (generator, UTC time, entry lifetime, contact); consumers treat them as comments."},
	"publish.header.generator": {text: "Who made the file. Default: fugu mail gateway."},
	"publish.header.contact":   {text: "Whom to ask about the list. Default: none."},

	"syslog":            {text: "Where spamd's log lines go."},
	"syslog.spamd_file": {text: "spamd's log file, with daemon.debug (grey and trap lines are LOG_DEBUG) and a newsyslog entry. Default: " + firewall.DefaultSpamdLog + ".", pattern: fwPathPattern},

	"pf":                      {text: "pf.conf set options the role writes."},
	"pf.limits":               {text: "set limit values."},
	"pf.limits.table_entries": {text: fmt.Sprintf("set limit table-entries: raise it for big lists. Default: %d.", firewall.DefaultTableEntries), min: iptr(0)},
	"pf.debug":                {text: "set debug: logs overload insertions to the kernel log. Default: notice.", enum: []string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}},
}

// mailgwPrefix is where mailgwDocs' keys sit in a profile.
const mailgwPrefix = "roles.mailgw."

// lookupDoc returns the schema doc of a key path.
func lookupDoc(path string) (doc, bool) {
	if d, ok := schemaDocs[path]; ok {
		return d, true
	}
	if rest, ok := strings.CutPrefix(path, mailgwPrefix); ok {
		d, ok := mailgwDocs[rest]
		return d, ok
	}
	return doc{}, false
}
