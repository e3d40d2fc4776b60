package etcfiles

import (
	"regexp"
	"strings"
)

// RedactCrontab returns a crontab with the secrets it can recognise
// replaced by <redacted>, for plans and diffs (the crontab itself is
// installed unchanged). Crontabs have no secret syntax of their own, so
// this is a best effort over what backup and sync jobs commonly carry:
//
//   - a variable whose name says it holds a secret (PASSWORD, PGPASSWORD,
//     MYSQL_PWD, API_KEY, TOKEN, SECRET, ...), as a crontab environment
//     line or as NAME=value before a command;
//   - the password in a URL's user information (scheme://user:PASS@host),
//     a URL query parameter named like a secret (?token=X, &api_key=X);
//   - curl's user:password (-u, --user, -U, --proxy-user) and the value of
//     an authorization header or one named like a secret
//     ("Authorization: Bearer X", "PRIVATE-TOKEN: X");
//   - the value of long options named like secrets (--password=X,
//     --password X, --token X, --api-key=X);
//   - mysql's glued password option (-pPASS) on a line that runs a mysql
//     tool, and sshpass's -p PASS;
//   - lftp's -u user,PASS, smbclient's -U user%PASS and openssl's
//     pass:PASS.
//
// Comment lines are read the same way, so a job or a variable commented
// out keeps its secret out too. Line structure and everything else are
// kept byte for byte.
func RedactCrontab(text string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		lines[i] = redactCronLine(l)
	}
	return strings.Join(lines, "")
}

// shellWord is one shell word: quoted and unquoted parts run together
// ("a b"c, x'y z'), up to a blank or an operator.
const shellWord = `((?:'[^']*'|"[^"]*"|[^\s;&|)'"]+)+)`

var (
	// A name that holds a secret: ends in or contains one of these words.
	secretName = regexp.MustCompile(`(?i)(pass(word|wd)?|pwd|secret|token|api_?key|access_?key|private_?key|credentials?|auth)`)
	// cron environment line: NAME = value (blanks around = allowed).
	cronEnv = regexp.MustCompile(`^(\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*)(.*?)(\s*)$`)
	// NAME=value words inside a command, and URL query parameters.
	assignWord = regexp.MustCompile(`(^|[\s;&|(?])([A-Za-z_][A-Za-z0-9_]*)=` + shellWord)
	// curl -u user:password, quoted or not, glued to -u or not.
	userOption = regexp.MustCompile(`(\s(?:-u|-U|--user|--proxy-user)(?:=|\s*))(?:'([^':]*:)[^']*'|"([^":]*:)[^"]*"|([^\s:'";&|)]*:)[^\s;&|)]+)`)
	// An HTTP header that carries credentials: NAME: [SCHEME] VALUE.
	authHeader = regexp.MustCompile(`(?i)((?:^|[\s'"])(?:proxy-)?(?:authorization|[a-z0-9-]*(?:token|api-?key|secret|password|passwd)[a-z0-9-]*)\s*:\s*(?:(?:bearer|basic|token|digest|negotiate)\s+)?)([^\s'";&|)]+)`)
	// scheme://user:password@
	urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)([^\s@/]+)(@)`)
	// --password=value, --password value (and the other secret words).
	secretOption = regexp.MustCompile(`(?i)(--?(?:[a-z0-9-]*-)?(?:password|passwd|pass|token|secret|api-?key|access-?key|auth-?key)(?:=|\s+))` + shellWord)
	// mysql -pPASS (a glued value; -p alone prompts and is left alone).
	mysqlGlued = regexp.MustCompile(`(\s-p)([^\s;&|)]+)`)
	mysqlTool  = regexp.MustCompile(`\bmysql[a-z_]*\b|\bmariadb[a-z-]*\b`)
	// sshpass -p PASS or -pPASS.
	sshpassP    = regexp.MustCompile(`(\s-p)(\s*)` + shellWord)
	sshpassTool = regexp.MustCompile(`\bsshpass\b`)
	// lftp -u user,PASS; smbclient -U user%PASS; openssl pass:PASS.
	commaUser   = regexp.MustCompile(`(\s-u\s*[^\s,;&|)'"]+,)([^\s;&|)'"]+)`)
	percentUser = regexp.MustCompile(`(\s(?:-U|--user)(?:=|\s*)[^\s%;&|)'"]+%)([^\s;&|)'"]+)`)
	opensslPass = regexp.MustCompile(`(\bpass:)([^\s;&|)'"]+)`)
)

func redactCronLine(l string) string {
	body, nl := strings.CutSuffix(l, "\n")
	// A comment's text after its #s is redacted as a line of its own.
	prefix := ""
	if rest := strings.TrimLeft(body, " \t"); strings.HasPrefix(rest, "#") {
		n := len(body) - len(strings.TrimLeft(rest, "#"))
		prefix, body = body[:n], body[n:]
	}
	if m := cronEnv.FindStringSubmatch(body); m != nil && secretName.MatchString(m[2]) && m[3] != "" {
		body = m[1] + Redacted + m[4]
	} else {
		body = assignWord.ReplaceAllStringFunc(body, func(w string) string {
			m := assignWord.FindStringSubmatch(w)
			if !secretName.MatchString(m[2]) {
				return w
			}
			return m[1] + m[2] + "=" + Redacted
		})
		body = urlUserinfo.ReplaceAllString(body, "${1}"+Redacted+"${3}")
		body = userOption.ReplaceAllStringFunc(body, func(w string) string {
			m := userOption.FindStringSubmatch(w)
			switch {
			case m[2] != "":
				return m[1] + "'" + m[2] + Redacted + "'"
			case m[3] != "":
				return m[1] + `"` + m[3] + Redacted + `"`
			}
			return m[1] + m[4] + Redacted
		})
		body = authHeader.ReplaceAllString(body, "${1}"+Redacted)
		body = secretOption.ReplaceAllString(body, "${1}"+Redacted)
		if mysqlTool.MatchString(body) {
			body = mysqlGlued.ReplaceAllString(body, "${1}"+Redacted)
		}
		if sshpassTool.MatchString(body) {
			body = sshpassP.ReplaceAllString(body, "${1}${2}"+Redacted)
		}
		body = commaUser.ReplaceAllString(body, "${1}"+Redacted)
		body = percentUser.ReplaceAllString(body, "${1}"+Redacted)
		body = opensslPass.ReplaceAllString(body, "${1}"+Redacted)
	}
	body = prefix + body
	if nl {
		body += "\n"
	}
	return body
}
