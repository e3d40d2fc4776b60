package firewall

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// pfDebugLevels are the values of pf.conf's set debug.
var pfDebugLevels = []string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}

// problems collects Problems with their key paths.
type problems []Problem

func (ps *problems) add(path, msg string) {
	if msg != "" {
		*ps = append(*ps, Problem{Path: path, Message: msg})
	}
}

func (ps *problems) addf(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Validate reports every problem in g, each with its key path relative
// to roles.mailgw. It checks g with defaults applied, so it also catches
// combinations that only fail with a default (maxblack above maxcon).
func (g *MailGW) Validate() []Problem {
	var ps problems
	d := g.WithDefaults()
	if g.EgressInterface == "" {
		ps.add("egress_interface", "required (a real interface name such as em0)")
	} else {
		ps.add("egress_interface", checkInterface(g.EgressInterface))
	}
	if g.InsideInterface != "" {
		ps.add("inside_interface", checkInterface(g.InsideInterface))
	}
	d.validateMailServer(&ps)
	d.validateSpamd(&ps)
	d.validateSyncAndLogd(&ps)
	d.validateBlacklists(&ps)
	ps.add("spamd_setup.schedule", checkSchedule(d.SpamdSetup.Schedule))
	ps.add("nospamd_file", checkPath(d.NospamdFile))
	for i, dom := range d.AllowedDomains {
		ps.add(fmt.Sprintf("allowed_domains[%d]", i), checkDomain(dom))
	}
	d.validateSpamtraps(&ps)
	d.validateBruteforce(&ps)
	ps.add("tables.dir", checkDir(d.Tables.Dir))
	ps.add("tables.dump_schedule", checkSchedule(d.Tables.DumpSchedule))
	d.validateQueues(&ps)
	d.validatePeers(&ps)
	d.validatePublish(&ps)
	ps.add("syslog.spamd_file", checkPath(d.Syslog.SpamdFile))
	d.validatePathClashes(&ps)
	// pfctl refuses a set limit, and -T expire a lifetime, above UINT_MAX.
	if d.PF.Limits.TableEntries < 1 || int64(d.PF.Limits.TableEntries) > math.MaxUint32 {
		ps.addf("pf.limits.table_entries", "%d is not a positive number, at most %d", d.PF.Limits.TableEntries, uint32(math.MaxUint32))
	}
	// pfctl takes syslog(3) level names (string_to_loglevel); the pre-5.x
	// pf levels none, urgent, misc and loud make it refuse the ruleset.
	if !slices.Contains(pfDebugLevels, d.PF.Debug) {
		ps.addf("pf.debug", "%q is not a level (%s)", d.PF.Debug, strings.Join(pfDebugLevels, ", "))
	}
	return ps
}

func (d *MailGW) validateMailServer(ps *problems) {
	switch d.MailServer.Mode {
	case ModeLocal:
		if d.MailServer.Address != "" {
			ps.add("mail_server.address", "only used with mode: forward (mode is local: the MTA runs on the gateway)")
		}
	case ModeForward:
		if d.MailServer.Address == "" {
			ps.add("mail_server.address", "required with mode: forward (the IPv4 address of the mail server)")
		} else {
			ps.add("mail_server.address", checkIPv4(d.MailServer.Address))
		}
		if d.InsideInterface == "" {
			ps.add("inside_interface", "required with mail_server.mode: forward (the interface towards the mail server)")
		}
		if d.SMTPIPv6 == IPv6PassDirect {
			ps.add("smtp_ipv6", "pass-direct needs the MTA on the gateway; forward mode redirects to an IPv4 server (use block-return)")
		}
	default:
		ps.addf("mail_server.mode", "%q is not a mode (local or forward)", d.MailServer.Mode)
	}
	if d.SMTPIPv6 != IPv6BlockReturn && d.SMTPIPv6 != IPv6PassDirect {
		ps.addf("smtp_ipv6", "%q is not one of block-return, pass-direct", d.SMTPIPv6)
	}
}

func (d *MailGW) validateSpamd(ps *problems) {
	s := d.Spamd
	if s.Mode != SpamdGreylist && s.Mode != SpamdBlacklist {
		ps.addf("spamd.mode", "%q is not one of greylist, blacklist-only", s.Mode)
	}
	gl := s.Greylist
	if gl.Passtime < 1 || gl.Passtime > 1440 {
		ps.addf("spamd.greylist.passtime", "%d is not 1-1440 minutes", gl.Passtime)
	}
	if gl.Greyexp < 1 || gl.Greyexp > 168 {
		ps.addf("spamd.greylist.greyexp", "%d is not 1-168 hours", gl.Greyexp)
	}
	if gl.Whiteexp < 1 || gl.Whiteexp > 2160 {
		ps.addf("spamd.greylist.whiteexp", "%d is not 1-2160 hours", gl.Whiteexp)
	}
	// grey.c whitelists a tuple retried after passtime only while its
	// entry lives, greyexp from the first attempt: with passtime as long
	// no sender would ever pass.
	if gl.Passtime >= 1 && gl.Passtime <= 1440 && gl.Greyexp >= 1 && gl.Greyexp <= 168 && gl.Passtime >= gl.Greyexp*60 {
		ps.addf("spamd.greylist.passtime", "%d minutes is not shorter than greyexp (%d hours): greylisted entries expire before a retry can pass, so no new sender ever gets through", gl.Passtime, gl.Greyexp)
	}
	if s.BannerHostname != "" {
		ps.add("spamd.banner_hostname", checkHostname(s.BannerHostname))
	}
	if s.ReplyCode != 450 && s.ReplyCode != 550 {
		ps.addf("spamd.reply_code", "%d is not 450 or 550", s.ReplyCode)
	}
	if s.MaxCon < 1 || s.MaxCon > 65535 {
		ps.addf("spamd.maxcon", "%d is not 1-65535", s.MaxCon)
	}
	if s.MaxBlack < 1 || s.MaxBlack > s.MaxCon {
		ps.addf("spamd.maxblack", "%d is not 1-maxcon (%d)", s.MaxBlack, s.MaxCon)
	}
	if s.LowPriorityMX != "" {
		ps.add("spamd.low_priority_mx", checkIPv4(s.LowPriorityMX))
	}
	if s.TLS != nil {
		ps.add("spamd.tls.cert", checkPath(s.TLS.Cert))
		ps.add("spamd.tls.key", checkPath(s.TLS.Key))
	}
}

func (d *MailGW) validateSyncAndLogd(ps *problems) {
	if d.Sync.ListenInterface != "" {
		ps.add("sync.listen_interface", checkInterface(d.Sync.ListenInterface))
	}
	multicast := 0
	for i, t := range d.Sync.Targets {
		path := fmt.Sprintf("sync.targets[%d]", i)
		if msg := checkSyncTarget(t); msg != "" {
			ps.add(path, msg)
			continue
		}
		if _, err := netip.ParseAddr(t); err == nil {
			continue
		}
		// spamd keeps only the last multicast -Y, and its sync_init
		// refuses a -y interface other than the multicast one.
		if multicast++; multicast > 1 {
			ps.add(path, "spamd sends to one multicast interface only (it keeps the last -Y)")
		}
		if ifc, _, _ := strings.Cut(t, ":"); d.Sync.ListenInterface != "" && ifc != d.Sync.ListenInterface {
			ps.addf(path, "%q: multicast sync must use listen_interface %s (spamd refuses to start: multicast interface does not match)", t, d.Sync.ListenInterface)
		} else if d.Sync.ListenInterface == "" {
			ps.addf(path, "%q: multicast sync needs listen_interface %s (spamd joins the group there and pf must pass its packets)", t, ifc)
		}
	}
	if d.Sync.KeyFile != "" {
		if msg := checkPath(d.Sync.KeyFile); msg != "" {
			ps.add("sync.key_file", msg)
		} else if d.Sync.KeyFile != DefaultSyncKeyFile {
			// spamd(8) has no flag for it: another path would be ignored.
			ps.addf("sync.key_file", "%q: spamd reads its sync key only from %s (it has no option for another file)", d.Sync.KeyFile, DefaultSyncKeyFile)
		}
	}
	// spamlogd reads pflog packets only: on another interface it exits
	// ("Invalid datalink type").
	if n, err := strconv.Atoi(strings.TrimPrefix(d.Spamlogd.Pflog, "pflog")); !pflogRe.MatchString(d.Spamlogd.Pflog) || err != nil || n > 255 {
		ps.addf("spamlogd.pflog", "%q is not a pflog interface (pflog0 to pflog255)", d.Spamlogd.Pflog)
	}
	if h := d.Spamlogd.WhiteexpHours; h < 1 || h > 2160 {
		ps.addf("spamlogd.whiteexp_hours", "%d is not 1-2160 hours", h)
	}
}

func (d *MailGW) validateSpamtraps(ps *problems) {
	t := d.Spamtraps
	if t.File != "" {
		ps.add("spamtraps.file", checkPath(t.File))
		ps.add("spamtraps.schedule", checkSchedule(t.Schedule))
	} else if t.ValidFile != "" || t.Schedule != "" {
		ps.add("spamtraps.file", "required when spamtraps.valid_file or spamtraps.schedule is set")
	}
	if t.ValidFile != "" {
		ps.add("spamtraps.valid_file", checkPath(t.ValidFile))
	}
}

func (d *MailGW) validateBruteforce(ps *problems) {
	b := d.Bruteforce
	ps.add("bruteforce.table", checkTableName(b.Table))
	ports := map[string]int{}
	for i, s := range b.Services {
		p := fmt.Sprintf("bruteforce.services[%d]", i)
		ps.add(p+".port", checkPort(s.Port))
		if j, dup := ports[s.Port]; dup {
			ps.addf(p+".port", "%q is already listed at bruteforce.services[%d]", s.Port, j)
		}
		ports[s.Port] = i
		if isSMTP(s.Port) {
			ps.add(p+".port", "smtp belongs to spamd: a pass rule for it would override the divert-to rule")
		}
		if s.MaxSrcConn < 0 || int64(s.MaxSrcConn) > math.MaxUint32 {
			ps.addf(p+".max_src_conn", "%d is not a positive number, at most %d", s.MaxSrcConn, uint32(math.MaxUint32))
		}
		if s.MaxSrcConnRate != "" {
			ps.add(p+".max_src_conn_rate", checkRate(s.MaxSrcConnRate))
		}
		if s.MaxSrcConn == 0 && s.MaxSrcConnRate == "" {
			ps.add(p+".max_src_conn", "set max_src_conn or max_src_conn_rate ('overload' requires one of them)")
		}
		ps.add(p+".table", checkTableName(s.Table))
		if reservedTable(s.Table) {
			ps.addf(p+".table", "%q is a spamd table, not an overload table", s.Table)
		}
	}
	if reservedTable(b.Table) {
		ps.addf("bruteforce.table", "%q is a spamd table, not an overload table", b.Table)
	}
	switch b.Action {
	case ActionBlock:
	case ActionTinyQueue:
		if !d.Queues.Enabled {
			ps.add("bruteforce.action", "tiny-queue needs queues.enabled: true (the abuser queue)")
		}
	default:
		ps.addf("bruteforce.action", "%q is not block or tiny-queue", b.Action)
	}
	if b.ExpireSeconds < 60 {
		ps.addf("bruteforce.expire_seconds", "%d is less than 60 seconds", b.ExpireSeconds)
	} else if int64(b.ExpireSeconds) > math.MaxUint32 {
		ps.addf("bruteforce.expire_seconds", "%d is more than pfctl -T expire takes (%d)", b.ExpireSeconds, uint32(math.MaxUint32))
	}
}

func reservedTable(t string) bool {
	return t == spamdWhiteTable || t == nospamdTable || t == spamdBlackTable || t == syncPeersTable || t == "spamd-greytrap"
}

func (d *MailGW) validateQueues(ps *problems) {
	q := d.Queues
	ab := q.Abuser
	ps.add("queues.abuser.bandwidth", checkBandwidth(ab.Bandwidth))
	ps.add("queues.abuser.min", checkBandwidth(ab.Min))
	ps.add("queues.abuser.max", checkBandwidth(ab.Max))
	if ab.Qlimit < 1 || ab.Qlimit > 65535 {
		ps.addf("queues.abuser.qlimit", "%d is not 1-65535", ab.Qlimit)
	}
	if !q.Enabled {
		return
	}
	if q.UplinkBandwidth == "" {
		ps.add("queues.uplink_bandwidth", "required when queues are enabled (slightly below the real uplink, like 95M)")
		return
	}
	up, err := ParseBandwidth(q.UplinkBandwidth)
	if err != nil {
		ps.add("queues.uplink_bandwidth", err.Error())
		return
	}
	abw, err := ParseBandwidth(ab.Bandwidth)
	if err != nil {
		return
	}
	if q.DefaultShare == "" {
		ps.addf("queues.uplink_bandwidth", "%s leaves nothing for the default queue after the abuser queue (%s)", q.UplinkBandwidth, ab.Bandwidth)
		return
	}
	share, err := ParseBandwidth(q.DefaultShare)
	if err != nil {
		ps.add("queues.default_share", err.Error())
		return
	}
	if share+abw > up {
		ps.addf("queues.default_share", "%s plus the abuser queue's %s exceeds the uplink %s", q.DefaultShare, ab.Bandwidth, q.UplinkBandwidth)
	}
}

// roleFiles are the files the role writes at fixed paths.
var roleFiles = []string{PFConf, SpamdConf, AllowedDomains, SetupScript, ReloadScript,
	PublishScript, MergeScript, TrapsScript, CrontabBlock, SyslogBlock, NewsyslogBlock, SysctlBlock}

// validatePathClashes reports a file setting that names one of the
// role's own files, or the file of another setting: in the set of files
// the role installs, one would silently replace the other (nospamd_file:
// /etc/pf.conf would install an empty pf.conf and load no rules at all),
// syslogd would write spamd's log into a file the role reads, and the
// hourly publish job would replace the file with an address list.
func (d *MailGW) validatePathClashes(ps *problems) {
	type setting struct{ key, path string }
	settings := []setting{{"nospamd_file", d.NospamdFile}, {"syslog.spamd_file", d.Syslog.SpamdFile},
		{"spamtraps.file", d.Spamtraps.File}, {"spamtraps.valid_file", d.Spamtraps.ValidFile}}
	if d.Spamd.TLS != nil {
		// A certificate and its key may share one PEM file.
		settings = append(settings, setting{"spamd.tls.cert", d.Spamd.TLS.Cert})
		if d.Spamd.TLS.Key != d.Spamd.TLS.Cert {
			settings = append(settings, setting{"spamd.tls.key", d.Spamd.TLS.Key})
		}
	}
	for _, t := range d.fileTables() {
		settings = append(settings, setting{"tables.dir", t.file})
	}
	// Each published list is renamed over its path every hour.
	for _, k := range sortedKeys(d.Publish.Paths) {
		settings = append(settings, setting{"publish.paths." + k, d.Publish.Paths[k]})
	}
	seen := map[string]string{}
	for _, f := range roleFiles {
		seen[f] = "the role's own " + f
	}
	for _, s := range settings {
		if s.path == "" {
			continue
		}
		if other, ok := seen[s.path]; ok {
			ps.addf(s.key, "%s is %s (expected a file of its own)", s.path, other)
			continue
		}
		seen[s.path] = "the file of " + s.key
	}
}
