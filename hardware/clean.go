package hardware

import (
	"html"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// cleanLines turns a dmesg as people save and paste it into the lines the
// kernel printed, as /var/run/dmesg.boot holds them. In order:
//   - bytes that are not UTF-8 are read as Latin-1;
//   - CRLF and lone CR end lines;
//   - a dmesg pasted from a web page loses <br>/<pre> tags and has its
//     HTML entities decoded (only when the text shows entities or tags);
//   - a whole file on one line is split again before each device line;
//   - terminal escapes and control characters go, trailing blanks go;
//   - syslog prefixes ("Jun 22 10:18:19 host /bsd: ") go, and lines other
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
	width := wrapWidth(rawLines)
	lines := make([]string, 0, len(rawLines))
	type tail struct{ blank, atWidth bool } // how each kept line ended
	tails := make([]tail, 0, len(rawLines))
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
				lines[n-1] += trimmed
				tails[n-1] = cur
				continue
			case (len(prev) >= 72 || pt.blank) && trimmed[0] != ' ' && !lineStart(trimmed):
				sep := ""
				if pt.blank || len(prev) < 72 {
					sep = " "
				}
				lines[n-1] += sep + trimmed
				tails[n-1] = cur
				continue
			}
		}
		lines = append(lines, trimmed)
		tails = append(tails, cur)
	}
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t")
	}
	return lines
}

// decodeText returns raw as UTF-8, reading invalid bytes as Latin-1.
func decodeText(raw []byte) string {
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
var syslogPrefix = regexp.MustCompile(`^[A-Z][a-z]{2} [ 0-9]?[0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} \S+ ([^\s:\[]+)(?:\[[0-9]+\])?: ?`)

// stripSyslog returns the kernel message of a syslog line; lines other
// programs logged are dropped (keep false). Other lines pass unchanged.
func stripSyslog(l string) (string, bool) {
	if len(l) < 16 || l[0] < 'A' || l[0] > 'Z' || l[3] != ' ' || l[9] != ':' && l[10] != ':' {
		return l, true
	}
	m := syslogPrefix.FindStringSubmatchIndex(l)
	if m == nil {
		return l, true
	}
	prog := l[m[2]:m[3]]
	if prog == "kernel" || strings.HasPrefix(prog, "/bsd") {
		return l[m[1]:], true
	}
	return "", false
}

// wrapWidth detects a dmesg hard-wrapped at a fixed column (a terminal or
// a mailer cut every longer line at 80, 100, 120 characters): the longest
// line length, when at least three lines have it and most of those are
// followed by a line that cannot start a kernel message. Otherwise 0.
func wrapWidth(lines []string) int {
	width, count := 0, 0
	for _, l := range lines {
		switch n := len(strings.TrimRight(l, "\r")); {
		case n > width:
			width, count = n, 1
		case n == width:
			count++
		}
	}
	if width < 60 || count < 3 {
		return 0
	}
	cont := 0
	for i := 0; i+1 < len(lines); i++ {
		if len(strings.TrimRight(lines[i], "\r")) == width && !strongStart(strings.TrimSpace(lines[i+1])) {
			cont++
		}
	}
	if 2*cont < count {
		return 0
	}
	return width
}

// strongStart reports whether s surely starts a kernel message: a device
// attaching ("re0 at", "acpicpu at"), a device's message ("re0:",
// "wd0(pciide0:0:0):"), a quoted product, a known line ("real mem"), a
// capitalised label ("WARNING:"). A hard-wrapped tail may look like the
// weaker lineStart ("ss XXX", "n 0 function") but rarely like this.
func strongStart(s string) bool {
	if s == "" || s[0] == '"' {
		return true
	}
	for _, p := range []string{"OpenBSD", "real mem", "avail mem", "total memory", "physical memory", "root on ",
		"boot device", "vendor \"", "manufacturer ", "mainbus0 (root)", "Copyright", "[ "} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	i := 0
	for i < len(s) && ('a' <= s[i] && s[i] <= 'z' || i > 0 && ('0' <= s[i] && s[i] <= '9' || s[i] == '_' || s[i] == '.')) {
		i++
	}
	if i > 0 && i < len(s) {
		word, rest := s[:i], s[i:]
		instance := isInstance(word)
		return instance && (rest[0] == ':' || rest[0] == '(') || strings.HasPrefix(rest, ": ") ||
			rest[0] == '=' || strings.HasPrefix(rest, " at ") || rest == " detached"
	}
	j := 0
	for j < len(s) && 'A' <= s[j] && s[j] <= 'Z' {
		j++
	}
	return j > 1 && j < len(s) && s[j] == ':'
}

// lineStart reports whether s can start a kernel message: a device name
// followed by ":", "=", " " ("re0 at", "drm: ", "hw.model="), a quoted
// product, a capitalised word ("Copyright ", "WARNING:"), OpenBSD, or
// console markup ("$ ", ">>", "#", "[", "(", "<"). A wrapped line's tail
// usually is none of these (`LUSH,ACPI`, `36:3b`, `y, channel 1`, `48-way`).
func lineStart(s string) bool {
	if s == "" {
		return true
	}
	switch c := s[0]; {
	case c == '"' || c == '[' || c == '(' || c == '<' || c == '#':
		return true
	case strings.HasPrefix(s, "$ ") || strings.HasPrefix(s, ">>") || strings.HasPrefix(s, "OpenBSD"):
		return true
	case 'a' <= c && c <= 'z':
		i := 1
		for i < len(s) && (isAlnum(s[i]) || strings.IndexByte("_./-", s[i]) >= 0) {
			i++
		}
		if i < len(s) {
			return s[i] == ':' || s[i] == '=' || s[i] == ' '
		}
		return isInstance(s)
	case 'A' <= c && c <= 'Z':
		i := 1
		for i < len(s) && 'a' <= s[i] && s[i] <= 'z' {
			i++
		}
		if i > 1 && i < len(s) && (s[i] == ' ' || s[i] == ':' || s[i] == ',') {
			return true
		}
		i = 1
		for i < len(s) && 'A' <= s[i] && s[i] <= 'Z' {
			i++
		}
		return i < len(s) && (s[i] == ':' || s[i] == ' ' || s[i] == '=')
	}
	return false
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// completesMAC reports whether prev ends in a MAC address cut short that
// the start of cur completes ("address 00:1e:ec:0b:" + "36:3b").
func completesMAC(prev, cur string) bool {
	if len(prev) > 25 {
		prev = prev[len(prev)-25:] // "address " and at most 16 MAC characters
	}
	tok := ""
	if i := strings.LastIndex(prev, "address "); i >= 0 {
		tok = prev[i+len("address "):]
	} else if !strings.HasSuffix(prev, " address") {
		return false
	}
	if len(tok) >= 17 || !isMACChars(tok) {
		return false
	}
	j := 0
	for j < len(cur) && isMACChars(cur[j:j+1]) {
		j++
	}
	return j > 0 && (isMAC(tok+cur[:j]) || isMaskedMAC(tok+cur[:j]) && strings.Count(tok+cur[:j], ":") == 5)
}

// isMACChars reports whether s holds only what a MAC, masked or not, has.
func isMACChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) && s[i] != ':' && s[i] != 'x' && s[i] != 'X' {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isMAC reports whether s is six two-digit hex octets joined by colons.
func isMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		if i%3 == 2 {
			if s[i] != ':' {
				return false
			}
		} else if !isHex(s[i]) {
			return false
		}
	}
	return true
}
