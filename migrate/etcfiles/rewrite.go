package etcfiles

import (
	"strconv"
	"strings"
)

// secretWords are ifconfig parameters whose next word is a secret: WPA
// passphrases, WEP keys, WireGuard keys, CARP and PPPoE passwords.
var secretWords = map[string]bool{
	"wpakey": true, "nwkey": true, "wgkey": true, "wgpsk": true, "pass": true, "authkey": true,
}

// Redacted replaces a secret in printed plans and diffs.
const Redacted = "<redacted>"

// RedactHostnameIf returns a hostname.if text with every secret value
// (the word after wpakey, nwkey, wgkey, wgpsk, pass, authkey) replaced by
// <redacted>, for plans and diffs. Everything else is kept byte for byte.
func RedactHostnameIf(text string) string {
	return rewriteWords(text, func(prev, tok shellToken, _ string) (string, bool) {
		if secretWords[prev.value] {
			return Redacted, true
		}
		return "", false
	})
}

// RenameInterfaces rewrites every unquoted word of a hostname.if (or
// mygate, pf.conf-like) text that is exactly an old interface name into
// its new name (iwn0 -> iwm0 in "!route ... -ifp iwn0", "parent em0").
// $if needs no change: netstart substitutes it. Quoted words
// (descriptions, network names) and secrets are left alone.
func RenameInterfaces(text string, rename map[string]string) string {
	return rewriteWords(text, func(prev, tok shellToken, raw string) (string, bool) {
		if tok.quoted || secretWords[prev.value] {
			return "", false
		}
		if to, ok := rename[raw]; ok {
			return to, true
		}
		return "", false
	})
}

// rewriteWords calls f for each word of each line (with the word before
// it, empty for the first) and splices in the replacements it returns.
func rewriteWords(text string, f func(prev, tok shellToken, raw string) (string, bool)) string {
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		body := strings.TrimSuffix(l, "\n")
		if strings.HasPrefix(strings.TrimLeft(body, " \t"), "#") {
			b.WriteString(l)
			continue
		}
		toks, _ := splitShell(body)
		last := 0
		var prev shellToken
		for _, t := range toks {
			if rep, ok := f(prev, t, body[t.start:t.end]); ok {
				b.WriteString(body[last:t.start])
				b.WriteString(rep)
				last = t.end
			}
			prev = t
		}
		b.WriteString(l[last:])
	}
	return b.String()
}

// describeWord quotes word i of a line for a message, unless it is a
// secret.
func describeWord(words []string, i int) string {
	if i > 0 && secretWords[words[i-1]] {
		return "a secret value"
	}
	return strconv.Quote(words[i])
}
