package firewall

// MailGW is the roles.mailgw section of a profile: the spamd/PF mail
// gateway. Its keys are the parameters of the mail gateway reference,
// section 6. A zero field means "use the default"; WithDefaults fills
// them in, and Validate checks what the profile gave.
type MailGW struct {
	EgressInterface string      `yaml:"egress_interface" json:"egress_interface"`
	InsideInterface string      `yaml:"inside_interface,omitempty" json:"inside_interface,omitempty"`
	MailServer      MailServer  `yaml:"mail_server,omitempty" json:"mail_server,omitempty"`
	SMTPIPv6        string      `yaml:"smtp_ipv6,omitempty" json:"smtp_ipv6,omitempty"` // block-return | pass-direct
	Spamd           Spamd       `yaml:"spamd,omitempty" json:"spamd,omitempty"`
	Sync            Sync        `yaml:"sync,omitempty" json:"sync,omitempty"`
	Spamlogd        Spamlogd    `yaml:"spamlogd,omitempty" json:"spamlogd,omitempty"`
	Blacklists      []Blacklist `yaml:"blacklists,omitempty" json:"blacklists,omitempty"` // nil: the stock nixspam list
	SpamdSetup      SpamdSetup  `yaml:"spamd_setup,omitempty" json:"spamd_setup,omitempty"`
	NospamdFile     string      `yaml:"nospamd_file,omitempty" json:"nospamd_file,omitempty"`
	AllowedDomains  []string    `yaml:"allowed_domains,omitempty" json:"allowed_domains,omitempty"`
	Spamtraps       Spamtraps   `yaml:"spamtraps,omitempty" json:"spamtraps,omitempty"`
	Bruteforce      Bruteforce  `yaml:"bruteforce,omitempty" json:"bruteforce,omitempty"`
	Tables          Tables      `yaml:"tables,omitempty" json:"tables,omitempty"`
	Queues          Queues      `yaml:"queues,omitempty" json:"queues,omitempty"`
	Peers           Peers       `yaml:"peers,omitempty" json:"peers,omitempty"`
	Publish         Publish     `yaml:"publish,omitempty" json:"publish,omitempty"`
	Syslog          Syslog      `yaml:"syslog,omitempty" json:"syslog,omitempty"`
	PF              PFOptions   `yaml:"pf,omitempty" json:"pf,omitempty"`
}

// MailServer says where accepted mail goes: the MTA on the gateway
// (local) or a server behind it (forward, by rdr-to).
type MailServer struct {
	Mode    string `yaml:"mode,omitempty" json:"mode,omitempty"`       // local | forward
	Address string `yaml:"address,omitempty" json:"address,omitempty"` // IPv4, required for forward
}

// Spamd is spamd(8)'s mode and flags.
type Spamd struct {
	Mode           string    `yaml:"mode,omitempty" json:"mode,omitempty"` // greylist | blacklist-only
	Greylist       Greylist  `yaml:"greylist,omitempty" json:"greylist,omitempty"`
	BannerHostname string    `yaml:"banner_hostname,omitempty" json:"banner_hostname,omitempty"` // -h; default the system FQDN
	Verbose        *bool     `yaml:"verbose,omitempty" json:"verbose,omitempty"`                 // -v; default true
	ReplyCode      int       `yaml:"reply_code,omitempty" json:"reply_code,omitempty"`           // 450 (-4) | 550 (-5)
	MaxCon         int       `yaml:"maxcon,omitempty" json:"maxcon,omitempty"`                   // -c
	MaxBlack       int       `yaml:"maxblack,omitempty" json:"maxblack,omitempty"`               // -B
	LowPriorityMX  string    `yaml:"low_priority_mx,omitempty" json:"low_priority_mx,omitempty"` // -M, IPv4
	TLS            *SpamdTLS `yaml:"tls,omitempty" json:"tls,omitempty"`                         // -C/-K
}

// Greylist is spamd's -G passtime:greyexp:whiteexp (minutes:hours:hours).
type Greylist struct {
	Passtime int `yaml:"passtime,omitempty" json:"passtime,omitempty"`
	Greyexp  int `yaml:"greyexp,omitempty" json:"greyexp,omitempty"`
	Whiteexp int `yaml:"whiteexp,omitempty" json:"whiteexp,omitempty"`
}

// SpamdTLS is the certificate and key spamd offers with STARTTLS.
type SpamdTLS struct {
	Cert string `yaml:"cert" json:"cert"`
	Key  string `yaml:"key" json:"key"`
}

// Sync is spamd's greylist synchronisation with peers (-y/-Y).
type Sync struct {
	ListenInterface string   `yaml:"listen_interface,omitempty" json:"listen_interface,omitempty"`
	Targets         []string `yaml:"targets,omitempty" json:"targets,omitempty"` // IPv4 or iface[:ttl]
	KeyFile         string   `yaml:"key_file,omitempty" json:"key_file,omitempty"`
}

// Spamlogd is spamlogd(8)'s flags.
type Spamlogd struct {
	Pflog         string `yaml:"pflog,omitempty" json:"pflog,omitempty"`
	InboundOnly   bool   `yaml:"inbound_only,omitempty" json:"inbound_only,omitempty"`
	WhiteexpHours int    `yaml:"whiteexp_hours,omitempty" json:"whiteexp_hours,omitempty"`
}

// Blacklist is one entry of spamd.conf, applied in list order.
type Blacklist struct {
	Name   string `yaml:"name" json:"name"`
	Type   string `yaml:"type" json:"type"`                         // black | white
	Method string `yaml:"method,omitempty" json:"method,omitempty"` // http | https | ftp | file (default file)
	File   string `yaml:"file" json:"file"`                         // URL without scheme, or a path
	Msg    string `yaml:"msg,omitempty" json:"msg,omitempty"`       // required for black lists
}

// SpamdSetup is when cron runs spamd-setup(8).
type SpamdSetup struct {
	Schedule string `yaml:"schedule,omitempty" json:"schedule,omitempty"`
}

// Spamtraps is the role's list of trap addresses, reconciled with spamdb.
type Spamtraps struct {
	File      string `yaml:"file,omitempty" json:"file,omitempty"`             // on the gateway, one address a line
	ValidFile string `yaml:"valid_file,omitempty" json:"valid_file,omitempty"` // real mailboxes, never trapped
	Schedule  string `yaml:"schedule,omitempty" json:"schedule,omitempty"`     // reconciliation; default hourly
}

// Bruteforce is the overload protection of exposed services.
type Bruteforce struct {
	Table         string    `yaml:"table,omitempty" json:"table,omitempty"`
	Services      []Service `yaml:"services,omitempty" json:"services,omitempty"`
	Action        string    `yaml:"action,omitempty" json:"action,omitempty"` // block | tiny-queue
	ExpireSeconds int       `yaml:"expire_seconds,omitempty" json:"expire_seconds,omitempty"`
}

// Service is one exposed TCP service with its connection limits.
type Service struct {
	Port           string `yaml:"port" json:"port"` // services(5) name or number
	MaxSrcConn     int    `yaml:"max_src_conn,omitempty" json:"max_src_conn,omitempty"`
	MaxSrcConnRate string `yaml:"max_src_conn_rate,omitempty" json:"max_src_conn_rate,omitempty"` // N/S
	Table          string `yaml:"table,omitempty" json:"table,omitempty"`                         // default bruteforce.table
}

// Tables is where file-backed tables live and when they are dumped.
type Tables struct {
	Dir          string `yaml:"dir,omitempty" json:"dir,omitempty"`
	DumpSchedule string `yaml:"dump_schedule,omitempty" json:"dump_schedule,omitempty"`
}

// Queues is the optional HFSC queue tree with the tiny abuser queue.
type Queues struct {
	Enabled         bool   `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	UplinkBandwidth string `yaml:"uplink_bandwidth,omitempty" json:"uplink_bandwidth,omitempty"`
	DefaultShare    string `yaml:"default_share,omitempty" json:"default_share,omitempty"`
	Abuser          Abuser `yaml:"abuser,omitempty" json:"abuser,omitempty"`
}

// Abuser is the tiny queue brute-forcers are passed into.
type Abuser struct {
	Bandwidth string `yaml:"bandwidth,omitempty" json:"bandwidth,omitempty"`
	Min       string `yaml:"min,omitempty" json:"min,omitempty"`
	Max       string `yaml:"max,omitempty" json:"max,omitempty"`
	Qlimit    int    `yaml:"qlimit,omitempty" json:"qlimit,omitempty"`
}

// Peers lists partners whose published brute-force tables are merged,
// each into its own table so that their expiry stays theirs.
type Peers struct {
	MergeSources []PeerSource `yaml:"merge_sources,omitempty" json:"merge_sources,omitempty"`
}

// PeerSource is one partner's published list.
type PeerSource struct {
	Name string `yaml:"name" json:"name"` // table <bruteforce_NAME>
	URL  string `yaml:"url" json:"url"`   // http(s)://host/path or an absolute path
}

// Publish is the hourly publication of trap and table dumps.
type Publish struct {
	Schedule string            `yaml:"schedule,omitempty" json:"schedule,omitempty"`
	Paths    map[string]string `yaml:"paths,omitempty" json:"paths,omitempty"` // traplist or a table name -> file
	Header   PublishHeader     `yaml:"header,omitempty" json:"header,omitempty"`
}

// PublishHeader is what the `#` lines of a published dump say.
type PublishHeader struct {
	Generator string `yaml:"generator,omitempty" json:"generator,omitempty"`
	Contact   string `yaml:"contact,omitempty" json:"contact,omitempty"`
}

// Syslog routes spamd's log lines.
type Syslog struct {
	SpamdFile string `yaml:"spamd_file,omitempty" json:"spamd_file,omitempty"`
}

// PFOptions are the pf.conf `set` options the role emits.
type PFOptions struct {
	Limits PFLimits `yaml:"limits,omitempty" json:"limits,omitempty"`
	Debug  string   `yaml:"debug,omitempty" json:"debug,omitempty"`
}

// PFLimits are `set limit` values.
type PFLimits struct {
	TableEntries int `yaml:"table_entries,omitempty" json:"table_entries,omitempty"`
}

// Problem is one invalid value in a MailGW, located by its key path
// relative to roles.mailgw (for example "bruteforce.services[0].max_src_conn").
type Problem struct {
	Path    string
	Message string
}
