package profiles

import (
	"fmt"
	"strings"
)

// NormalizeMAC returns a MAC address in the form OpenBSD prints and the
// installer accepts: six lowercase, zero-padded hex bytes separated by
// colons. Input may use colons or dashes and either case.
func NormalizeMAC(s string) (string, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' })
	if len(parts) != 6 || strings.Count(s, ":")+strings.Count(s, "-") != 5 {
		return "", fmt.Errorf("%q is not a MAC address (expected six hex bytes like 80:fa:5b:01:02:03)", s)
	}
	var b strings.Builder
	for i, p := range parts {
		if len(p) != 2 || !isHex(p) {
			return "", fmt.Errorf("%q is not a MAC address (expected six hex bytes like 80:fa:5b:01:02:03)", s)
		}
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strings.ToLower(p))
	}
	return b.String(), nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// looksLikeMAC tells an interface given as a MAC from one given by name.
func looksLikeMAC(s string) bool {
	return strings.Count(s, ":") == 5 || strings.Count(s, "-") == 5
}
