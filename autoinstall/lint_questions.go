package autoinstall

import "strings"

// question is one installer question as the response-file reader matches
// it: the prompt without its [default] part. In text, <w> stands for one
// word of the machine (an interface, a login, a file; no blank or ?).
// Prompts with free text (an issue, a date) are listed in each wording.
type question struct {
	fam  string // questions that are one question in two wordings share it
	text string
	kind string // how its value is checked (lint_values.go)
	mode modeSet
}

type modeSet uint8

const (
	inInstall modeSet = 1 << iota
	inUpgrade
	interactiveOnly
	both = inInstall | inUpgrade
)

// questions are the installer's questions in the order they are asked
// (reference sections 4 and 5, installer-questions.tsv).
var questions = []question{
	{"term", "Terminal type?", "free", both},
	{"kbd", "Choose your keyboard layout ('?' or 'L' for list)", "word", both},
	{"hostname", "System hostname? (short form, e.g. 'foo')", "hostname", inInstall},
	{"netif", "Network interface to configure? (name, lladdr, '?', or 'done')", "netif", inInstall},
	{"vlan", "Which interface:tag should <w> be on?", "free", inInstall},
	{"ap", "Access point? (ESSID, 'any', list# or '?')", "essid", inInstall},
	{"secproto", "Security protocol? (O)pen, (W)EP, WPA-(P)SK", "letter:owp", inInstall},
	{"wep", "WEP key?", "free", inInstall},
	{"wpa", "WPA passphrase?", "wpa", inInstall},
	{"symname", "Symbolic (host) name for <w>?", "hostname", inInstall},
	{"ipv4", "IPv4 address for <w>? (or 'autoconf' or 'none')", "ipv4", inInstall},
	{"netmask", "Netmask for <w>?", "netmask", inInstall},
	{"ipv6", "IPv6 address for <w>? (or 'autoconf' or 'none')", "ipv6", inInstall},
	{"prefixlen", "IPv6 prefix length for <w>?", "int", inInstall},
	{"route4", "Default IPv4 route? (IPv4 address or 'none')", "route4", inInstall},
	{"route6", "IPv6 default router? (IPv6 address or 'none')", "route6", inInstall},
	{"route6", "IPv6 default router? (IPv6 address, list#, 'none' or '?')", "route6", inInstall},
	{"domain", "DNS domain name? (e.g. 'example.com')", "domain", inInstall},
	{"dns", "DNS nameservers? (IP address list or 'none')", "dns", inInstall},
	{"rootpw", "Password for root account?", "password", inInstall},
	{"rootkey", "Public ssh key for root account?", "sshkey", inInstall},
	{"sshd", "Start sshd(8) by default?", "yesno", inInstall},
	{"x11", "Do you expect to run the X Window System?", "yesno", inInstall},
	{"xenodm", "Do you want the X Window System to be started by xenodm(1)?", "yesno", inInstall},
	{"console", "Change the default console to <w>?", "yesno", inInstall},
	{"speed", "Which speed should <w> use?", "speed", inInstall},
	{"user", "Setup a user? (enter a lower-case loginname, or 'no')", "login", inInstall},
	{"user2", "No really, what is the lower-case loginname, or 'no'?", "login", inInstall},
	{"fullname", "Full name for user <w>?", "fullname", inInstall},
	{"userpw", "Password for user <w>?", "password", inInstall},
	{"userkey", "Public ssh key for user <w>", "sshkey", inInstall},
	{"rootlogin", "Allow root ssh login? (yes, no, prohibit-password)", "rootlogin", inInstall},
	{"tz", "What timezone are you in? ('?' for list)", "tz", inInstall},
	{"subtz", "What sub-timezone of '<w>' are you in? ('?' for list)", "free", inInstall},
	{"rootdisk", "Which disk is the root disk? ('?' for details)", "disk", both},
	{"encrypt", "Encrypt the root disk with a (p)assphrase or (k)eydisk?", "letter:pkn", inInstall},
	{"passphrase", "New passphrase?", "free", inInstall},
	{"keydisk", "Which disk contains the key disk?", "free", inInstall},
	{"keypart", "Which <w> partition is the key disk?", "free", inInstall},
	{"table", "Use (W)hole disk MBR, whole disk (G)PT or (E)dit?", "table", inInstall},
	{"table", "Use (W)hole disk MBR, whole disk (G)PT, (O)penBSD area or (E)dit?", "table", inInstall},
	{"efiproceed", "An EFI/GPT disk may not boot. Proceed?", "yesno", inInstall},
	{"template", "URL to autopartitioning template for disklabel?", "template", inInstall},
	{"layout", "Use (A)uto layout, (E)dit auto layout, or create (C)ustom layout?", "layout", inInstall},
	{"initdisk", "Which disk do you wish to initialize?", "initdisk", inInstall},
	{"mountfail", "Continue anyway?", "yesno", both},
	{"fsck", "Force checking of clean non-root filesystems?", "yesno", inUpgrade},
	{"location", "Location of sets? (disk http nfs or 'done')", "location", both},
	{"location", "Location of sets? (cd0 disk http nfs or 'done')", "location", both},
	{"mounted", "Is the disk partition already mounted?", "yesno", both},
	{"media", "Which disk contains the <w> media?", "free", both},
	{"setpart", "Which <w> partition has the <w> sets?", "free", both},
	{"pathname", "Pathname to the sets? (or 'done')", "free", both},
	{"nfsserver", "Server IP address or hostname?", "free", both},
	{"nfsfs", "Filesystem on server to mount?", "free", both},
	{"tcp", "Use TCP transport? (requires TCP-capable NFS server)", "yesno", both},
	{"proxy", "HTTP proxy URL? (e.g. 'http://proxy:8080', or 'none')", "proxy", both},
	{"httpserver", "HTTP Server? (hostname, list#, 'done' or '?')", "httpserver", both},
	{"httpserver", "HTTP Server? (hostname or 'done')", "httpserver", both},
	{"serverdir", "Server directory?", "free", both},
	{"noinstall", "INSTALL.<w> not found. Use sets found here anyway?", "yesno", both},
	{"setnames", "Set name(s)? (or 'abort' or 'done')", "sets", both},
	{"verify", "Directory does not contain SHA256.sig. Continue without verification?", "yesno", both},
	{"verify", "Cannot determine prefetch area. Continue without verification?", "yesno", both},
	{"verify", "Cannot create prefetch area. Continue without verification?", "yesno", both},
	{"verify", "Cannot fetch SHA256.sig. Continue without verification?", "yesno", both},
	{"verify", "Signature check of SHA256.sig failed. Continue without verification?", "yesno", both},
	{"verify", "Unverified sets: <w>. Continue without verification?", "yesno", both},
	{"fetchfail", "Fetching of <w> failed. Continue anyway?", "yesno", both},
	{"checksum", "Checksum test for <w> failed. Continue anyway?", "yesno", both},
	{"installfail", "Installation of <w> failed. Continue anyway?", "yesno", both},
	{"sure", "Are you *SURE* your <w> is complete without '<w>'?", "yesno", both},
	{"time", "Time appears wrong.  Set to '<f>'?", "yesno", inInstall},
	{"exit", "Exit to (S)hell, (H)alt or (R)eboot?", "free", both | interactiveOnly},
	{"menu", "(I)nstall, (U)pgrade, (A)utoinstall or (S)hell?", "free", both | interactiveOnly},
	{"dhcpif", "Which network interface should be used for the initial DHCP request?", "free", both | interactiveOnly},
	{"respfile", "Response file location?", "free", both | interactiveOnly},
	{"iu", "(I)nstall or (U)pgrade?", "free", both | interactiveOnly},
}

// parsed are the questions' texts as items, in the order of questions.
var parsed = func() [][]item {
	out := make([][]item, len(questions))
	for i, q := range questions {
		out[i] = parseQuestion(q.text)
	}
	return out
}()

// item is one element of a question text: a byte, a word (<w>) or free
// text (<f>, any characters).
type item struct {
	c  byte
	ph byte // 0, 'w' or 'f'
	// lit, on the first item of a question without placeholders, is the
	// whole text, so that such questions match by plain search.
	lit string
}

func parseQuestion(text string) []item {
	text = strings.ToLower(text)
	var out []item
	for i := 0; i < len(text); i++ {
		if strings.HasPrefix(text[i:], "<w>") || strings.HasPrefix(text[i:], "<f>") {
			out = append(out, item{ph: text[i+1]})
			i += 2
			continue
		}
		out = append(out, item{c: text[i]})
	}
	if t, ok := literal(out); ok && len(out) > 0 {
		out[0].lit = t
	}
	return out
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// keyMatches reports whether key (lowercased) matches some instance of the
// question as the installer matches: a literal occurrence that starts the
// question or follows a blank, and ends it or precedes a blank or ?. With
// atStart, only an occurrence at the start of the question counts; with
// checkEnd false, the end condition is not checked (to find traps).
func keyMatches(q []item, key string, atStart, checkEnd bool) bool {
	if key == "" {
		return false
	}
	if len(q) > 0 && q[0].ph == 0 && q[0].lit != "" {
		return plainMatch(q[0].lit, key, atStart, checkEnd)
	}
	m := &matcher{q: q, key: key, checkEnd: checkEnd}
	if m.run(0, false, 0, false) {
		return true
	}
	if atStart {
		return false
	}
	for ti, it := range q {
		if it.ph == 'f' && m.run(ti, true, 0, false) {
			return true
		}
		if ti > 0 && (isBlank(q[ti-1].c) && q[ti-1].ph == 0 || q[ti-1].ph == 'f') && m.run(ti, false, 0, false) {
			return true
		}
	}
	return false
}

type matcher struct {
	q        []item
	key      string
	checkEnd bool
}

// run matches key[kj:] from question item ti; inPh is true inside a
// placeholder that has taken at least one character, lit once a literal
// character of the question has matched: a key that lies wholly inside a
// placeholder (a login that happens to be "password") does not count.
// Questions have at most two placeholders and a placeholder's end must be
// followed by a matching literal, so the backtracking stays small.
func (m *matcher) run(ti int, inPh bool, kj int, lit bool) bool {
	if kj == len(m.key) {
		return lit && (!m.checkEnd || m.boundary(ti, inPh))
	}
	if ti == len(m.q) {
		return false
	}
	c := m.key[kj]
	it := m.q[ti]
	switch it.ph {
	case 0:
		return it.c == c && m.run(ti+1, false, kj+1, true)
	case 'w':
		if inPh && m.run(ti+1, false, kj, lit) {
			return true
		}
		return !isBlank(c) && c != '?' && m.run(ti, true, kj+1, lit)
	default: // 'f'
		if inPh && m.run(ti+1, false, kj, lit) {
			return true
		}
		return m.run(ti, true, kj+1, lit)
	}
}

// boundary reports whether the question can end, or go on with a blank or
// ?, right after the key.
func (m *matcher) boundary(ti int, inPh bool) bool {
	if inPh {
		if m.q[ti].ph == 'f' {
			return true
		}
		return m.boundary(ti+1, false)
	}
	if ti == len(m.q) {
		return true
	}
	it := m.q[ti]
	return it.ph == 'f' || it.ph == 0 && (isBlank(it.c) || it.c == '?')
}

// literal returns the text of a question without placeholders.
func literal(q []item) (string, bool) {
	b := make([]byte, len(q))
	for i, it := range q {
		if it.ph != 0 {
			return "", false
		}
		b[i] = it.c
	}
	return string(b), true
}

// plainMatch is keyMatches for a question without placeholders.
func plainMatch(q, key string, atStart, checkEnd bool) bool {
	for from := 0; from < len(q); {
		i := strings.Index(q[from:], key)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(key)
		if (i == 0 || !atStart && isBlank(q[i-1])) && (!checkEnd || end == len(q) || isBlank(q[end]) || q[end] == '?') {
			return true
		}
		from = i + 1
	}
	return false
}
