package profiles

import (
	"regexp"
	"strconv"
	"strings"
)

// Key paths name a value in a profile the way a user reads it:
// network.interfaces[1].ipv4, or files["/etc/sysctl.conf"].mode for map
// keys that are not plain words.

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// pathKey appends a mapping key to a key path.
func pathKey(base, key string) string {
	if !plainKey.MatchString(key) {
		return base + "[" + strconv.Quote(key) + "]"
	}
	if base == "" {
		return key
	}
	return base + "." + key
}

// pathIndex appends a sequence index to a key path.
func pathIndex(base string, i int) string {
	return base + "[" + strconv.Itoa(i) + "]"
}

// splitPath undoes pathKey and pathIndex: each element is a string (a
// mapping key) or an int (a sequence index). It is lenient: a malformed
// path yields the elements it could read, which is enough to locate the
// nearest node.
func splitPath(p string) []any {
	var segs []any
	for p != "" {
		switch {
		case p[0] == '.':
			p = p[1:]
		case strings.HasPrefix(p, `["`):
			q, err := strconv.QuotedPrefix(p[1:])
			if err != nil {
				return segs
			}
			s, _ := strconv.Unquote(q)
			segs = append(segs, s)
			p = strings.TrimPrefix(p[1+len(q):], "]")
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return segs
			}
			n, err := strconv.Atoi(p[1:end])
			if err != nil {
				return segs
			}
			segs = append(segs, n)
			p = p[end+1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			segs = append(segs, p[:end])
			p = p[end:]
		}
	}
	return segs
}
