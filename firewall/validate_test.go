package firewall

import (
	"strings"
	"testing"
)

// TestSpamdSyncListener: with a multicast target, spamd -y must name it
// exactly as -Y does (TTL included): sync_init compares the two strings
// and spamd exits with "multicast interface does not match" otherwise.
func TestSpamdSyncListener(t *testing.T) {
	tests := []struct {
		sync Sync
		want string
	}{
		{Sync{ListenInterface: "em1", Targets: []string{"192.0.2.10", "em1:2"}}, "-y em1:2 -Y 192.0.2.10 -Y em1:2"},
		{Sync{ListenInterface: "em1", Targets: []string{"em1"}}, "-y em1 -Y em1"},
		{Sync{ListenInterface: "em1", Targets: []string{"192.0.2.10"}}, "-y em1 -Y 192.0.2.10"},
		{Sync{ListenInterface: "em1"}, "-y em1"},
	}
	for _, tt := range tests {
		g := &MailGW{EgressInterface: "em0", Sync: tt.sync}
		if ps := g.Validate(); len(ps) != 0 {
			t.Errorf("Validate(%+v) = %v", tt.sync, ps)
			continue
		}
		if got := g.WithDefaults().spamdFlags(Options{}); !strings.HasSuffix(got, " "+tt.want) {
			t.Errorf("spamdFlags(%+v) = %q, want it to end in %q", tt.sync, got, tt.want)
		}
	}
}

func TestValidatePFDebugLevels(t *testing.T) {
	for _, lvl := range []string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"} {
		g := &MailGW{EgressInterface: "em0", PF: PFOptions{Debug: lvl}}
		if ps := g.Validate(); len(ps) != 0 {
			t.Errorf("Validate(pf.debug %s) = %v, want none", lvl, ps)
		}
	}
}

func TestValidateDefaultsAreValid(t *testing.T) {
	g := &MailGW{EgressInterface: "em0"}
	if ps := g.Validate(); len(ps) != 0 {
		t.Fatalf("Validate(minimal) = %v, want none", ps)
	}
	d := g.WithDefaults()
	if d.Spamd.Greylist != (Greylist{25, 4, 864}) || d.Spamd.MaxBlack != 700 || d.Bruteforce.ExpireSeconds != 86400 ||
		d.Tables.Dir != "/var/db/pf" || d.SpamdSetup.Schedule != "~ * * * *" || len(d.Bruteforce.Services) != 3 {
		t.Errorf("WithDefaults() = %+v", d)
	}
	if g.Spamd.Verbose != nil || g.Bruteforce.Services != nil {
		t.Error("WithDefaults changed its receiver")
	}
}

// TestValidateProblems checks that each bad value is reported at its
// key path, including values built to inject a rule, line or command.
func TestValidateProblems(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(g *MailGW)
		path   string
		substr string
	}{
		{"no egress", func(g *MailGW) { g.EgressInterface = "" }, "egress_interface", "required"},
		{"egress group", func(g *MailGW) { g.EgressInterface = "egress" }, "egress_interface", "not an interface"},
		{"egress injection", func(g *MailGW) { g.EgressInterface = "em0\npass all" }, "egress_interface", "not an interface"},
		// inet6 has the shape of an interface name but is a keyword:
		// "queue rootq on inet6" and "pass in on inet6" do not parse.
		{"keyword interface", func(g *MailGW) { g.Sync.ListenInterface = "inet6" }, "sync.listen_interface", "keyword"},
		{"forward without address", func(g *MailGW) { g.MailServer.Mode = "forward"; g.InsideInterface = "em1" }, "mail_server.address", "required"},
		{"forward without inside", func(g *MailGW) { g.MailServer = MailServer{Mode: "forward", Address: "10.0.0.25"} }, "inside_interface", "required"},
		{"address hostname", func(g *MailGW) {
			g.MailServer = MailServer{Mode: "forward", Address: "mail.example.org"}
			g.InsideInterface = "em1"
		}, "mail_server.address", "not an IPv4"},
		{"address in local mode", func(g *MailGW) { g.MailServer.Address = "10.0.0.25" }, "mail_server.address", "only used with mode: forward"},
		{"bad mode", func(g *MailGW) { g.MailServer.Mode = "relay" }, "mail_server.mode", "not a mode"},
		{"ipv6", func(g *MailGW) { g.SMTPIPv6 = "greylist" }, "smtp_ipv6", "not one of"},
		{"maxblack", func(g *MailGW) { g.Spamd.MaxCon = 50; g.Spamd.MaxBlack = 60 }, "spamd.maxblack", "not 1-maxcon"},
		{"reply", func(g *MailGW) { g.Spamd.ReplyCode = 451 }, "spamd.reply_code", "not 450 or 550"},
		{"banner", func(g *MailGW) { g.Spamd.BannerHostname = "mx -b" }, "spamd.banner_hostname", "not a host name"},
		{"whiteexp", func(g *MailGW) { g.Spamlogd.WhiteexpHours = 3000 }, "spamlogd.whiteexp_hours", "1-2160"},
		{"sync key elsewhere", func(g *MailGW) { g.Sync.KeyFile = "/etc/mail/peers.key" }, "sync.key_file", "only from /etc/mail/spamd.key"},
		{"nospamd file is pf.conf", func(g *MailGW) { g.NospamdFile = "/etc/pf.conf" }, "nospamd_file", "/etc/pf.conf is the role's own /etc/pf.conf"},
		{"spamd log into a table", func(g *MailGW) { g.Syslog.SpamdFile = "/var/db/pf/bruteforce.txt" }, "tables.dir", "/var/db/pf/bruteforce.txt is the file of syslog.spamd_file"},
		{"traps file is the setup script", func(g *MailGW) { g.Spamtraps = Spamtraps{File: SetupScript, Schedule: "*/10 * * * *"} }, "spamtraps.file", "the role's own"},
		{"sync target", func(g *MailGW) { g.Sync.Targets = []string{"192.0.2.1", "em1:999"} }, "sync.targets[1]", "ttl"},
		// spamd's sync_init refuses a -y interface that is not the -Y
		// multicast target, and keeps only the last multicast -Y.
		{"sync multicast elsewhere", func(g *MailGW) {
			g.Sync = Sync{ListenInterface: "em1", Targets: []string{"em2:2"}}
		}, "sync.targets[0]", "listen_interface"},
		{"sync two multicast", func(g *MailGW) { g.Sync.Targets = []string{"em1", "em2"} }, "sync.targets[1]", "one multicast"},
		{"msg quote", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "x", Type: "black", Method: "https", File: "example.org/x", Msg: `say "hi"`}}
		}, "blacklists[0].msg", "end the getcap string"},
		{"msg newline", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "x", Type: "black", Method: "https", File: "example.org/x", Msg: "a\nb"}}
		}, "blacklists[0].msg", "control"},
		{"msg caret", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "x", Type: "black", Method: "https", File: "example.org/x", Msg: "go away ^_^"}}
		}, "blacklists[0].msg", "getcap reads as the start of a control character"},
		{"msg missing", func(g *MailGW) { g.Blacklists = []Blacklist{{Name: "x", Type: "black", File: "/etc/mail/x"}} }, "blacklists[0].msg", "needs msg"},
		{"url scheme", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "x", Type: "black", Method: "https", File: "https://example.org/x", Msg: "m"}}
		}, "blacklists[0].file", "without a scheme"},
		{"white first", func(g *MailGW) { g.Blacklists = []Blacklist{{Name: "w", Type: "white", File: "/etc/mail/w"}} }, "blacklists[0].type", "amends"},
		{"schedule fields", func(g *MailGW) { g.SpamdSetup.Schedule = "* * * *" }, "spamd_setup.schedule", "5 fields"},
		{"schedule percent", func(g *MailGW) { g.Tables.DumpSchedule = "5 * * * %" }, "tables.dump_schedule", "day of week"},
		{"schedule range", func(g *MailGW) { g.Tables.DumpSchedule = "61 * * * *" }, "tables.dump_schedule", "minute"},
		{"tables dir tmp", func(g *MailGW) { g.Tables.Dir = "/var/tmp/pf" }, "tables.dir", "cleaned at boot"},
		{"nospamd quote", func(g *MailGW) { g.NospamdFile = `/etc/mail/no"spamd` }, "nospamd_file", "no spaces or quotes"},
		{"nospamd dotdot", func(g *MailGW) { g.NospamdFile = "/etc/../tmp/x" }, "nospamd_file", `".."`},
		{"table long", func(g *MailGW) { g.Bruteforce.Table = strings.Repeat("b", 32) }, "bruteforce.table", "at most 31"},
		{"table numeric", func(g *MailGW) { g.Bruteforce.Table = "444" }, "bruteforce.table", "number"},
		// pfctl's lexer reads <overload> as the keyword, and a leading -
		// as a minus sign: both are syntax errors in pf.conf.
		{"table keyword", func(g *MailGW) { g.Bruteforce.Table = "overload" }, "bruteforce.table", "keyword"},
		{"service table keyword", func(g *MailGW) {
			g.Bruteforce.Services = []Service{{Port: "ssh", MaxSrcConn: 5, Table: "block"}}
		}, "bruteforce.services[0].table", "keyword"},
		{"table dash", func(g *MailGW) { g.Bruteforce.Table = "-abusers" }, "bruteforce.table", "starts with -"},
		{"no limit", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "ssh"}} }, "bruteforce.services[0].max_src_conn", "overload"},
		{"bad rate", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "ssh", MaxSrcConnRate: "5/0"}} }, "bruteforce.services[0].max_src_conn_rate", "not a rate"},
		// pfctl refuses limits above UINT_MAX ("only positive values permitted").
		// A tuple must be retried after passtime and before greyexp.
		{"passtime beyond greyexp", func(g *MailGW) { g.Spamd.Greylist = Greylist{Passtime: 300, Greyexp: 4} }, "spamd.greylist.passtime", "not shorter than greyexp"},
		{"pflog not pflog", func(g *MailGW) { g.Spamlogd.Pflog = "em0" }, "spamlogd.pflog", "not a pflog interface"},
		{"huge rate", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "ssh", MaxSrcConnRate: "4294967296/5"}} }, "bruteforce.services[0].max_src_conn_rate", "not a rate"},
		// The kernel keeps the rate in fixed point: pfctl refuses more than
		// PF_THRESHOLD_MAX (4294967) connections.
		{"rate over threshold", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "ssh", MaxSrcConnRate: "4294968/5"}} }, "bruteforce.services[0].max_src_conn_rate", "at most 4294967/"},
		{"huge table_entries", func(g *MailGW) { g.PF.Limits.TableEntries = int(hugeLimit) }, "pf.limits.table_entries", "at most 4294967295"},
		{"huge expire", func(g *MailGW) { g.Bruteforce.ExpireSeconds = int(hugeLimit) }, "bruteforce.expire_seconds", "more than pfctl"},
		{"huge max_src_conn", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "ssh", MaxSrcConn: int(hugeLimit)}} }, "bruteforce.services[0].max_src_conn", "at most 4294967295"},
		{"smtp service", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "smtp", MaxSrcConn: 5}} }, "bruteforce.services[0].port", "spamd"},
		// services(5) lists mail as smtp's alias, and pfctl reads 025 as 25.
		{"smtp alias service", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "mail", MaxSrcConn: 5}} }, "bruteforce.services[0].port", "spamd"},
		{"smtp zero-padded service", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "025", MaxSrcConn: 5}} }, "bruteforce.services[0].port", "spamd"},
		// pfctl's lexer reads a keyword as itself, never as a service
		// name: "to port flags keep state" is a syntax error.
		{"keyword service", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "flags", MaxSrcConn: 5}} }, "bruteforce.services[0].port", "keyword"},
		{"dup service", func(g *MailGW) {
			g.Bruteforce.Services = []Service{{Port: "ssh", MaxSrcConn: 5}, {Port: "ssh", MaxSrcConn: 6}}
		}, "bruteforce.services[1].port", "already listed"},
		{"tiny without queues", func(g *MailGW) { g.Bruteforce.Action = "tiny-queue" }, "bruteforce.action", "queues.enabled"},
		{"queues no uplink", func(g *MailGW) { g.Queues.Enabled = true }, "queues.uplink_bandwidth", "required"},
		{"queues percent", func(g *MailGW) { g.Queues = Queues{Enabled: true, UplinkBandwidth: "90%"} }, "queues.uplink_bandwidth", "percentage"},
		{"queues oversubscribed", func(g *MailGW) { g.Queues = Queues{Enabled: true, UplinkBandwidth: "10M", DefaultShare: "10M"} }, "queues.default_share", "exceeds"},
		{"peer url", func(g *MailGW) { g.Peers.MergeSources = []PeerSource{{Name: "p", URL: "https://x.example/a;reboot"}} }, "peers.merge_sources[0].url", "URL"},
		{"peer name long", func(g *MailGW) {
			g.Peers.MergeSources = []PeerSource{{Name: strings.Repeat("p", 25), URL: "/var/db/p"}}
		}, "peers.merge_sources[0].name", "31"},
		{"publish unknown", func(g *MailGW) { g.Publish.Paths = map[string]string{"nosuch": "/var/www/x"} }, "publish.paths.nosuch", "neither"},
		{"publish contact", func(g *MailGW) {
			g.Publish.Paths = map[string]string{"traplist": "/var/www/t"}
			g.Publish.Header.Contact = "me'; reboot"
		}, "publish.header.contact", "allowed"},
		// The publish script renames its list over the path every hour.
		{"publish over pf.conf", func(g *MailGW) { g.Publish.Paths = map[string]string{"traplist": "/etc/pf.conf"} }, "publish.paths.traplist", "the role's own /etc/pf.conf"},
		{"publish over a table file", func(g *MailGW) {
			g.Publish.Paths = map[string]string{"bruteforce": "/var/db/pf/bruteforce.txt"}
		}, "publish.paths.bruteforce", "the file of tables.dir"},
		{"publish twice to one file", func(g *MailGW) {
			g.Publish.Paths = map[string]string{"traplist": "/var/www/htdocs/x.txt", "bruteforce": "/var/www/htdocs/x.txt"}
		}, "publish.paths.traplist", "the file of publish.paths.bruteforce"},
		{"traps without file", func(g *MailGW) { g.Spamtraps.ValidFile = "/etc/mail/valid" }, "spamtraps.file", "required"},
		{"debug", func(g *MailGW) { g.PF.Debug = "loud" }, "pf.debug", "not a level"},
		// pfctl takes syslog level names; the old pf levels none and
		// urgent make it refuse the whole ruleset.
		{"debug none", func(g *MailGW) { g.PF.Debug = "none" }, "pf.debug", "not a level"},
		{"debug urgent", func(g *MailGW) { g.PF.Debug = "urgent" }, "pf.debug", "not a level"},
		{"tls", func(g *MailGW) { g.Spamd.TLS = &SpamdTLS{Cert: "/etc/ssl/x.crt", Key: "key"} }, "spamd.tls.key", "absolute"},
		// IFNAMSIZ is 16 with the NUL.
		{"interface of 16 characters", func(g *MailGW) { g.EgressInterface = "abcdefghijklmn12" }, "egress_interface", "not an interface"},
		{"broadcast mail server", func(g *MailGW) {
			g.MailServer = MailServer{Mode: "forward", Address: "255.255.255.255"}
			g.InsideInterface = "em1"
		}, "mail_server.address", "not a unicast"},
		// A path with a . part names another file's path in other words,
		// which the clash check would miss.
		{"dot in a path", func(g *MailGW) { g.NospamdFile = "/etc/./pf.conf" }, "nospamd_file", `"."`},
		{"path ending in /", func(g *MailGW) { g.NospamdFile = "/etc/mail/nospamd/" }, "nospamd_file", "ends in /"},
		{"port 65536", func(g *MailGW) { g.Bruteforce.Services = []Service{{Port: "65536", MaxSrcConn: 5}} }, "bruteforce.services[0].port", "out of range"},
		{"banner label of 64", func(g *MailGW) { g.Spamd.BannerHostname = strings.Repeat("m", 64) + ".example.org" }, "spamd.banner_hostname", "not a host name"},
		{"banner of 254", func(g *MailGW) { g.Spamd.BannerHostname = strings.Repeat("m.", 126) + "mm" }, "spamd.banner_hostname", "not a host name"},
		{"msg percent d", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "x", Type: "black", Method: "https", File: "example.org/x", Msg: "blocked 100%d"}}
		}, "blacklists[0].msg", "not followed by A"},
		{"sync ttl 256", func(g *MailGW) { g.Sync = Sync{ListenInterface: "em1", Targets: []string{"em1:256"}} }, "sync.targets[0]", "ttl"},
		{"passtime equal to greyexp", func(g *MailGW) { g.Spamd.Greylist = Greylist{Passtime: 240, Greyexp: 4} }, "spamd.greylist.passtime", "not shorter than greyexp"},
		{"greylist whiteexp", func(g *MailGW) { g.Spamd.Greylist.Whiteexp = 2161 }, "spamd.greylist.whiteexp", "1-2160"},
		{"expire under a minute", func(g *MailGW) { g.Bruteforce.ExpireSeconds = 59 }, "bruteforce.expire_seconds", "less than 60"},
		{"peer list under /tmp", func(g *MailGW) { g.Peers.MergeSources = []PeerSource{{Name: "p", URL: "/tmp/peer.txt"}} }, "peers.merge_sources[0].url", "outside /tmp"},
		{"pass-direct in forward mode", func(g *MailGW) {
			g.MailServer = MailServer{Mode: "forward", Address: "10.0.0.25"}
			g.InsideInterface, g.SMTPIPv6 = "em1", "pass-direct"
		}, "smtp_ipv6", "pass-direct needs the MTA on the gateway"},
		{"spamtraps schedule", func(g *MailGW) { g.Spamtraps = Spamtraps{File: "/etc/mail/spamtraps", Schedule: "61 * * * *"} }, "spamtraps.schedule", "minute"},
		// pfctl: "qlimit out of range: max 65535".
		{"qlimit 65536", func(g *MailGW) { g.Queues.Abuser.Qlimit = 65536 }, "queues.abuser.qlimit", "not 1-65535"},
		{"service table spamd-white", func(g *MailGW) {
			g.Bruteforce.Services = []Service{{Port: "ssh", MaxSrcConn: 5, Table: "spamd-white"}}
		}, "bruteforce.services[0].table", "is a spamd table"},
		{"low priority MX by name", func(g *MailGW) { g.Spamd.LowPriorityMX = "mx2.example.org" }, "spamd.low_priority_mx", "not an IPv4"},
		{"list named all", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "all", Type: "black", Method: "https", File: "example.org/x", Msg: "m"}}
		}, "blacklists[0].name", "reserved"},
		{"list twice", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "x", Type: "black", Method: "https", File: "example.org/x", Msg: "m"}, {Name: "x", Type: "black", Method: "https", File: "example.org/y", Msg: "m"}}
		}, "blacklists[1].name", "listed twice"},
		{"white list with msg", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "x", Type: "black", Method: "https", File: "example.org/x", Msg: "m"}, {Name: "w", Type: "white", File: "/etc/mail/w", Msg: "m"}}
		}, "blacklists[1].msg", "only black lists"},
		{"peer twice", func(g *MailGW) {
			g.Peers.MergeSources = []PeerSource{{Name: "p", URL: "/var/db/p1"}, {Name: "p", URL: "/var/db/p2"}}
		}, "peers.merge_sources[1].name", "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &MailGW{EgressInterface: "em0"}
			tt.mod(g)
			ps := g.Validate()
			for _, p := range ps {
				if p.Path == tt.path && strings.Contains(p.Message, tt.substr) {
					return
				}
			}
			t.Errorf("Validate() = %v, want a problem at %s containing %q", ps, tt.path, tt.substr)
		})
	}
}

// TestValidateReportsEveryProblem makes sure Validate does not stop at
// the first problem.
func TestValidateReportsEveryProblem(t *testing.T) {
	g := &MailGW{
		EgressInterface: "egress",
		SMTPIPv6:        "x",
		Spamd:           Spamd{ReplyCode: 1},
		Tables:          Tables{Dir: "/tmp"},
		Bruteforce:      Bruteforce{Action: "x", Services: []Service{{Port: "ssh"}}},
	}
	if ps := g.Validate(); len(ps) < 6 {
		t.Errorf("Validate() found %d problems, want at least 6: %v", len(ps), ps)
	}
}

func TestCheckScheduleForms(t *testing.T) {
	for _, s := range []string{"~ * * * *", "0~30 * * * *", "*/10 * * * *", "5,35 1-5 * jan-mar mon", "@hourly", "15 * * * 7"} {
		if msg := checkSchedule(s); msg != "" {
			t.Errorf("checkSchedule(%q) = %q, want ok", s, msg)
		}
	}
	// The rejections below follow OpenBSD cron's get_range and set_range:
	// a range must not run backwards, and a step may not exceed the
	// field's span (high+1-low) nor the range's end counted from low.
	// get_number compares names with strcasecmp, and a~b may be one value.
	for _, s := range []string{"*/60 * * * *", "0 0 */31 * *", "0 0 1 */12 *", "50-55/10 * * * *", "0 0 * * 5-7", "~/5 * * * *",
		"0 0 * JAN Mon", "5~5 * * * *", "0~10/11 * * * *"} {
		if msg := checkSchedule(s); msg != "" {
			t.Errorf("checkSchedule(%q) = %q, want ok", s, msg)
		}
	}
	for _, s := range []string{"@reboot", "* * * * * *", "*  * * * *", "*/0 * * * *", "a * * * *", "5 * * * *\n",
		"30-10 * * * *", "50~10 * * * *", "0 0 * * fri-sun", "0 0 */32 * *", "0 0 1 */13 *", "0-5/10 * * * *", "0 0 1-3/4 * *",
		// strtonum refuses a day or month 0; a single number takes no
		// step; a random range's step counts to its own end.
		"0 0 0 * *", "0 0 * 0 *", "5/10 * * * *", "0~10/12 * * * *"} {
		if checkSchedule(s) == "" {
			t.Errorf("checkSchedule(%q) accepted", s)
		}
	}
}

func TestNormalizeNames(t *testing.T) {
	g := &MailGW{EgressInterface: "em0", AllowedDomains: []string{"Example.ORG"}, Spamd: Spamd{BannerHostname: "MX.Example.org"}}
	if ps := g.Validate(); len(ps) != 0 {
		t.Fatalf("Validate() = %v", ps)
	}
	d := g.WithDefaults()
	if d.AllowedDomains[0] != "example.org" || d.Spamd.BannerHostname != "mx.example.org" {
		t.Errorf("WithDefaults() names = %q, %q", d.AllowedDomains, d.Spamd.BannerHostname)
	}
	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{Hostname: "MX.Example.org"})
	if err != nil || !strings.Contains(string(files[SetupScript].Data), "-h mx.example.org ") {
		t.Errorf("Render with an uppercase hostname: %v", err)
	}
}

func TestParseBandwidth(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"1K", 1000, true},
		{"95M", 95e6, true},
		{"1Gb", 1e9, true},
		{"9223372036G", 9223372036e9, true},
		// pfctl refuses more than LLONG_MAX bits per second ("bandwidth
		// number too big"); these used to wrap around in uint64.
		{"9223372037G", 0, false},
		{"1000000000000G", 0, false},
		{"10%", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseBandwidth(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseBandwidth(%q) = %d, %v, want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// hugeLimit is one above pfctl's UINT_MAX limit, as a variable so that the
// tests build where int has 32 bits.
var hugeLimit int64 = 1 << 32

// TestValidatePasstimeOutOfRangeOnce: a passtime outside 1-1440 is one
// problem, not also the passtime/greyexp combination.
func TestValidatePasstimeOutOfRangeOnce(t *testing.T) {
	g := &MailGW{EgressInterface: "em0", Spamd: Spamd{Greylist: Greylist{Passtime: 2000}}}
	var at []Problem
	for _, p := range g.Validate() {
		if p.Path == "spamd.greylist.passtime" {
			at = append(at, p)
		}
	}
	if len(at) != 1 || !strings.Contains(at[0].Message, "is not 1-1440 minutes") {
		t.Errorf("Validate() at spamd.greylist.passtime = %v, want the range problem alone", at)
	}
}

// TestTLSCertAndKeyInOneFile: a certificate and its key may share one PEM
// file; that is no clash between two settings.
func TestTLSCertAndKeyInOneFile(t *testing.T) {
	g := &MailGW{EgressInterface: "em0", Spamd: Spamd{TLS: &SpamdTLS{Cert: "/etc/ssl/private/mx.pem", Key: "/etc/ssl/private/mx.pem"}}}
	if ps := g.Validate(); len(ps) != 0 {
		t.Errorf("Validate() = %v, want none", ps)
	}
}
