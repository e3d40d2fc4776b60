package firewall

import (
	"fmt"
	"net/netip"
	"strings"
)

// RenderSpamdConf returns /etc/mail/spamd.conf for d (defaults applied,
// valid): the mandatory `all` entry listing the lists in order, then one
// getcap entry per list. URLs carry no scheme; spamd-setup adds method://.
func RenderSpamdConf(d *MailGW) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n", SpamdConf, generatedHeader)
	b.WriteString("# Lists apply in the order of \"all\"; a white list amends the black list before it.\n\n")
	if len(d.Blacklists) == 0 {
		b.WriteString("all:\n")
		return b.String()
	}
	b.WriteString("all:\\\n\t:")
	for _, l := range d.Blacklists {
		b.WriteString(l.Name + ":")
	}
	b.WriteString("\n")
	for _, l := range d.Blacklists {
		fmt.Fprintf(&b, "\n%s:\\\n\t:%s:\\\n", l.Name, l.Type)
		if l.Type == "black" {
			fmt.Fprintf(&b, "\t:msg=\"%s\":\\\n", l.Msg)
		}
		fmt.Fprintf(&b, "\t:method=%s:\\\n\t:file=%s:\n", l.Method, l.File)
	}
	return b.String()
}

// spamdFlags is spamd_flags for rc.conf.local.
func (d *MailGW) spamdFlags(opts Options) string {
	s := d.Spamd
	var f []string
	if *s.Verbose {
		f = append(f, "-v")
	}
	if s.Mode == SpamdGreylist {
		f = append(f, fmt.Sprintf("-G %d:%d:%d", s.Greylist.Passtime, s.Greylist.Greyexp, s.Greylist.Whiteexp))
	}
	host := s.BannerHostname
	if host == "" {
		host = opts.Hostname
	}
	if host != "" {
		f = append(f, "-h "+host)
	}
	if s.ReplyCode == 550 {
		f = append(f, "-5")
	} else {
		f = append(f, "-4")
	}
	f = append(f, fmt.Sprintf("-c %d -B %d", s.MaxCon, s.MaxBlack))
	if s.LowPriorityMX != "" {
		f = append(f, "-M "+s.LowPriorityMX)
	}
	if s.TLS != nil {
		f = append(f, "-C "+s.TLS.Cert, "-K "+s.TLS.Key)
	}
	if d.Sync.ListenInterface != "" {
		f = append(f, "-y "+d.syncListener())
	}
	for _, t := range d.Sync.Targets {
		f = append(f, "-Y "+t)
	}
	return strings.Join(f, " ")
}

// syncListener is spamd's -y argument. With a multicast target it must
// be that target as written, TTL included: sync_init compares the -y and
// -Y strings and spamd exits with "multicast interface does not match"
// when they differ (Validate keeps the target on listen_interface).
func (d *MailGW) syncListener() string {
	for _, t := range d.Sync.Targets {
		if _, err := netip.ParseAddr(t); err != nil {
			return t
		}
	}
	return d.Sync.ListenInterface
}

// spamlogdFlags is spamlogd_flags: the real egress interface, and the
// same whitelist expiry as spamd's -G.
func (d *MailGW) spamlogdFlags() string {
	f := []string{"-i " + d.EgressInterface}
	if d.Spamlogd.InboundOnly {
		f = append(f, "-I")
	}
	if d.Spamlogd.Pflog != "pflog0" {
		f = append(f, "-l "+d.Spamlogd.Pflog)
	}
	f = append(f, fmt.Sprintf("-W %d", d.Spamlogd.WhiteexpHours))
	for _, t := range d.Sync.Targets {
		f = append(f, "-Y "+t)
	}
	return strings.Join(f, " ")
}

// rcctlCommands are the rc.conf.local settings as rcctl(8) commands.
func (d *MailGW) rcctlCommands(opts Options) []string {
	black := "disable"
	if d.Spamd.Mode == SpamdBlacklist {
		black = "enable"
	}
	return []string{
		"rcctl enable spamd",
		"rcctl set spamd flags " + d.spamdFlags(opts),
		"rcctl " + black + " spamd_black",
		"rcctl enable spamlogd",
		"rcctl set spamlogd flags " + d.spamlogdFlags(),
	}
}
