package firewall

import (
	"fmt"
	"net/netip"
	"strings"
)

// RenderPF returns /etc/pf.conf for d, which must have defaults applied
// and be valid. Statements come in the conventional order (macros,
// tables, options, queues, rules); the spamd block follows reference
// section 1.9: no quick on the divert rule, the <nospamd> and
// <spamd-white> rules after it (last match wins), and log on the
// whitelisted-in and smtp-out rules so spamlogd sees them.
//
// In forward mode a mail server at a private address (RFC 1918, or the
// RFC 6598 shared space) gets nat-to for the mail it sends out.
func RenderPF(d *MailGW) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	forward := d.MailServer.Mode == ModeForward
	grey := d.Spamd.Mode == SpamdGreylist

	w("# %s: %s", PFConf, generatedHeader)
	w("# Mail gateway: spamd(8) greylisting in front of the mail server, overload")
	w("# tables for brute-forcers. Reload with %s, which saves the tables first.", ReloadScript)
	w("")
	if d.Queues.Enabled {
		w("ext_if = %q", d.EgressInterface)
	}
	if forward {
		w("int_if = %q", d.InsideInterface)
		w("mail_server = %q", d.MailServer.Address)
	}
	if d.Sync.ListenInterface != "" {
		w("sync_if = %q", d.Sync.ListenInterface)
	}
	if d.Queues.Enabled || forward || d.Sync.ListenInterface != "" {
		w("")
	}

	if grey {
		w("table <%s> persist", spamdWhiteTable)
		w("table <%s> persist file %q", nospamdTable, d.NospamdFile)
	} else {
		w("table <%s> persist", spamdBlackTable)
	}
	for _, t := range d.fileTables() {
		w("table <%s> persist counters file %q", t.name, t.file)
	}
	unicast, multicast := d.syncPeers()
	if len(unicast) > 0 {
		w("table <%s> persist { %s }", syncPeersTable, strings.Join(unicast, " "))
	}
	w("")

	w("set block-policy drop")
	w("set loginterface egress")
	w("set limit table-entries %d", d.PF.Limits.TableEntries)
	w("set debug %s", d.PF.Debug)
	w("set skip on lo")
	w("")

	if d.Queues.Enabled {
		q := d.Queues
		w("# Queues shape outbound traffic; %s is the tiny queue for abusers.", abuserQueueName)
		w("queue %s on $ext_if bandwidth %s max %s", rootQueueName, q.UplinkBandwidth, q.UplinkBandwidth)
		w("queue %s parent %s bandwidth %s default", defaultQueueName, rootQueueName, q.DefaultShare)
		w("queue %s parent %s bandwidth %s min %s max %s qlimit %d", abuserQueueName, rootQueueName,
			q.Abuser.Bandwidth, q.Abuser.Min, q.Abuser.Max, q.Abuser.Qlimit)
		w("")
	}

	w("block log all")
	w("antispoof quick for egress")
	if d.Bruteforce.Action == ActionBlock {
		w("")
		w("# Brute-forcers (and the peers' lists of them) are dropped before anything else.")
		for _, t := range d.fileTables() {
			w("block drop in log (all) quick on egress from <%s>", t.name)
		}
	}
	w("")
	w("pass out on egress")
	w("pass in on egress inet proto icmp icmp-type { echoreq unreach }")
	// block all also stops the neighbour solicitations and router
	// advertisements IPv6 needs to reach this host at all.
	w("pass in on egress inet6 proto icmp6 icmp6-type { echoreq unreach neighbrsol neighbradv routeradv }")
	if forward {
		w("pass in on $int_if proto tcp from $mail_server to port smtp")
		w("pass out on $int_if proto tcp to $mail_server port smtp")
		// The server resolves the MX of the mail it sends: DNS goes out
		// too (to the gateway's own resolver, or beyond).
		w("pass in on $int_if proto { tcp udp } from $mail_server to port domain")
		if a, err := netip.ParseAddr(d.MailServer.Address); err == nil && (a.IsPrivate() || sharedAddrSpace.Contains(a)) {
			// Mail the server sends out would leave with an address no
			// one routes back to: it leaves with the gateway's.
			w("match out on egress inet proto tcp from $mail_server to port smtp nat-to (egress:0)")
			w("match out on egress inet proto { tcp udp } from $mail_server to port domain nat-to (egress:0)")
		}
	}
	w("")

	if d.SMTPIPv6 == IPv6BlockReturn {
		w("# spamd cannot greylist IPv6: refuse it fast so senders retry over IPv4.")
		w("block return in on egress inet6 proto tcp to port smtp")
	} else {
		w("# spamd cannot greylist IPv6: IPv6 senders reach the MTA directly.")
		w("pass in on egress inet6 proto tcp to port smtp")
	}
	// Locally, <nospamd> may list IPv6 senders too; a forwarded
	// connection goes to an IPv4 server, so those rules are inet.
	rdr, af := "", ""
	if forward {
		rdr, af = " rdr-to $mail_server", " inet"
	}
	// The rules spamlogd learns from log to its pflog interface; pf logs
	// to pflog0 unless told otherwise.
	slog := "log"
	if d.Spamlogd.Pflog != "pflog0" {
		slog = "log (to " + d.Spamlogd.Pflog + ")"
	}
	if grey {
		w("# spamd: no quick here; the <%s> and <%s> rules below win by last match.", nospamdTable, spamdWhiteTable)
		w("pass in on egress inet proto tcp to port smtp divert-to 127.0.0.1 port spamd")
		w("pass in on egress%s proto tcp from <%s> to port smtp%s", af, nospamdTable, rdr)
		w("pass in %s on egress%s proto tcp from <%s> to port smtp%s", slog, af, spamdWhiteTable, rdr)
	} else {
		w("# spamd in blacklist-only mode: only hosts in <%s> are diverted to it.", spamdBlackTable)
		w("pass in %s on egress inet proto tcp to port smtp%s", slog, rdr)
		w("pass in on egress inet proto tcp from <%s> to port smtp divert-to 127.0.0.1 port spamd", spamdBlackTable)
	}
	w("pass out %s on egress proto tcp to port smtp", slog)

	if d.Sync.ListenInterface != "" {
		w("")
		w("# spamd greylist sync between peers")
		if len(unicast) > 0 {
			w("pass in on $sync_if inet proto udp from <%s> to port spamd-sync", syncPeersTable)
		}
		if multicast {
			w("pass in on $sync_if inet proto udp to 224.0.1.240 port spamd-sync")
			// Joining the group sends IGMP membership reports, and the
			// router's queries come back; both carry the Router Alert
			// IP option, which pf drops unless allow-opts says otherwise.
			// Without them a snooping switch stops forwarding the group.
			w("pass on $sync_if inet proto igmp allow-opts")
		}
		if !multicast && len(unicast) == 0 {
			w("# no peers listed: accept sync from any host (spamd checks the key)")
			w("pass in on $sync_if inet proto udp to port spamd-sync")
		}
		w("pass out on $sync_if inet proto udp to port spamd-sync")
	} else if len(unicast) > 0 {
		w("")
		w("# spamd sends greylist updates to its peers, by whatever interface leads there")
		w("pass out inet proto udp to <%s> port spamd-sync", syncPeersTable)
	}

	w("")
	w("# Exposed services: a source over the limits goes into the overload table.")
	for _, s := range d.Bruteforce.Services {
		var opts []string
		if s.MaxSrcConn > 0 {
			opts = append(opts, fmt.Sprintf("max-src-conn %d", s.MaxSrcConn))
		}
		if s.MaxSrcConnRate != "" {
			opts = append(opts, "max-src-conn-rate "+s.MaxSrcConnRate)
		}
		opts = append(opts, fmt.Sprintf("overload <%s> flush global", s.Table))
		w("pass in on egress proto tcp to port %s keep state (%s)", s.Port, strings.Join(opts, ", "))
	}
	if d.Bruteforce.Action == ActionTinyQueue {
		w("")
		w("# Abusers are kept in the tiny queue instead of being blocked (last match wins).")
		for _, t := range d.fileTables() {
			ports := d.portsOf(t)
			if len(ports) == 0 {
				continue
			}
			w("pass in on egress proto tcp from <%s> to port %s set queue %s", t.name, portList(ports), abuserQueueName)
		}
	}
	return b.String()
}

// portsOf lists the service ports whose overload table is t; a peer's
// table covers every service.
func (d *MailGW) portsOf(t fileTable) []string {
	var ps []string
	for _, s := range d.Bruteforce.Services {
		if t.peer != nil || s.Table == t.name {
			ps = append(ps, s.Port)
		}
	}
	return ps
}

func portList(ps []string) string {
	if len(ps) == 1 {
		return ps[0]
	}
	return "{ " + strings.Join(ps, " ") + " }"
}

// syncPeers splits sync.targets into unicast addresses and whether any
// multicast (iface[:ttl]) target exists.
func (d *MailGW) syncPeers() (unicast []string, multicast bool) {
	for _, t := range d.Sync.Targets {
		if _, err := netip.ParseAddr(t); err == nil {
			unicast = append(unicast, t)
		} else {
			multicast = true
		}
	}
	return unicast, multicast
}

// sharedAddrSpace is RFC 6598's carrier-grade NAT range, private as well.
var sharedAddrSpace = netip.MustParsePrefix("100.64.0.0/10")
