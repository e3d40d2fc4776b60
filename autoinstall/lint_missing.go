package autoinstall

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// checkMissing reports questions without a default that the file's own
// answers make the installer ask, and combinations that stop the install.
func (l *linter) checkMissing() {
	has := func(fam string) *answer {
		for i := range l.answers {
			if l.answers[i].fam == fam {
				return &l.answers[i]
			}
		}
		return nil
	}
	all := func(fam string) []*answer {
		var out []*answer
		for i := range l.answers {
			if l.answers[i].fam == fam {
				out = append(out, &l.answers[i])
			}
		}
		return out
	}
	// matches reports whether some answer's key matches the concrete question.
	matches := func(text string) bool {
		items := parseQuestion(text)
		for _, a := range l.answers {
			if keyMatches(items, strings.ToLower(a.key), false, true) {
				return true
			}
		}
		return false
	}
	missing := func(sev Severity, format string, args ...any) { l.add(0, sev, format, args...) }

	// A question asked once takes one line; a second line for it is
	// never read.
	seen := map[string]int{}
	for _, a := range l.answers {
		if a.fam == "" || repeated[a.fam] {
			continue
		}
		if first, dup := seen[a.fam]; dup {
			l.add(a.line, Warning, "%q is asked once and line %d answers it: this line is never read", a.q.text, first)
			continue
		}
		seen[a.fam] = a.line
	}

	if l.mode == ModeInstall {
		if has("rootpw") == nil {
			missing(Error, "no answer to \"Password for root account?\", which has no default: the install stops")
		}
		if has("hostname") == nil {
			missing(Warning, "no answer to \"System hostname?\": it has a default only when DHCP gives a host-name")
		}
		if has("tz") == nil {
			missing(Warning, "no answer to \"What timezone are you in?\": offline installs ask it with no default and stop")
		}
		for _, u := range append(all("user"), all("user2")...) {
			if v := u.value; loginRE.MatchString(v) && !contains(answerLogins, v) && !contains(reservedLogins, v) {
				if !matches("Password for user " + v + "?") {
					missing(Error, "user %s is set up (line %d) but \"Password for user %s?\" has no answer: the install stops", v, u.line, v)
				}
			}
		}
		var static, dhcp bool
		for _, a := range all("ipv4") {
			switch a.value {
			case "autoconf", "a", "dhcp":
				dhcp = true
			case "none":
			default:
				static = true
			}
		}
		if static && has("route4") == nil {
			sev := Error
			if dhcp {
				sev = Warning
			}
			missing(sev, "a static IPv4 address is given but \"Default IPv4 route?\" has no answer: with no route from DHCP it has no default and the install stops")
		}
		for _, a := range all("secproto") {
			switch strings.ToLower(a.value) {
			case "p":
				if has("wpa") == nil {
					missing(Error, "WPA is chosen (line %d) but \"WPA passphrase?\" has no answer: the install stops", a.line)
				}
			case "w":
				if has("wep") == nil {
					missing(Error, "WEP is chosen (line %d) but \"WEP key?\" has no answer: the install stops", a.line)
				}
			}
		}
		if e := has("encrypt"); e != nil && strings.HasPrefix(strings.ToLower(e.value), "p") && has("passphrase") == nil {
			missing(Error, "encryption with a passphrase is chosen (line %d) but \"New passphrase?\" has no answer: the install stops", e.line)
		}
	}
	if loc := has("location"); loc != nil && strings.HasPrefix(strings.ToLower(loc.value), "h") && has("httpserver") == nil {
		missing(Warning, "sets come over HTTP but \"HTTP Server?\" has no answer: offline it has no default")
	}
	// "Set name(s)?" is asked again until an answer holds done: without
	// it, the repeat takes the next round's line.
	sets := all("setnames")
	locs := all("location")
	for i := 0; i+1 < len(sets); i++ {
		ends := false
		for _, t := range strings.Fields(sets[i].value) {
			ends = ends || t == "done" || t == "abort"
		}
		// A second line before the next "Location of sets" is meant for
		// the repeat (Set name(s) = all, then = done).
		nextRound := false
		for _, lc := range locs {
			nextRound = nextRound || lc.line > sets[i].line && lc.line < sets[i+1].line
		}
		if !ends && nextRound {
			l.add(sets[i].line, Error, "the installer asks \"Set name(s)?\" again until an answer holds done, so line %d is taken by this round instead of the next (end this answer with done)", sets[i+1].line)
		}
	}
	sureYes := false
	for _, a := range all("sure") {
		sureYes = sureYes || strings.EqualFold(a.value, "yes") || strings.EqualFold(a.value, "y")
	}
	l.checkRequiredSets(sets, sureYes)
	for _, s := range sets {
		adds, every := false, false
		for _, t := range strings.Fields(s.value) {
			switch g := strings.TrimLeft(t, "+-"); {
			case strings.Contains(g, "site"):
				adds, every = !strings.HasPrefix(t, "-"), false // the last such token decides
			case g == "all" || g == "*":
				adds, every = !strings.HasPrefix(t, "-"), !strings.HasPrefix(t, "-")
			}
		}
		if !adds {
			continue
		}
		// A site set's round asks "Unverified sets: <sets>. Continue
		// without verification?": a yes keyed by another issue ("Directory
		// does not contain SHA256.sig. ...") is never read for it.
		ok, other := false, 0
		for _, v := range all("verify") {
			if !strings.EqualFold(v.value, "yes") && !strings.EqualFold(v.value, "y") {
				continue
			}
			if keyMatches(unverifiedQuestion, strings.ToLower(v.key), false, true) {
				ok = true
			} else if other == 0 {
				other = v.line
			}
		}
		why := "\"Continue without verification\" is not answered yes"
		if other > 0 {
			why = fmt.Sprintf("\"Unverified sets: ... Continue without verification?\" is not answered yes (line %d answers another issue's)", other)
		}
		switch {
		case ok:
		case every:
			missing(Warning, "line %d selects all sets, site sets too if the directory offers one, but %s: a site set is never in SHA256.sig, so the install would stop", s.line, why)
		default:
			missing(Error, "a site set is selected (line %d) but %s: site sets are never in SHA256.sig, so the install stops", s.line, why)
		}
	}
}

// unverifiedQuestion is the question a site set's round asks (here with
// one set, as the catalog has it).
var unverifiedQuestion = parseQuestion("Unverified sets: <w>. Continue without verification?")

// setVersionRE finds the release digits in a set name of an answer.
var setVersionRE = regexp.MustCompile(`(?:base|comp|man|game|xbase|xshare|xfont|xserv|site)([0-9]{2,3})`)

// checkRequiredSets reports Set name(s) answers that together leave out
// bsd or base<NN>.tgz: at "done" the installer asks "Are you *SURE* your
// install is complete without ...?", and its default no stops the install.
// Each answer is applied alone to the full preselection, so an answer that
// drops a set drops it in its round whatever came before.
func (l *linter) checkRequiredSets(sets []*answer, sureYes bool) {
	if len(sets) == 0 || sureYes {
		return
	}
	v := "78"
	for _, s := range sets {
		if m := setVersionRE.FindStringSubmatch(s.value); m != nil {
			v = m[1]
			break
		}
	}
	mode := "install"
	if l.mode == ModeUpgrade {
		mode = "upgrade"
	}
	for _, need := range []string{"bsd", "base" + v + ".tgz"} {
		kept := false
		for _, s := range sets {
			kept = kept || keepsSet(s.value, need)
		}
		if !kept {
			l.add(sets[0].line, Error, "no Set name(s) answer keeps %s: the installer asks \"Are you *SURE* your %s is complete without '%s'?\" and its default no stops the %s", need, mode, need, mode)
		}
	}
}

// keepsSet applies one answer's tokens, as select_sets does, to a
// preselected set name.
func keepsSet(answer, name string) bool {
	selected := true
	for _, t := range strings.Fields(answer) {
		switch t {
		case "done":
			return selected
		case "abort":
			return false
		}
		glob := t
		if t[0] == '+' || t[0] == '-' {
			glob = t[1:]
		}
		if glob == "all" {
			glob = "*"
		}
		if ok, _ := path.Match(setGlob(glob), name); ok {
			selected = t[0] != '-'
		}
	}
	return selected
}

// repeated are the questions the installer can ask more than once: per
// interface, per prepared disk, per set location, per failed file.
var repeated = map[string]bool{
	"netif": true, "vlan": true, "ap": true, "secproto": true, "wep": true, "wpa": true, "symname": true,
	"ipv4": true, "netmask": true, "ipv6": true, "prefixlen": true, "table": true, "efiproceed": true,
	"mountfail": true, "location": true, "mounted": true, "media": true, "setpart": true, "pathname": true,
	"nfsserver": true, "nfsfs": true, "tcp": true, "proxy": true, "httpserver": true, "serverdir": true,
	"noinstall": true, "setnames": true, "verify": true, "fetchfail": true, "checksum": true,
	"installfail": true, "sure": true, "user": true, "subtz": true,
}
