package hardware

import (
	"html"
	"regexp"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// cleanLines turns a dmesg as people save and paste it into the lines the
// kernel printed, as /var/run/dmesg.boot holds them. In order:
//   - bytes that are not UTF-8 are read as Latin-1;
//   - CRLF and lone CR end lines;
//   - a dmesg pasted from a web page loses <br>/<pre> tags and has its
//     HTML entities decoded (only when the text shows entities or tags);
//   - a whole file on one line is split again before each device line;
//   - a dmesg quoted in a mail reply ("> " before most lines, nested or
//     not) is unquoted;
//   - terminal escapes and control characters go, trailing blanks go;
//   - syslog prefixes ("Jun 22 10:18:19 host /bsd: ", or with syslogd -Z
//     "2024-11-27T13:55:09.123Z host /bsd: ") go, and lines other
//     programs logged are dropped;
//   - lines a terminal or mailer wrapped (at 80, 100, 120 columns) are
//     joined again: a line that cannot start a kernel message continues the
//     long line before it;
//   - leading blanks go.
//
// Nothing here fails: an odd line is kept as it is, or dropped.
func cleanLines(raw []byte) []string {
	text := decodeText(raw)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	if looksHTML(text) {
		text = stripHTML(text)
	}
	rawLines := strings.Split(text, "\n")
	if len(rawLines) <= 3 && len(text) > 1000 {
		rawLines = splitOneLine(text)
	}
	rawLines = unquoteMail(rawLines)
	width := wrapWidth(rawLines)
	lines := make([]string, 0, len(rawLines))
	type tail struct{ blank, atWidth bool } // how each kept line ended
	tails := make([]tail, 0, len(rawLines))
	// The last kept line grows in a builder while later lines continue
	// it: adding to the string would copy the whole line for each piece.
	var last strings.Builder
	joinLast := func(s string) {
		n := len(lines)
		if last.Len() == 0 {
			last.WriteString(lines[n-1])
		}
		last.WriteString(s)
		lines[n-1] = last.String()
	}
	for _, l := range rawLines {
		l = sanitizeLine(l)
		rest, keep := stripSyslog(l)
		if !keep {
			continue
		}
		l = rest
		trimmed := strings.TrimRight(l, " \t")
		cur := tail{blank: len(trimmed) < len(l), atWidth: width > 0 && len(l) == width}
		if n := len(lines); n > 0 {
			prev, pt := lines[n-1], tails[n-1]
			switch {
			case prev == "" || trimmed == "":
			case completesMAC(prev, trimmed),
				pt.atWidth && !strongStart(trimmed) && !strings.HasPrefix(trimmed, "  "):
				// A hard wrap: the text goes on exactly where it broke.
				if pt.blank || strings.HasSuffix(prev, " address") {
					trimmed = " " + strings.TrimLeft(trimmed, " ")
				}
				joinLast(trimmed)
				tails[n-1] = cur
				continue
			case (len(prev) >= 72 || pt.blank) && trimmed[0] != ' ' && !lineStart(trimmed):
				sep := ""
				if pt.blank || len(prev) < 72 {
					sep = " "
				}
				joinLast(sep + trimmed)
				tails[n-1] = cur
				continue
			}
		}
		lines = append(lines, trimmed)
		tails = append(tails, cur)
		last.Reset()
	}
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t")
	}
	return lines
}

// decodeText returns raw as UTF-8, reading invalid bytes as Latin-1. A
// byte-order mark goes: Windows editors start UTF-8 with one, and Windows
// PowerShell's > writes UTF-16 after one, which is decoded. Left in, it
// would hide the kernel version line it sticks to.
func decodeText(raw []byte) string {
	switch {
	case len(raw) >= 2 && (raw[0] == 0xff && raw[1] == 0xfe || raw[0] == 0xfe && raw[1] == 0xff):
		return decodeUTF16(raw[2:], raw[0] == 0xfe)
	case len(raw) >= 3 && raw[0] == 0xef && raw[1] == 0xbb && raw[2] == 0xbf:
		raw = raw[3:]
	}
	if utf8.Valid(raw) {
		return string(raw)
	}
	var b strings.Builder
	b.Grow(len(raw) + len(raw)/8)
	for len(raw) > 0 {
		r, size := utf8.DecodeRune(raw)
		if r == utf8.RuneError && size == 1 {
			r = rune(raw[0])
		}
		b.WriteRune(r)
		raw = raw[size:]
	}
	return b.String()
}

// decodeUTF16 returns UTF-16 text as UTF-8; a final odd byte is dropped.
func decodeUTF16(raw []byte, bigEndian bool) string {
	u := make([]uint16, len(raw)/2)
	for i := range u {
		hi, lo := raw[2*i+1], raw[2*i]
		if bigEndian {
			hi, lo = lo, hi
		}
		u[i] = uint16(hi)<<8 | uint16(lo)
	}
	return string(utf16.Decode(u))
}

func looksHTML(text string) bool {
	for _, s := range []string{"&quot;", "&lt;", "&gt;", "&amp;", "&#", "<br", "<BR", "<pre", "<PRE"} {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

var (
	htmlBreak = regexp.MustCompile(`(?i)<br\s*/?>`)
	// Only the tags a dmesg is wrapped in on a web page; dmesg's own
	// <VENDOR, MODEL, REV> must survive.
	htmlTag = regexp.MustCompile(`(?i)</?(?:pre|code|tt|p|div|span|samp|kbd|blockquote|html|body)(?:\s[^>]*)?>`)
)

func stripHTML(text string) string {
	text = htmlBreak.ReplaceAllString(text, "\n")
	text = htmlTag.ReplaceAllString(text, "")
	return strings.ReplaceAll(html.UnescapeString(text), "\u00a0", " ")
}

// oneLineBreak finds where a kernel line would have started inside a dmesg
// whose newlines were lost: before `name0 at parent0`, `"Product" at`,
// `vendor "`, the kernel build path, the memory and version lines; and
// oneLineMessage before `name0: ` and `name0(`, kept only for names that
// attach somewhere in the text (so "rev 0x81, i82562: irq 11" stays whole).
var (
	oneLineBreak   = regexp.MustCompile(`\s((?:[a-z][a-z0-9_]*[0-9]+|[a-z]+) at [a-z][a-z0-9_]*[0-9]+|"[^"]{1,80}"(?: rev \S+)? at [a-z]|vendor "|\S+@\S*:/|real mem|avail mem|total memory|physical memory|OpenBSD [0-9]|root on )`)
	oneLineMessage = regexp.MustCompile(`\s([a-z][a-z0-9_]*[0-9]+)[:(]`)
	attachName     = regexp.MustCompile(`(?:^|\s)([a-z][a-z0-9_]*[0-9]+) at `)
)

func splitOneLine(text string) []string {
	attached := map[string]bool{}
	for _, m := range attachName.FindAllStringSubmatch(text, -1) {
		attached[m[1]] = true
	}
	var out []string
	for _, l := range strings.Split(text, "\n") {
		var cuts []int
		for _, m := range oneLineBreak.FindAllStringSubmatchIndex(l, -1) {
			cuts = append(cuts, m[2])
		}
		for _, m := range oneLineMessage.FindAllStringSubmatchIndex(l, -1) {
			name := l[m[2]:m[3]]
			if (attached[name] || driverOf(name) == "cpu") && !strings.HasSuffix(l[:m[0]], " at") {
				cuts = append(cuts, m[2])
			}
		}
		sort.Ints(cuts)
		last := 0
		for _, c := range cuts {
			if c > last {
				out = append(out, l[last:c])
				last = c
			}
		}
		out = append(out, l[last:])
	}
	return out
}

var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;?]*[ -/]*[@-~]")

// sanitizeLine removes terminal escapes and control characters; a tab
// becomes a blank.
func sanitizeLine(l string) string {
	clean := true
	for i := 0; i < len(l); i++ {
		c := l[i]
		if c < 0x20 || c == 0x7f || c == 0xc2 && i+1 < len(l) && l[i+1] >= 0x80 && l[i+1] < 0xa0 {
			clean = false
			break
		}
	}
	if clean {
		return l
	}
	if strings.IndexByte(l, 0x1b) >= 0 {
		l = ansiEscape.ReplaceAllString(l, "")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		}
		return r
	}, l)
}

// syslogPrefix is a BSD syslog line head: "Mon DD HH:MM:SS host prog[pid]: ".
// isoSyslogPrefix is the head syslogd -Z writes, an ISO 8601 time in UTC:
// "2024-11-27T13:55:09.123Z host prog[pid]: ".
var (
	syslogPrefix    = regexp.MustCompile(`^[A-Z][a-z]{2} [ 0-9]?[0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} \S+ ([^\s:\[]+)(?:\[[0-9]+\])?: ?`)
	isoSyslogPrefix = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2}) \S+ ([^\s:\[]+)(?:\[[0-9]+\])?: ?`)
)

// stripSyslog returns the kernel message of a syslog line; lines other
// programs logged are dropped (keep false). Other lines pass unchanged.
func stripSyslog(l string) (string, bool) {
	var re *regexp.Regexp
	switch {
	case len(l) >= 16 && 'A' <= l[0] && l[0] <= 'Z' && l[3] == ' ' && (l[9] == ':' || l[10] == ':'):
		re = syslogPrefix
	case len(l) >= 21 && '0' <= l[0] && l[0] <= '9' && l[4] == '-' && l[10] == 'T':
		re = isoSyslogPrefix
	default:
		return l, true
	}
	m := re.FindStringSubmatchIndex(l)
	if m == nil {
		return l, true
	}
	prog := l[m[2]:m[3]]
	if prog == "kernel" || strings.HasPrefix(prog, "/bsd") {
		return l[m[1]:], true
	}
	return "", false
}

// mailQuote is the quoting a mail reply puts before a line: ">", "> ",
// "> > ", ">>".
var mailQuote = regexp.MustCompile(`^(> ?)+`)

// unquoteMail removes mail quoting when at least 80% of the non-empty
// lines carry it: no kernel message starts with ">", so a file quoted that
// much is a quoted dmesg (a few unquoted lines are the reply's own).
func unquoteMail(lines []string) []string {
	quoted, nonEmpty := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		nonEmpty++
		if strings.HasPrefix(l, ">") {
			quoted++
		}
	}
	if nonEmpty == 0 || quoted*5 < nonEmpty*4 {
		return lines
	}
	out := make([]string, 0, quoted)
	for _, l := range lines {
		if strings.HasPrefix(l, ">") {
			out = append(out, mailQuote.ReplaceAllString(l, ""))
		}
	}
	return out
}
