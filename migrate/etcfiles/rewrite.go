package etcfiles

import (
	"strconv"
	"strings"
)

// secretWords are the ifconfig(8) parameters followed by secrets, with
// how many: WPA passphrases, WEP keys, WireGuard keys, CARP passwords,
// PPP (pppoe) keys, and a umb SIM card's PIN and PUK.
var secretWords = map[string]int{
	"wpakey": 1, "nwkey": 1, "wgkey": 1, "wgpsk": 1, "pass": 1, "authkey": 1, "peerkey": 1,
	"pin": 1, "puk": 2, "chgpin": 2, // puk PUK NEWPIN, chgpin OLDPIN NEWPIN
}

// ifconfigWords are ifconfig(8) parameters that can follow a secret on a
// line. ifconfig takes one word for a key, so a word after it that is
// none of these is the rest of an unquoted key with blanks (ifconfig
// rejects the line, but the words are still the key).
var ifconfigWords = map[string]bool{
	"up": true, "down": true, "inet": true, "inet6": true, "-inet": true, "-inet6": true, "autoconf": true, "-autoconf": true,
	"staticarp": true, "-staticarp": true, "instance": true, "nwflag": true,
	"alias": true, "-alias": true, "delete": true, "dest": true, "netmask": true, "broadcast": true,
	"prefixlen": true, "eui64": true, "temporary": true, "-temporary": true, "mtu": true, "lladdr": true,
	"description": true, "descr": true, "-description": true, "group": true, "-group": true,
	"rdomain": true, "-rdomain": true, "debug": true, "-debug": true, "arp": true, "-arp": true,
	"txpower": true, "-txpower": true, "-nwflag": true, "nwid": true, "join": true,
	"vhid": true, "carpdev": true, "carppeer": true, "-carppeer": true, "advbase": true, "advskew": true,
	"state": true, "balancing": true, "carpnodes": true, "parent": true, "-parent": true,
	"vnetid": true, "-vnetid": true, "tunnel": true, "-tunnel": true, "tunneldomain": true,
	"trunkport": true, "-trunkport": true, "trunkproto": true, "wgpeer": true, "-wgpeer": true,
	"-wgpsk": true, "wgendpoint": true, "wgaip": true, "-wgaip": true, "wgport": true, "wgrtable": true,
	"wgpka": true, "wgdescr": true, "authproto": true, "authname": true, "peerproto": true,
	"peername": true, "pppoedev": true, "pppoesvc": true, "pppoeac": true, "apn": true, "-apn": true,
	"roaming": true, "-roaming": true, "llprio": true, "mpls": true, "-mpls": true, "priority": true,
}

// paramWord reports whether w is an ifconfig parameter that may follow a
// secret.
func paramWord(w string) bool {
	return ifconfigWords[w] || wifiParams[w] || driverWords[w] || secretWords[w] > 0
}

// secrets follows the words of a line and tells which are secret values.
// A greedy one also takes the words after a secret's values up to the
// next ifconfig parameter: the rest of an unquoted key with blanks.
type secrets struct {
	left         int
	greedy, tail bool
}

// next reports whether tok, which follows prev (the zero token at the
// start of a line), is a secret value.
func (s *secrets) next(prev, tok shellToken) bool {
	if prev.end == 0 {
		s.left, s.tail = 0, false
	}
	if s.left > 0 {
		s.left--
		s.tail = s.greedy && s.left == 0
		return true
	}
	if s.tail && !paramWord(tok.value) {
		return true
	}
	s.tail = false
	s.left = secretWords[tok.value]
	return false
}

// hasSecret reports whether a quoted word is itself ifconfig parameters
// with a secret among them ("ifconfig $if wpakey KEY" in a !command).
func hasSecret(value string) bool {
	f := strings.Fields(value)
	for i := 0; i+1 < len(f); i++ {
		if secretWords[f[i]] > 0 {
			return true
		}
	}
	return false
}

// Redacted replaces a secret in printed plans and diffs.
const Redacted = "<redacted>"

// RedactHostnameIf returns a hostname.if text with every secret value
// (the words after wpakey, nwkey, wgkey, wgpsk, pass, authkey, peerkey,
// pin, puk and chgpin, up to the next ifconfig parameter, and a quoted
// word holding such a pair) replaced by <redacted>, for plans and diffs,
// in comments too: a network commented out keeps its key. Everything
// else is kept byte for byte.
func RedactHostnameIf(text string) string {
	sec := secrets{greedy: true}
	return rewriteWords(text, true, func(prev, tok shellToken, _ string) (string, bool) {
		if sec.next(prev, tok) || tok.quoted && hasSecret(tok.value) {
			return Redacted, true
		}
		return "", false
	})
}

// RenameInterfaces rewrites every unquoted word of a hostname.if (or
// mygate, pf.conf-like) text that is exactly an old interface name into
// its new name (iwn0 -> iwm0 in "!route ... -ifp iwn0", "parent em0"),
// and the scope of an IPv6 address (fe80::1%em0 -> fe80::1%igc0, also
// before a prefix length: fe80::1%em0/64).
// $if needs no change: netstart substitutes it. Quoted words, secrets
// and the text after description, join, nwid and -join (a network called
// "em0" stays that network) are left alone.
func RenameInterfaces(text string, rename map[string]string) string {
	var sec secrets
	return rewriteWords(text, false, func(prev, tok shellToken, raw string) (string, bool) {
		if sec.next(prev, tok) || tok.quoted || textWords[prev.value] {
			return "", false
		}
		if to, ok := rename[raw]; ok {
			return to, true
		}
		if i := strings.LastIndexByte(raw, '%'); i >= 0 && strings.Contains(raw[:i], ":") {
			// The scope, before a prefix length if one follows
			// (fe80::1%em0/64).
			scope, _, _ := strings.Cut(raw[i+1:], "/")
			if to, ok := rename[scope]; ok {
				return raw[:i+1] + to + strings.TrimPrefix(raw[i+1:], scope), true
			}
		}
		return "", false
	})
}

// rewriteWords calls f for each word of each line (with the word before
// it, empty for the first) and splices in the replacements it returns.
// A line ending in a backslash goes on on the next one, as netstart's
// read(1) without -r joins them: "wpakey \<newline>KEY" still has KEY
// after wpakey. With comments, the words of a comment line (after its
// #s) are words too.
func rewriteWords(text string, comments bool, f func(prev, tok shellToken, raw string) (string, bool)) string {
	var b strings.Builder
	for _, l := range logicalLines(text) {
		b.WriteString(rewriteLine(l, comments, f))
	}
	return b.String()
}

// logicalLines splits text after each newline that a backslash does not
// escape.
func logicalLines(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '\n' {
			continue
		}
		n := 0
		for j := i - 1; j >= start && text[j] == '\\'; j-- {
			n++
		}
		if n%2 == 1 {
			continue
		}
		out = append(out, text[start:i+1])
		start = i + 1
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// rewriteLine is rewriteWords for one logical line. The words are those
// of the line with its backslash-newlines removed; at maps each byte of
// that back to the line, so replacements land on the original text.
// A comment line is returned as it is, unless comments is set.
func rewriteLine(l string, comments bool, f func(prev, tok shellToken, raw string) (string, bool)) string {
	body := strings.TrimSuffix(l, "\n")
	joined := make([]byte, 0, len(body))
	at := make([]int, 0, len(body))
	for i := 0; i < len(body); i++ {
		if body[i] == '\\' && i+1 < len(body) {
			if body[i+1] != '\n' {
				joined = append(joined, body[i], body[i+1])
				at = append(at, i, i+1)
			}
			i++
			continue
		}
		joined = append(joined, body[i])
		at = append(at, i)
	}
	line := string(joined)
	if rest := strings.TrimLeft(line, " \t"); strings.HasPrefix(rest, "#") {
		if !comments {
			return l
		}
		// Blank out the leading #s: the words after them split as
		// those of a line, at the same offsets.
		n := len(line) - len(strings.TrimLeft(rest, "#"))
		line = strings.Repeat(" ", n) + line[n:]
	}
	toks, _ := splitShell(line)
	var b strings.Builder
	last := 0
	var prev shellToken
	for _, t := range toks {
		if t.end > t.start {
			if rep, ok := f(prev, t, line[t.start:t.end]); ok {
				start, end := at[t.start], at[t.end-1]+1
				b.WriteString(body[last:start])
				// Keep the line breaks of a word that spans lines, so
				// plans and diffs keep the file's line numbers. They go
				// before the new word: after it, a last line without
				// a newline would become a backslash at the end of
				// the file, which read(1) treats differently.
				b.WriteString(strings.Repeat("\\\n", strings.Count(body[start:end], "\\\n")))
				b.WriteString(rep)
				last = end
			}
		}
		prev = t
	}
	b.WriteString(l[last:])
	return b.String()
}

// describeWord quotes word i of a line for a message, unless it is a
// secret.
func describeWord(words []string, i int) string {
	for k := 1; k <= 2 && i-k >= 0; k++ {
		if secretWords[words[i-k]] >= k {
			return "a secret value"
		}
	}
	return strconv.Quote(words[i])
}

// textWords are ifconfig parameters whose value is text, not an
// interface: a description, a network name.
var textWords = map[string]bool{"description": true, "descr": true, "join": true, "-join": true, "nwid": true}

// Mention is a word of a line that names one of the interfaces asked
// about.
type Mention struct {
	Line int    // of the file, 1-based
	Name string // the interface
}

// Mentions lists, in order, where a hostname.if or mygate text names one
// of names: as a word of its own or a part of one between characters
// that cannot be in an interface name (fe80::1%em0, "ifconfig em0 up"
// quoted in a !command), outside comments, secret values, descriptions
// and network names. It finds
// what RenameInterfaces leaves behind: quoted words and names it was not
// given.
func Mentions(text string, names map[string]bool) []Mention {
	var out []Mention
	line := 1
	for _, l := range logicalLines(text) {
		var sec secrets
		comment := false
		rewriteLine(l, false, func(prev, tok shellToken, raw string) (string, bool) {
			// A word starting with # begins a comment for the shell
			// that netstart evals the line with.
			comment = comment || strings.HasPrefix(raw, "#")
			if sec.next(prev, tok) || comment || textWords[prev.value] {
				return "", false
			}
			for _, w := range strings.FieldsFunc(tok.value, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
			}) {
				if names[w] {
					out = append(out, Mention{Line: line, Name: w})
				}
			}
			return "", false
		})
		line += strings.Count(l, "\n")
	}
	return out
}
