package etcfiles

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// IfLine is one line of a hostname.if file.
type IfLine struct {
	Line  int      `json:"line"`
	Kind  string   `json:"kind"` // see classify
	Text  string   `json:"-"`    // may hold secrets
	Words []string `json:"-"`    // the line split as the shell would, quotes removed
}

// HostnameIf is a parsed /etc/hostname.if file.
type HostnameIf struct {
	Lines []IfLine `json:"lines"`
	// Problems are lines netstart would not run as written (see the
	// reference, 3.2): an unterminated last line, backslashes, shell
	// expansion, unquoted blanks in values, bad wpakey lengths.
	Problems Errors `json:"problems,omitempty"`
}

// maxHostnameIf bounds what is read: a hostname.if is a few lines.
const maxHostnameIf = 1 << 20

// ParseHostnameIf classifies each line the way netstart(8) reads it. It
// fails only on a read error or an oversized file; what netstart would
// mangle is reported in Problems, each naming its line.
func ParseHostnameIf(r io.Reader) (*HostnameIf, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxHostnameIf+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxHostnameIf {
		return nil, fmt.Errorf("hostname.if larger than %d bytes", maxHostnameIf)
	}
	h := &HostnameIf{}
	text := string(data)
	lines := strings.Split(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	} else {
		h.problem(len(lines), "the last line has no newline: netstart's read fails on it and the line is ignored")
	}
	for i := 0; i < len(lines); i++ {
		n, l := i+1, lines[i]
		// netstart reads with read(1) without -r: a line that ends in an
		// unescaped backslash goes on with the next one.
		for endsInEscape(l) && i+1 < len(lines) {
			where := ""
			if strings.HasPrefix(strings.TrimLeft(l, " \t"), "#") {
				where = ", inside this comment"
			}
			h.problem(i+1, "ends in a backslash: netstart's read joins line %d to it%s", i+2, where)
			l = l[:len(l)-1] + lines[i+1]
			i++
		}
		if strings.HasSuffix(l, "\r") {
			h.problem(n, "ends in a carriage return (a file with CRLF line ends?): netstart keeps it in the last word")
		}
		toks, perr := splitShell(l)
		words := make([]string, len(toks))
		for j, t := range toks {
			words[j] = t.value
		}
		il := IfLine{Line: n, Text: l, Words: words, Kind: classify(words)}
		h.Lines = append(h.Lines, il)
		if il.Kind == "blank" || il.Kind == "comment" {
			continue
		}
		if perr != "" {
			h.problem(n, "%s", perr)
		}
		h.checkLine(il, toks)
	}
	return h, nil
}

func (h *HostnameIf) problem(line int, format string, args ...any) {
	h.Problems = append(h.Problems, &LineError{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// classify names a line by its first words, as netstart dispatches it.
func classify(w []string) string {
	if len(w) == 0 {
		return "blank"
	}
	switch {
	case strings.HasPrefix(w[0], "#"):
		return "comment"
	case strings.HasPrefix(w[0], "!"):
		return "command"
	case w[0] == "inet" || w[0] == "inet6":
		if len(w) > 1 && (w[1] == "autoconf" || w[1] == "alias") {
			return w[0] + "-" + w[1]
		}
		return w[0]
	case w[0] == "dhcp" || w[0] == "dest" || w[0] == "join" || w[0] == "nwid" || w[0] == "wpakey" || w[0] == "up":
		return w[0]
	}
	return "ifconfig"
}

// wifiParams are ifconfig words that may follow an ESSID on a join or
// nwid line; anything else right after the ESSID means the ESSID had a
// blank and was not quoted.
var wifiParams = map[string]bool{
	"wpakey": true, "-wpakey": true, "wpa": true, "-wpa": true, "wpaprotos": true, "wpaakms": true,
	"wpaciphers": true, "wpagroupcipher": true, "nwkey": true, "-nwkey": true, "chan": true, "-chan": true,
	"bssid": true, "-bssid": true, "mode": true, "media": true, "mediaopt": true, "up": true,
	"inet": true, "inet6": true, "-join": true, "powersave": true, "-powersave": true,
}

var hex64 = regexp.MustCompile(`^0x[0-9a-fA-F]{64}$`)

func (h *HostnameIf) checkLine(l IfLine, toks []shellToken) {
	n, w := l.Line, l.Words
	if strings.HasSuffix(l.Text, "\\") {
		h.problem(n, "ends in a backslash: netstart's read joins the next line to it")
	} else if strings.Contains(l.Text, "\\") {
		h.problem(n, "contains a backslash: netstart's read removes it")
	}
	if l.Kind != "command" {
		for j, t := range toks {
			if t.expands {
				h.problem(n, "%s is expanded by the shell: netstart evals the line (use single quotes or avoid $ and `)", describeWord(w, j))
				break
			}
		}
	}
	for _, t := range toks {
		if t.quoted && blankRun.MatchString(t.value) {
			h.problem(n, "a quoted value has a run of blanks: netstart collapses it to one blank")
			break
		}
	}
	switch l.Kind {
	case "dhcp":
		if len(w) > 1 {
			h.problem(n, "words after dhcp are dropped by netstart; write inet autoconf %s", strings.Join(w[1:], " "))
		}
	case "join", "nwid":
		switch {
		case len(w) > 1 && secretWords[w[1]] > 0:
			h.problem(n, "%s has no network name before %s", w[0], w[1])
		case len(w) > 2 && !wifiParams[w[2]]:
			h.problem(n, "%s after the network name %q is not an ifconfig parameter: quote a network name that has blanks", describeWord(w, 2), w[1])
		}
	case "ifconfig":
		if (w[0] == "description" || w[0] == "descr") && len(w) > 2 {
			h.problem(n, "description has several words: quote it")
		}
	}
	for i := 0; i < len(w) && l.Kind != "command"; i++ {
		if k := secretWords[w[i]]; k > 0 && i+k+1 < len(w) && !paramWord(w[i+k+1]) {
			h.problem(n, "%s: the words after the key are no ifconfig parameters: quote a key that has blanks", w[i])
			break
		}
	}
	for i := 0; i+1 < len(w); i++ {
		if w[i] != "wpakey" {
			continue
		}
		k := w[i+1]
		if !hex64.MatchString(k) && (len(k) < 8 || len(k) > 63) {
			h.problem(n, "wpakey: passphrase must be between 8 and 63 characters (it has %d)", len(k))
		}
	}
}

var blankRun = regexp.MustCompile(`[ \t]{2,}`)

// Autoconf reports whether the file configures IPv4 and IPv6 by
// autoconfiguration (inet autoconf or dhcp; inet6 autoconf).
func (h *HostnameIf) Autoconf() (v4, v6 bool) {
	for _, l := range h.Lines {
		switch l.Kind {
		case "inet-autoconf", "dhcp":
			v4 = true
		case "inet6-autoconf":
			v6 = true
		}
	}
	return v4, v6
}

// driverWords are ifconfig parameters whose values only some drivers
// take: a media type or option, a wireless mode or channel, a transmit
// power, an MTU (jumbo frames).
var driverWords = map[string]bool{
	"media": true, "mediaopt": true, "-mediaopt": true, "mode": true, "chan": true,
	"txpower": true, "mtu": true,
}

// DriverParam is a parameter only some drivers take, with its value
// ("media 1000baseT"), and the line it is on.
type DriverParam struct {
	Line int
	Text string
}

// DriverParams lists the parameters of the file only some drivers take
// (media, mediaopt, mode, chan, txpower, mtu), for a file moved to
// another driver. Comments and !commands are not read, and a word that is
// an ESSID or a secret value is never taken for a parameter.
func (h *HostnameIf) DriverParams() []DriverParam {
	var out []DriverParam
	for _, l := range h.Lines {
		if l.Kind == "comment" || l.Kind == "command" || l.Kind == "blank" {
			continue
		}
		skip := 0
		for i, w := range l.Words {
			switch {
			case skip > 0:
				skip--
			case w == "join" || w == "nwid":
				skip = 1 // the ESSID
			case secretWords[w] > 0:
				skip = secretWords[w]
			case driverWords[w]:
				p := w
				if i+1 < len(l.Words) && !strings.HasPrefix(w, "-") {
					p += " " + l.Words[i+1]
					skip = 1
				}
				out = append(out, DriverParam{Line: l.Line, Text: p})
			}
		}
	}
	return out
}

// Lladdrs lists the fixed MAC addresses the file sets ("lladdr
// 00:11:22:33:44:55", not "lladdr random"), with their lines. Comments,
// !commands, network names, descriptions and secret values are not read.
func (h *HostnameIf) Lladdrs() []DriverParam {
	var out []DriverParam
	for _, l := range h.Lines {
		if l.Kind == "comment" || l.Kind == "command" || l.Kind == "blank" {
			continue
		}
		skip := 0
		for i, w := range l.Words {
			switch {
			case skip > 0:
				skip--
			case textWords[w]:
				skip = 1
			case secretWords[w] > 0:
				skip = secretWords[w]
			case w == "lladdr" && i+1 < len(l.Words) && l.Words[i+1] != "random":
				out = append(out, DriverParam{Line: l.Line, Text: "lladdr " + l.Words[i+1]})
				skip = 1
			}
		}
	}
	return out
}

// Wireless reports whether the file joins a Wi-Fi network.
func (h *HostnameIf) Wireless() bool {
	for _, l := range h.Lines {
		if l.Kind == "join" || l.Kind == "nwid" {
			return true
		}
	}
	return false
}

var (
	ifNameRe = regexp.MustCompile(`^hostname\.([a-z]+[0-9]+)$`)
	lladdrRe = regexp.MustCompile(`^hostname\.([0-9a-f]{2}(:[0-9a-f]{2}){5})$`)
)

// IfName returns the interface (iwm0) or lladdr (00:11:22:33:44:55) a
// hostname.* file name configures, and false for names netstart ignores
// (hostname.em0.bak, hostname.em0~).
func IfName(file string) (name string, lladdr bool, ok bool) {
	if m := ifNameRe.FindStringSubmatch(file); m != nil {
		return m[1], false, true
	}
	if m := lladdrRe.FindStringSubmatch(file); m != nil {
		return m[1], true, true
	}
	return "", false, false
}

// endsInEscape reports whether l ends in an odd number of backslashes,
// which read(1) without -r takes for a line continuation.
func endsInEscape(l string) bool {
	n := len(l) - len(strings.TrimRight(l, "\\"))
	return n%2 == 1
}
