package packages

import "strings"

// The tables below are a small excerpt of the quirks package (ports
// devel/quirks, files/Quirks.pm), which pkg_add consults on updates but
// not for fresh pkg_add -l lists of stem--flavor names (see the
// reference, section 1.6). Source: openbsd/ports devel/quirks/files/Quirks.pm
// rev 1.1258 (2021-04-28): $stem_extensions, $obsolete_reason and
// $base_exceptions, plus older revisions for the base entries.

// renames maps an old stem to its replacement ($stem_extensions).
var renames = map[string]string{
	"letsencrypt":       "certbot",
	"gettext":           "gettext-runtime",
	"mysql-server":      "mariadb-server",
	"mysql-client":      "mariadb-client",
	"ipython":           "ipython3",
	"bro":               "zeek",
	"fam":               "libgamin",
	"teTeX_base":        "texlive_base",
	"py3-distribute":    "py3-setuptools",
	"thunar-vcs-plugin": "thunar-vcs",
}

// inBase maps a stem to the base-system file that replaced the package
// ($base_exceptions): such an entry needs no package at all. An empty
// file means the source was not checked for it.
var inBase = map[string]string{
	"tmux":        "/usr/bin/tmux",
	"nsd":         "/usr/sbin/nsd",
	"sqlite3":     "/usr/bin/sqlite3",
	"unbound":     "/usr/sbin/unbound",
	"acme-client": "/usr/sbin/acme-client",
	"libelf":      "", // listed in the reference without its file
}

// obsolete maps a stem to why it was removed ($obsolete_reason and its
// @msg list).
var obsolete = map[string]string{
	"BitTorrent":    "ancient software that doesn't work",
	"splitvt":       "ancient software that doesn't work",
	"metasploit":    "no longer maintained and full of security holes",
	"ez-ipupdate":   "no longer maintained upstream",
	"ruby-postgres": "no longer maintained upstream",
	"apc-upsd":      "no longer maintained upstream",
}

// replacementStem suggests the stem that replaced stem, or "". Besides the
// table, Quirks.pm renamed most py-foo ports to py3-foo (6.7 to 6.9)
// when python 2 was retired; that is a rule, not a table entry.
func replacementStem(stem string) string {
	if r, ok := renames[strings.ToLower(stem)]; ok {
		return r
	}
	if rest, ok := strings.CutPrefix(stem, "py-"); ok {
		return "py3-" + rest
	}
	return ""
}

func lookupFold(m map[string]string, stem string) (string, bool) {
	for k, v := range m {
		if strings.EqualFold(k, stem) {
			return v, true
		}
	}
	return "", false
}
