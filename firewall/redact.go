package firewall

import "strings"

// redactedPassword stands for the password of a URL's user:password@.
const redactedPassword = "<redacted>"

// RedactURL returns s with the password of its userinfo (scheme://
// user:password@host, or user:password@host/path without a scheme)
// replaced by <redacted>, for quoting a URL in a problem or a log line.
// Anything else is left as it is, the user name too.
func RedactURL(s string) string {
	rest, prefix := s, ""
	if i := strings.Index(s, "://"); i >= 0 {
		prefix, rest = s[:i+3], s[i+3:]
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return s
	}
	user, _, hasPassword := strings.Cut(rest[:at], ":")
	if !hasPassword {
		return s
	}
	return prefix + user + ":" + redactedPassword + rest[at:]
}
