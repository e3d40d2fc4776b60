package etcfiles

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestParseHostnameIfKinds(t *testing.T) {
	in := "# c\n\ninet 192.0.2.1 255.255.255.0 NONE\ninet alias 192.0.2.2 255.255.255.255\ninet6 2001:db8::1 64\ninet6 alias 2001:db8::2 64\ndest 192.0.2.9\ninet autoconf\ndhcp\ninet6 autoconf\njoin net wpakey secret123\nnwid net\nwpakey secret123\n!echo $if\nup\nmtu 1400\n"
	h, err := ParseHostnameIf(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"comment", "blank", "inet", "inet-alias", "inet6", "inet6-alias", "dest", "inet-autoconf", "dhcp", "inet6-autoconf", "join", "nwid", "wpakey", "command", "up", "ifconfig"}
	if len(h.Lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(h.Lines), len(want))
	}
	for i, l := range h.Lines {
		if l.Kind != want[i] || l.Line != i+1 {
			t.Errorf("line %d %q: kind %s, want %s", i+1, l.Text, l.Kind, want[i])
		}
	}
	if len(h.Problems) != 0 {
		t.Errorf("problems in a clean file: %v", h.Problems)
	}
	if v4, v6 := h.Autoconf(); !v4 || !v6 {
		t.Errorf("Autoconf() = %v, %v", v4, v6)
	}
	if !h.Wireless() {
		t.Error("Wireless() = false")
	}
}

func TestParseHostnameIfProblems(t *testing.T) {
	tests := []struct{ in, want string }{
		{"inet autoconf", "line 1: the last line has no newline"},
		{"join My Net wpakey secretpass\n", `line 1: "Net" after the network name "My"`},
		{"join net wpakey pa$$word99\n", "line 1: a secret value is expanded by the shell"},
		{"join net wpakey \"pa$word99\"\n", "line 1: a secret value is expanded"},
		{"description `reboot`\n", "expanded by the shell"},
		{"join net wpakey short\n", "wpakey: passphrase must be between 8 and 63 characters (it has 5)"},
		{"join net wpakey 0x0123\n", "between 8 and 63"},
		{"description my uplink\n", "description has several words: quote it"},
		{"dhcp nameserver 1.1.1.1\n", "words after dhcp are dropped"},
		{"join net \\\nwpakey x\n", "ends in a backslash"},
		{"join ne\\t wpakey secretpass\n", "contains a backslash"},
		{"description \"a  b\"\n", "run of blanks"},
		{"join \"net wpakey secretpass\n", "unbalanced double quote"},
		{"up; reboot\n", "unquoted ; is shell syntax"},
		{"# was: join old \\\ninet autoconf\n", "line 1: ends in a backslash: netstart's read joins line 2 to it, inside this comment"},
		{"inet autoconf\r\n", "line 1: ends in a carriage return"},
	}
	for _, tt := range tests {
		h, err := ParseHostnameIf(strings.NewReader(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.Problems.Error(), tt.want) {
			t.Errorf("ParseHostnameIf(%q) problems = %q, want %q", tt.in, h.Problems.Error(), tt.want)
		}
		if strings.Contains(h.Problems.Error(), "pa$") || strings.Contains(h.Problems.Error(), "secretpass") {
			t.Errorf("ParseHostnameIf(%q) problems show a secret: %q", tt.in, h.Problems.Error())
		}
	}
	// assert that: a comment that swallows the next line swallows its
	// autoconf too, as netstart reads it.
	h, _ := ParseHostnameIf(strings.NewReader("# was: join old \\\ninet autoconf\n"))
	if v4, _ := h.Autoconf(); v4 {
		t.Error("inet autoconf after a comment ending in a backslash counts as autoconf")
	}
	// $if in a !command line is netstart's own substitution: fine.
	h, _ = ParseHostnameIf(strings.NewReader("!route add default -ifp $if 192.0.2.1\n"))
	if len(h.Problems) != 0 {
		t.Errorf("!command with $if: %v", h.Problems)
	}
}

// TestRenameKeepsText: a network name or a description that happens to
// be an interface's name is text, not an interface: renaming it would
// make the new machine join another network.
func TestRenameKeepsText(t *testing.T) {
	m := map[string]string{"em0": "igc0", "iwn0": "iwx0"}
	tests := []struct{ in, want string }{
		{"join iwn0 wpakey secretpass\n", "join iwn0 wpakey secretpass\n"},
		{"nwid em0\n", "nwid em0\n"},
		{"-join iwn0\n", "-join iwn0\n"},
		{"description em0\n", "description em0\n"},
		{"descr em0 parent em0\n", "descr em0 parent igc0\n"},
		{"!ifconfig iwn0 join iwn0\n", "!ifconfig iwx0 join iwn0\n"},
	}
	for _, tt := range tests {
		if got := RenameInterfaces(tt.in, m); got != tt.want {
			t.Errorf("RenameInterfaces(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactAndRename(t *testing.T) {
	data, err := os.ReadFile("testdata/hostname.iwn0")
	if err != nil {
		t.Fatal(err)
	}
	red := RedactHostnameIf(string(data))
	if strings.Contains(red, "horse") || strings.Contains(red, "0123456789abcdef") {
		t.Errorf("RedactHostnameIf left a key:\n%s", red)
	}
	if !strings.Contains(red, `join "Home Net" wpakey <redacted>`) || !strings.Contains(red, "join work wpakey <redacted>\n") {
		t.Errorf("RedactHostnameIf =\n%s", red)
	}
	ren := RenameInterfaces(string(data), map[string]string{"iwn0": "iwm0"})
	want := strings.Replace(string(data), "-ifp iwn0", "-ifp iwm0", 1)
	if ren != want {
		t.Errorf("RenameInterfaces =\n%s\nwant\n%s", ren, want)
	}
	em, _ := os.ReadFile("testdata/hostname.em0")
	if got := RenameInterfaces(string(em), map[string]string{"em0": "igc0"}); got != string(em) {
		t.Errorf("RenameInterfaces changed a quoted description:\n%s", got)
	}
	if got := RenameInterfaces("vnetid 10 parent em0\n", map[string]string{"em0": "igc0"}); got != "vnetid 10 parent igc0\n" {
		t.Errorf("RenameInterfaces(parent em0) = %q", got)
	}
}

// TestRedactContinuedLines: netstart's read joins a line ending in a
// backslash with the next one, so a key there is still a key.
func TestRedactContinuedLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"join home wpakey \\\nsupersecret\ninet autoconf\n", "join home wpakey \\\n<redacted>\ninet autoconf\n"},
		{"join home wpakey \\\n  supersecret\n", "join home wpakey \\\n  <redacted>\n"},
		{"join home wpakey super\\\nsecret\n", "join home wpakey \\\n<redacted>\n"},
		{"join home wpakey 'super\\\nsecret'\n", "join home wpakey \\\n<redacted>\n"},
		{"wgkey \\\n\\\nsupersecret=\n", "wgkey \\\n\\\n<redacted>\n"},
		// An escaped backslash ends the line: the next is not continued.
		{"join home wpakey x\\\\\nmtu 1400\n", "join home wpakey <redacted>\nmtu 1400\n"},
	}
	for _, tt := range tests {
		if got := RedactHostnameIf(tt.in); got != tt.want {
			t.Errorf("RedactHostnameIf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := RenameInterfaces("!route add default -ifp \\\niwn0 192.0.2.1\n", map[string]string{"iwn0": "iwm0"}); got != "!route add default -ifp \\\niwm0 192.0.2.1\n" {
		t.Errorf("RenameInterfaces across a continued line = %q", got)
	}
	// A name split over the last line, which has no newline: the
	// break goes before the new name, so the file still ends in a
	// line without a newline, not in a backslash.
	if got := RenameInterfaces("up\nem\\\n0", map[string]string{"em0": "igc0"}); got != "up\n\\\nigc0" {
		t.Errorf("RenameInterfaces of a name split over the last line = %q", got)
	}
}

func TestIfName(t *testing.T) {
	tests := []struct {
		file, name string
		lladdr, ok bool
	}{
		{"hostname.em0", "em0", false, true},
		{"hostname.iwm0", "iwm0", false, true},
		{"hostname.vlan10", "vlan10", false, true},
		{"hostname.00:00:5e:00:53:af", "00:00:5e:00:53:af", true, true},
		{"hostname.00:00:5E:00:53:AF", "", false, false},
		{"hostname.em0.bak", "", false, false},
		{"hostname.em0~", "", false, false},
		{"hostname.em", "", false, false},
	}
	for _, tt := range tests {
		name, lladdr, ok := IfName(tt.file)
		if name != tt.name || lladdr != tt.lladdr || ok != tt.ok {
			t.Errorf("IfName(%q) = %q, %v, %v", tt.file, name, lladdr, ok)
		}
	}
}

// TestRenameScopedAddresses: an IPv6 link-local address names its
// interface after a % (fe80::1%em0, as in a mygate on a host whose
// router is fe80::1); the scope follows the rename.
func TestRenameScopedAddresses(t *testing.T) {
	m := map[string]string{"em0": "igc0", "iwn0": "iwx0"}
	tests := []struct{ in, want string }{
		{"fe80::1%em0\n", "fe80::1%igc0\n"},
		{"192.0.2.1\nfe80::1%em0\n", "192.0.2.1\nfe80::1%igc0\n"},
		{"!route add -inet6 default fe80::1%iwn0\n", "!route add -inet6 default fe80::1%iwx0\n"},
		{"dest fe80::2%em0\n", "dest fe80::2%igc0\n"},
		// With a prefix length, as ifconfig and route take it.
		{"inet6 fe80::1%em0/64\n", "inet6 fe80::1%igc0/64\n"},
		{"!route add -inet6 fe80::%iwn0/64 -interface fe80::1%iwn0\n", "!route add -inet6 fe80::%iwx0/64 -interface fe80::1%iwx0\n"},
		// Not an interface of the map, or not an address: unchanged.
		{"fe80::1%em1\n", "fe80::1%em1\n"},
		{"!echo 50%em0\n", "!echo 50%em0\n"},
		{"description \"fe80::1%em0\"\n", "description \"fe80::1%em0\"\n"},
	}
	for _, tt := range tests {
		if got := RenameInterfaces(tt.in, m); got != tt.want {
			t.Errorf("RenameInterfaces(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRedactEverySecretParameter: each ifconfig parameter that takes a
// secret (ifconfig(8): 802.11, carp, pppoe/sppp, umb, wg) has it
// redacted, including the two secrets of puk and chgpin.
func TestRedactEverySecretParameter(t *testing.T) {
	tests := []struct{ in, want string }{
		{"join home wpakey s3cretpass\n", "join home wpakey <redacted>\n"},
		{"nwkey 0x1234567890\n", "nwkey <redacted>\n"},
		{"carpdev em0 vhid 1 pass s3cret\n", "carpdev em0 vhid 1 pass <redacted>\n"},
		{"authproto chap authname me authkey s3cret\n", "authproto chap authname me authkey <redacted>\n"},
		{"peerproto chap peername isp peerkey s3cret\n", "peerproto chap peername isp peerkey <redacted>\n"},
		{"wgkey a2V5 wgpeer cHVi wgpsk cHNr\n", "wgkey <redacted> wgpeer cHVi wgpsk <redacted>\n"},
		{"apn internet pin 1234\n", "apn internet pin <redacted>\n"},
		{"puk 12345678 4321\n", "puk <redacted> <redacted>\n"},
		{"chgpin 1234 4321\nup\n", "chgpin <redacted> <redacted>\nup\n"},
		// A secret never runs on into the next line.
		{"pin\nup\n", "pin\nup\n"},
		// A network commented out keeps its key out of printed plans too.
		{"#join oldnet wpakey s3cretpass\n", "#join oldnet wpakey <redacted>\n"},
		{"  ## join oldnet wpakey s3cretpass\ninet autoconf\n", "  ## join oldnet wpakey <redacted>\ninet autoconf\n"},
		{"# Bob's old network\n", "# Bob's old network\n"},
	}
	for _, tt := range tests {
		if got := RedactHostnameIf(tt.in); got != tt.want {
			t.Errorf("RedactHostnameIf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRedactLeavesNoPartOfASecret: ifconfig takes one word for a key, so
// an unquoted passphrase with blanks runs on into words that are no
// ifconfig parameters; and a !command may quote a whole ifconfig line.
// No part of such a key may reach a printed plan, nor its problems.
func TestRedactLeavesNoPartOfASecret(t *testing.T) {
	tests := []struct{ in, want string }{
		{"join home wpakey correct horse battery\n", "join home wpakey <redacted> <redacted> <redacted>\n"},
		{"join home wpakey correct horse wpaprotos wpa2 up\n", "join home wpakey <redacted> <redacted> wpaprotos wpa2 up\n"},
		{"wgkey abc def wgpeer cHVi\n", "wgkey <redacted> <redacted> wgpeer cHVi\n"},
		{"!sh -c \"ifconfig $if wpakey battery-staple\"\n", "!sh -c <redacted>\n"},
		{"!ifconfig $if nwid 'my net' nwkey 'a b'\n", "!ifconfig $if nwid 'my net' nwkey <redacted>\n"},
		{"description \"the uplink\"\n", "description \"the uplink\"\n"},
	}
	for _, tt := range tests {
		if got := RedactHostnameIf(tt.in); got != tt.want {
			t.Errorf("RedactHostnameIf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{
		"join wpakey battery-staple\n",
		"join home wpakey correct horse battery\n",
		"nwid wpakey battery-staple\n",
	} {
		h, err := ParseHostnameIf(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if msg := h.Problems.Error(); strings.Contains(msg, "battery") || strings.Contains(msg, "horse") {
			t.Errorf("problems of %q show the key: %s", in, msg)
		}
	}
	h, _ := ParseHostnameIf(strings.NewReader("join home wpakey correcthorse battery\n"))
	if msg := h.Problems.Error(); !strings.Contains(msg, "line 1: wpakey: the words after the key are no ifconfig parameters: quote a key that has blanks") {
		t.Errorf("unquoted key with a blank: problems %q", msg)
	}
}

func TestDriverParams(t *testing.T) {
	text := "# media 10baseT in a comment\n" +
		"media 1000baseT mediaopt full-duplex\n" +
		"join media wpakey mode\n" + // an ESSID and a key that look like parameters
		"nwid home chan 6 mode 11n\n" +
		"!ifconfig em0 mtu 9000\n" +
		"inet 192.0.2.1 255.255.255.0\n" +
		"mtu 9000 -mediaopt\n" +
		"wgkey mtu wgpeer x\n"
	h, err := ParseHostnameIf(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range h.DriverParams() {
		got = append(got, fmt.Sprintf("%d:%s", p.Line, p.Text))
	}
	want := "2:media 1000baseT 2:mediaopt full-duplex 4:chan 6 4:mode 11n 7:mtu 9000 7:-mediaopt"
	if strings.Join(got, " ") != want {
		t.Errorf("DriverParams = %q, want %q", strings.Join(got, " "), want)
	}
}

// TestMentions: interface names are found as words and inside words
// (scopes, quoted !commands), on the line where they are, but not in
// comments or secrets.
func TestMentions(t *testing.T) {
	text := "# em1 in a comment\n" +
		"vnetid 7 parent em1\n" +
		"join em1net wpakey em1em1em1\n" +
		"!sh -c \"ifconfig em1 up\" # em1 again\n" +
		"!route add -inet6 default \\\nfe80::1%em1\n" +
		"description \"uplink em10\"\n" +
		"description \"was em1\"\n" +
		"join \"em1 net\" wpakey x12345678\n"
	got := fmt.Sprint(Mentions(text, map[string]bool{"em1": true}))
	if want := "[{2 em1} {4 em1} {5 em1}]"; got != want {
		t.Errorf("Mentions = %s, want %s", got, want)
	}
}

func TestLladdrs(t *testing.T) {
	h, err := ParseHostnameIf(strings.NewReader("# lladdr 00:00:00:00:00:01\nlladdr random\nlladdr 00:11:22:33:44:55 up\njoin lladdr wpakey lladdr\n!ifconfig $if lladdr 00:00:00:00:00:02\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(h.Lladdrs()); got != "[{3 lladdr 00:11:22:33:44:55}]" {
		t.Errorf("Lladdrs() = %s", got)
	}
}

// TestParseHostnameIfKeysFollowedByParameters: a key followed by other
// ifconfig parameters on its line is no unquoted key with blanks.
func TestParseHostnameIfKeysFollowedByParameters(t *testing.T) {
	for _, in := range []string{
		"join home wpakey secretsecret wpaprotos wpa2 -inet6\n",
		"join home wpakey secretsecret -inet6\n",
		"nwid home wpakey secretsecret chan 6 lladdr random up\n",
		"wgkey a2V5 wgport 51820 wgrtable 1\n",
		"wgpeer cHVi wgpsk cHNr wgendpoint 192.0.2.1 51820 wgaip 10.0.0.0/24\n",
		"vhid 1 pass s3cret carpdev em0 advskew 100 description \"carp\"\n",
		"inet 0.0.0.0 255.255.255.255 NONE pppoedev em0 authproto pap authname 'me' authkey 'donttell' up\n",
		"apn internet pin 1234 up\n",
	} {
		h, err := ParseHostnameIf(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if msg := h.Problems.Error(); strings.Contains(msg, "quote a key") {
			t.Errorf("%q: %s", in, msg)
		}
	}
}
