package firewall

import (
	"maps"
	"strings"
)

// Defaults of reference section 6. They are spamd's own defaults where
// one exists, and Hansteen's published values for brute-force limits.
const (
	DefaultTableDir      = "/var/db/pf"
	DefaultNospamdFile   = "/etc/mail/nospamd"
	DefaultSyncKeyFile   = "/etc/mail/spamd.key"
	DefaultSpamdLog      = "/var/log/spamd"
	DefaultBruteTable    = "bruteforce"
	DefaultExpireSeconds = 86400
	DefaultTableEntries  = 200000

	ModeLocal         = "local"
	ModeForward       = "forward"
	SpamdGreylist     = "greylist"
	SpamdBlacklist    = "blacklist-only"
	IPv6BlockReturn   = "block-return"
	IPv6PassDirect    = "pass-direct"
	ActionBlock       = "block"
	ActionTinyQueue   = "tiny-queue"
	TraplistSource    = "traplist" // publish.paths key for spamd's greytrapped IPs
	abuserQueueName   = "spamd"
	defaultQueueName  = "std"
	rootQueueName     = "rootq"
	spamdWhiteTable   = "spamd-white"
	nospamdTable      = "nospamd"
	spamdBlackTable   = "spamd"
	syncPeersTable    = "spamd-sync"
	traplistLifetimeS = 86400 // spamd's TRAPEXP
)

// DefaultBlacklists is the stock spamd.conf: the nixspam mirror only.
func DefaultBlacklists() []Blacklist {
	return []Blacklist{{
		Name:   "nixspam",
		Type:   "black",
		Method: "https",
		File:   "www.openbsd.org/spamd/nixspam.gz",
		Msg:    "Your address %A is in the nixspam list. See http://www.heise.de/ix/nixspam/dnsbl_en/ for details",
	}}
}

// DefaultServices are the brute-force limits of the Book of PF: ssh 15
// connections and 5 per 3 s; mail retrieval 100 and 15 per 5 s.
func DefaultServices() []Service {
	return []Service{
		{Port: "ssh", MaxSrcConn: 15, MaxSrcConnRate: "5/3"},
		{Port: "pop3s", MaxSrcConn: 100, MaxSrcConnRate: "15/5"},
		{Port: "imaps", MaxSrcConn: 100, MaxSrcConnRate: "15/5"},
	}
}

// WithDefaults returns a copy of g with every unset parameter given its
// default and host and domain names lowercased. g itself is not changed. Values that cannot be defaulted
// (egress_interface, an invalid mode) are left as they are for Validate.
func (g *MailGW) WithDefaults() *MailGW {
	d := *g
	// Host and domain names are compared and written in lowercase.
	d.AllowedDomains = make([]string, len(g.AllowedDomains))
	for i, dom := range g.AllowedDomains {
		d.AllowedDomains[i] = strings.ToLower(dom)
	}
	d.Spamd.BannerHostname = strings.ToLower(g.Spamd.BannerHostname)
	d.Sync.Targets = append([]string(nil), g.Sync.Targets...)
	d.Peers.MergeSources = append([]PeerSource(nil), g.Peers.MergeSources...)
	d.Publish.Paths = maps.Clone(g.Publish.Paths)
	def(&d.MailServer.Mode, ModeLocal)
	def(&d.SMTPIPv6, IPv6BlockReturn)

	s := &d.Spamd
	def(&s.Mode, SpamdGreylist)
	defInt(&s.Greylist.Passtime, 25)
	defInt(&s.Greylist.Greyexp, 4)
	defInt(&s.Greylist.Whiteexp, 864)
	if s.Verbose == nil {
		t := true
		s.Verbose = &t
	} else {
		v := *s.Verbose
		s.Verbose = &v
	}
	defInt(&s.ReplyCode, 450)
	defInt(&s.MaxCon, 800)
	if s.MaxCon > 100 {
		defInt(&s.MaxBlack, s.MaxCon-100)
	} else {
		defInt(&s.MaxBlack, s.MaxCon)
	}
	if s.TLS != nil {
		t := *s.TLS
		s.TLS = &t
	}

	if len(d.Sync.Targets) > 0 || d.Sync.ListenInterface != "" {
		def(&d.Sync.KeyFile, DefaultSyncKeyFile)
	}
	def(&d.Spamlogd.Pflog, "pflog0")
	defInt(&d.Spamlogd.WhiteexpHours, s.Greylist.Whiteexp)
	if g.Blacklists == nil {
		d.Blacklists = DefaultBlacklists()
	} else {
		d.Blacklists = append([]Blacklist(nil), g.Blacklists...)
	}
	for i := range d.Blacklists {
		def(&d.Blacklists[i].Method, "file")
	}
	def(&d.SpamdSetup.Schedule, "~ * * * *")
	def(&d.NospamdFile, DefaultNospamdFile)
	if d.Spamtraps.File != "" {
		def(&d.Spamtraps.Schedule, "45 * * * *")
	}

	b := &d.Bruteforce
	def(&b.Table, DefaultBruteTable)
	if g.Bruteforce.Services == nil {
		b.Services = DefaultServices()
	} else {
		b.Services = append([]Service(nil), g.Bruteforce.Services...)
	}
	for i := range b.Services {
		def(&b.Services[i].Table, b.Table)
	}
	def(&b.Action, ActionBlock)
	defInt(&b.ExpireSeconds, DefaultExpireSeconds)

	def(&d.Tables.Dir, DefaultTableDir)
	def(&d.Tables.DumpSchedule, "5 * * * *")

	q := &d.Queues
	def(&q.Abuser.Bandwidth, "1K")
	def(&q.Abuser.Min, "0K")
	def(&q.Abuser.Max, "1K")
	defInt(&q.Abuser.Qlimit, 300)
	if q.Enabled && q.DefaultShare == "" {
		up, err1 := ParseBandwidth(q.UplinkBandwidth)
		ab, err2 := ParseBandwidth(q.Abuser.Bandwidth)
		if err1 == nil && err2 == nil && up > ab {
			q.DefaultShare = FormatBandwidth(up - ab)
		}
	}

	if len(d.Publish.Paths) > 0 {
		def(&d.Publish.Schedule, "15 * * * *")
		def(&d.Publish.Header.Generator, "fugu mail gateway")
	}
	def(&d.Syslog.SpamdFile, DefaultSpamdLog)
	defInt(&d.PF.Limits.TableEntries, DefaultTableEntries)
	def(&d.PF.Debug, "notice")
	return &d
}

func def(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

func defInt(n *int, v int) {
	if *n == 0 {
		*n = v
	}
}
