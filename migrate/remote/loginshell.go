package remote

import (
	"bytes"
	"path"
	"strconv"
	"strings"
)

// sshd hands every command line to the login user's shell with -c. fugu
// writes its lines for POSIX sh: ksh, OpenBSD's default for root and new
// users, and the other Bourne shells read them as they are. A user whose
// login shell is csh, tcsh or fish (or zsh, whose word splitting
// differs) would get syntax errors or other meanings: csh refuses a
// newline inside quotes, fish reads backslashes in single quotes. For
// them each line goes through AnyShell.

// bourneShells are login shells that read fugu's lines as sh does.
var bourneShells = map[string]bool{
	"sh": true, "ksh": true, "oksh": true, "loksh": true, "mksh": true, "pdksh": true,
	"ksh93": true, "bash": true, "dash": true, "ash": true, "yash": true, "rksh": true,
}

// isBourneShell reports whether the login shell at path (the SHELL sshd
// sets) reads sh syntax. An empty or unknown path is not trusted to.
func isBourneShell(shell string) bool {
	return bourneShells[path.Base(shell)]
}

// AnyShell returns a command line that every common login shell (sh,
// ksh, bash, zsh, csh, tcsh, fish) runs the same way: /bin/sh evaluates
// line. line is written in letters, digits and a few punctuation marks;
// everything else is an octal escape of printf(1), which the inner sh
// expands (printf turns \045 into a plain %, not a conversion). That
// text goes in single-quoted words of at most anyShellWord bytes, which
// the inner sh joins again: OpenBSD's csh refuses a word of 1020 bytes
// or more ("Word too long"), and fugu's perl programs are longer. There
// is no newline, no backslash pair, no ! and nothing a shell expands
// inside single quotes. Exit status, standard input and signals reach
// the command through exec.
func AnyShell(line string) string {
	var b strings.Builder
	b.WriteString(`exec /bin/sh -c 'eval "$(IFS=; printf "$*")"' sh '`)
	n := 0
	for i := 0; i < len(line); i++ {
		if n >= anyShellWord {
			b.WriteString(`' '`)
			n = 0
		}
		c := line[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(" ./_-,=:+", c) >= 0 {
			b.WriteByte(c)
			n++
			continue
		}
		b.WriteByte('\\')
		s := strconv.FormatUint(uint64(c), 8)
		b.WriteString(strings.Repeat("0", 3-len(s)) + s)
		n += 4
	}
	b.WriteString(`'`)
	return b.String()
}

// anyShellWord bounds the words of an AnyShell line, well below the
// 1020 bytes OpenBSD's csh takes in one word (BUFSIZ less 4).
const anyShellWord = 512

// shellProbe prints the login shell in every shell's syntax.
const shellProbe = `echo "$SHELL"`

// parseShellProbe takes the login shell from the probe's output: its last
// non-empty line (a start-up file may print before it).
func parseShellProbe(out []byte) string {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	return strings.TrimSpace(string(lines[len(lines)-1]))
}

// passwdShell returns the shell field of user's line in an /etc/passwd
// (name:password:uid:gid:gecos:home:shell); an empty field means /bin/sh,
// as login(1) has it.
func passwdShell(passwd []byte, user string) (string, bool) {
	for _, l := range bytes.Split(passwd, []byte("\n")) {
		f := strings.Split(strings.TrimSuffix(string(l), "\r"), ":")
		if len(f) == 7 && f[0] == user {
			if f[6] == "" {
				return "/bin/sh", true
			}
			return f[6], true
		}
	}
	return "", false
}
