package remote

import "strings"

// Quote returns s quoted for POSIX sh so that it is one word with no
// expansion: it is wrapped in single quotes, and each single quote inside
// is closed, escaped and reopened:
//
//	it's  ->  'it'\''s'
//
// Newlines, $(...), backquotes and globs stay literal. Words made only of
// safe characters are returned unchanged so that command lines stay
// readable in logs and plans.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	if isSafeWord(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// QuoteArgs quotes each word with Quote and joins them with spaces.
func QuoteArgs(args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}

// isSafeWord reports whether s has only characters that no POSIX shell
// treats specially anywhere in a word. '=' is excluded so that a word can
// never turn into an assignment, and '~' so that it is never expanded.
func isSafeWord(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-_./,:@%+", r):
		default:
			return false
		}
	}
	return true
}
