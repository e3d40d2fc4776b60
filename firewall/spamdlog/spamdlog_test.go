package spamdlog

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// readAll collects what ReadAttempts finds in a small log.
func readAll(r io.Reader, opts Options) ([]Attempt, error) {
	var as []Attempt
	err := ReadAttempts(r, opts, func(a Attempt) {
		a.User = strings.Clone(a.User)
		as = append(as, a)
	})
	return as, err
}

func summarise(as []Attempt, by string) []Groper {
	s := NewSummary(by)
	for _, a := range as {
		s.Add(a)
	}
	return s.Gropers()
}

func daysOf(as []Attempt) []Day {
	var t DayTally
	for _, a := range as {
		t.Add(a)
	}
	return t.Days()
}

// TestCallbacksRealLog: the real probe is found with its host, epoch,
// IP, HELO, and a skew of 41 s once the +02:00 (CEST) zone is inferred.
func TestCallbacksRealLog(t *testing.T) {
	ps, err := FindCallbacks(open(t, "spamd-callback.log"), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("FindCallbacks = %d probes, want 1: %+v", len(ps), ps)
	}
	p := ps[0]
	if p.Prober != "mx42.antispamcloud.com" || p.Epoch != 1503146097 || p.IP != "207.244.64.181" ||
		p.Helo != "mx18-12.smtp.antispamcloud.com" || p.Domain != "bsdly.com" {
		t.Errorf("probe = %+v", p)
	}
	if p.Skew != 41*time.Second || p.ZoneGuess != 2*time.Hour || p.Time.Year() != 2017 {
		t.Errorf("skew = %s, zone = %s, time = %s; want 41s, 2h, 2017", p.Skew, p.ZoneGuess, p.Time)
	}
	if p.Trigger != "" {
		t.Errorf("trigger = %q, want none (the excerpt does not have the sender)", p.Trigger)
	}
}

// TestCallbacksTriggerWithoutYear: the year comes from the probe's epoch,
// and the trigger in the same log is found in that year too.
func TestCallbacksTriggerWithoutYear(t *testing.T) {
	log := `Aug 19 13:49:25 delilah spamd[1]: (GREY) 192.0.2.99: <keerheior@bsdly.com> -> <peter@bsdly.com>
Aug 19 14:35:38 delilah spamd[2]: (GREY) 207.244.64.181: <> -> <mx42.antispamcloud.com-1503146097-testing@bsdly.com>
`
	ps, err := FindCallbacks(strings.NewReader(log), Options{Now: now})
	if err != nil || len(ps) != 1 {
		t.Fatalf("FindCallbacks = %+v, %v", ps, err)
	}
	if ps[0].Trigger != "keerheior@bsdly.com" || ps[0].TriggerTime.Year() != 2017 {
		t.Errorf("trigger = %q at %s, want keerheior@bsdly.com in 2017", ps[0].Trigger, ps[0].TriggerTime)
	}
}

func TestCallbacksWithZoneAndTrigger(t *testing.T) {
	ps, err := FindCallbacks(open(t, "mixed.log"), Options{Year: 2025, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("FindCallbacks = %+v, want 2 probes", ps)
	}
	log, db := ps[0], ps[1]
	if log.Prober != "mx1.example.net" || log.Helo != "mx1.example.net" || log.Skew != 40*time.Second {
		t.Errorf("log probe = %+v", log)
	}
	if log.Time.Year() != 2026 {
		t.Errorf("year after the Dec 31 -> Jan 1 wrap = %d, want 2026", log.Time.Year())
	}
	if log.Trigger != "keerheior@example.org" {
		t.Errorf("trigger = %q, want keerheior@example.org", log.Trigger)
	}
	if !db.FromSpamdb || db.Helo != "mx|x.y" || db.Skew != 5*time.Second || db.Prober != "mx9.example.com" {
		t.Errorf("spamdb probe = %+v", db)
	}
	ps, err = FindCallbacks(open(t, "spamd-callback.log"), Options{Year: 2017, Location: time.FixedZone("CEST", 7200)})
	if err != nil || len(ps) != 1 || ps[0].Skew != 41*time.Second {
		t.Errorf("with an explicit zone: %+v, %v", ps, err)
	}
	// A zone without a year: the year still comes from the probe's epoch
	// (the log is from 2017, now is later).
	ps, err = FindCallbacks(open(t, "spamd-callback.log"), Options{Now: now, Location: time.FixedZone("CEST", 7200)})
	if err != nil || len(ps) != 1 || ps[0].Skew != 41*time.Second || ps[0].Time.Year() != 2017 {
		t.Errorf("with a zone and no year: %+v, %v", ps, err)
	}
}

func TestParseProbe(t *testing.T) {
	tests := []struct {
		in    string
		host  string
		epoch int64
		ok    bool
	}{
		{"<mx42.antispamcloud.com-1503146097-testing@bsdly.com>", "mx42.antispamcloud.com", 1503146097, true},
		{"mx1-1767225600-testing@example.org", "mx1", 1767225600, true},
		{"<sales@example.org>", "", 0, false},
		{"mx1-12-testing@example.org", "", 0, false},
		{"mx1-1767225600-test@example.org", "", 0, false},
		// The domain is a host name: not a stray bracket, nothing glued
		// to it.
		{"mx1-1767225600-testing@<", "", 0, false},
		{"<mx1-1767225600-testing@example.org<x>", "", 0, false},
		{"mx1-1767225600-testing@exa\"mple.org", "", 0, false},
	}
	for _, tt := range tests {
		host, epoch, _, ok := ParseProbe(tt.in)
		if ok != tt.ok || host != tt.host || epoch != tt.epoch {
			t.Errorf("ParseProbe(%q) = %q, %d, %v; want %q, %d, %v", tt.in, host, epoch, ok, tt.host, tt.epoch, tt.ok)
		}
	}
}

func TestTrapCandidates(t *testing.T) {
	valid, _ := ReadAddressSet(strings.NewReader("# real mailboxes\npostmaster\n<Sales@example.org>\n"))
	cs, err := FindTrapCandidates(open(t, "mixed.log"), TrapOptions{Options: Options{Year: 2025}, Domains: []string{"example.org"}, Valid: valid})
	if err != nil {
		t.Fatal(err)
	}
	// assert that: sales and postmaster are real, oldtrap is a trap, the
	// probes and other.example are skipped; Nobody@Example.org is lowercased.
	if len(cs) != 1 || cs[0].Address != "nobody@example.org" || cs[0].Count != 1 {
		t.Errorf("FindTrapCandidates = %+v, want only nobody@example.org", cs)
	}
	// assert that: without a list of real mailboxes, postmaster is still
	// never a candidate (RFC 5321 requires it), but sales is.
	cs, err = FindTrapCandidates(open(t, "mixed.log"), TrapOptions{Options: Options{Year: 2025}, Domains: []string{"example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Address)
	}
	if strings.Join(got, " ") != "sales@example.org nobody@example.org" {
		t.Errorf("FindTrapCandidates without --valid = %v, want sales and nobody, never postmaster", got)
	}
	// assert that: the (GREY) and "new entry" lines of one tuple count
	// once; sales has two tuples from two addresses.
	if len(cs) > 0 && (cs[0].Count != 2 || cs[0].IPs != 2) {
		t.Errorf("sales: count %d from %d addresses, want 2 from 2", cs[0].Count, cs[0].IPs)
	}
}

// TestGropersRealLog: five sessions of one groper, each ended by spop3d's
// autologout.
func TestGropersRealLog(t *testing.T) {
	as, err := readAll(open(t, "spop3d-gropers.log"), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	g := summarise(as, "address")
	if len(g) != 1 || g[0].Address != "111.181.52.216" || g[0].Attempts != 5 {
		t.Fatalf("Summarise = %+v", g)
	}
	if want := time.Date(2026, 4, 19, 22, 40, 34, 0, time.UTC); !g[0].First.Equal(want) {
		t.Errorf("first = %s, want %s", g[0].First, want)
	}
}

func TestGropersFormats(t *testing.T) {
	as, err := readAll(open(t, "mixed.log"), Options{Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	got := summarise(as, "pair")
	want := []Groper{
		{Address: "198.51.100.9", User: "bob", Attempts: 3},
		{Address: "192.0.2.7", User: "admin", Attempts: 1},
		{Address: "192.0.2.7", User: "root", Attempts: 1},
		{Address: "2001:db8::9", User: "alice", Attempts: 1},
		{Address: "203.0.113.5", User: "", Attempts: 1},
		{Address: "203.0.113.5", User: "carol", Attempts: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("Summarise = %+v", got)
	}
	for i := range want {
		if got[i].Address != want[i].Address || got[i].User != want[i].User || got[i].Attempts != want[i].Attempts {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	days := daysOf(as)
	if len(days) != 2 || days[0].Date != "2025-12-31" || days[0].Attempts != 2 || days[1].Date != "2026-01-01" || days[1].Attempts != 6 {
		t.Errorf("PerDay = %+v", days)
	}
}

// TestGropersForgedAddress: the user name is the client's; one that
// carries "from IP port N" or "rip=IP" must not move the attempt to that
// address (an admin may block what this reports).
func TestGropersForgedAddress(t *testing.T) {
	log := `Jan  9 23:59:59 gw sshd[1]: Failed password for invalid user x from 6.6.6.6 port 1 ssh2 from 192.0.2.1 port 22 ssh2
Jan  9 23:59:59 gw sshd-session[2]: Failed publickey for root from 192.0.2.2 port 22 ssh2: ED25519 SHA256:abc
Jan  9 23:59:59 gw dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<rip=6.6.6.6>, method=PLAIN, rip=192.0.2.3, lip=198.51.100.2
Jan  9 23:59:59 gw spop3d[3]: authentication failed for user 6.6.6.6 - 192.0.2.4
`
	as, err := readAll(strings.NewReader(log), Options{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range as {
		got = append(got, a.Address+" "+a.User)
	}
	want := []string{"192.0.2.1 x from 6.6.6.6 port 1 ssh2", "192.0.2.2 root", "192.0.2.3 rip=6.6.6.6", "192.0.2.4 6.6.6.6"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ReadAttempts =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// campaign writes a synthetic spop3d/sshd log with the given failures
// per day starting at Dec 31, so the year wraps on the second day.
func campaign(perDay []int) []byte {
	var b bytes.Buffer
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	for d, n := range perDay {
		day := start.AddDate(0, 0, d)
		for i := range n {
			t := day.Add(time.Duration(i) * (24 * time.Hour / time.Duration(n+1)))
			ip := fmt.Sprintf("198.51.%d.%d", r.IntN(4), r.IntN(250)+1)
			if i%2 == 0 {
				fmt.Fprintf(&b, "%s gw sshd[%d]: Failed password for invalid user u%d from %s port %d ssh2\n", t.Format(time.Stamp), 1000+i, r.IntN(50), ip, 1024+i)
			} else {
				fmt.Fprintf(&b, "%s gw spop3d[%d]: autologout time elapsed - %s\n", t.Format(time.Stamp), 2000+i, ip)
			}
			if i%7 == 0 {
				fmt.Fprintf(&b, "%s gw spop3d[%d]: connect from %s\n", t.Format(time.Stamp), 3000+i, ip)
			}
		}
	}
	return b.Bytes()
}

// TestGropersCampaign reproduces the per-day shape of a real campaign
// (4, 145, 20, 51, 32, 36, 4036, 5956, 5769) across a year boundary.
func TestGropersCampaign(t *testing.T) {
	perDay := []int{4, 145, 20, 51, 32, 36, 4036, 5956, 5769}
	as, err := readAll(bytes.NewReader(campaign(perDay)), Options{Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	days := daysOf(as)
	if len(days) != len(perDay) {
		t.Fatalf("PerDay = %d days, want %d", len(days), len(perDay))
	}
	for i, d := range days {
		want := time.Date(2025, 12, 31+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		if d.Date != want || d.Attempts != perDay[i] {
			t.Errorf("day %d = %+v, want %s with %d", i, d, want, perDay[i])
		}
	}
}

func TestDumpList(t *testing.T) {
	in := "# pfctl -t bruteforce -T show\n   192.0.2.7\n   2001:db8::1\n   10.0.0.0/8\n   192.0.2.7\n   198.51.100.200\n   9.9.9.9\nnot-an-address\n   ::ffff:192.0.2.8\n"
	ps, bad, err := ParseList(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || bad[0].Line != 8 {
		t.Errorf("bad lines = %+v, want line 8", bad)
	}
	var out bytes.Buffer
	h := Header{Name: "bruteforce", Generator: "fugu", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Lifetime: 24 * time.Hour, Contact: "abuse@example.org"}
	if err := WriteList(&out, h, ps); err != nil {
		t.Fatal(err)
	}
	want := `# bruteforce: one address a line; lines starting with # are comments
# generator: fugu
# generated: 2026-01-02T03:04:05Z
# entry lifetime: 86400 seconds
# contact: abuse@example.org
# entries: 6
9.9.9.9
10.0.0.0/8
192.0.2.7
192.0.2.8
198.51.100.200
2001:db8::1
`
	if out.String() != want {
		t.Errorf("WriteList =\n%s\nwant\n%s", out.String(), want)
	}
	// The output parses back to the same set.
	again, bad, _ := ParseList(&out)
	if len(bad) != 0 || len(again) != 6 || again[0] != netip.MustParsePrefix("9.9.9.9/32") {
		t.Errorf("round trip = %v, %v", again, bad)
	}
}

func BenchmarkReadAttempts(b *testing.B) {
	data := campaign([]int{4000, 6000, 6000})
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s := NewSummary("pair")
		if err := ReadAttempts(bytes.NewReader(data), Options{Year: 2025}, s.Add); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFindCallbacks(b *testing.B) {
	var buf bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&buf, "Jan  1 09:%02d:%02d gw spamd[300]: (GREY) 198.51.%d.%d: <s%d@example.net> -> <u%d@example.org>\n", i/60%60, i%60, i%200, i%250, i, i%300)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := FindCallbacks(bytes.NewReader(data), Options{Year: 2026}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGropersRepeated: syslogd folds identical lines (one sshd session
// retrying a password keeps its pid and port) into "last message
// repeated N times", which counts N more of the line before it, from the
// same host; a long run is flushed as several such lines.
func TestGropersRepeated(t *testing.T) {
	tests := []struct {
		name string
		log  string
		want string // address user attempts; first/last
	}{
		{"ssh", `Nov 27 10:00:01 gw sshd[7]: Failed password for root from 192.0.2.7 port 4000 ssh2
Nov 27 10:00:09 gw last message repeated 4 times
`, "192.0.2.7 root 5 10:00:01 10:00:09"},
		{"two flushes", `Nov 27 10:00:01 gw sshd[7]: Failed password for root from 192.0.2.7 port 4000 ssh2
Nov 27 10:00:31 gw last message repeated 2 times
Nov 27 10:02:31 gw last message repeated 3 times
`, "192.0.2.7 root 6 10:00:01 10:02:31"},
		{"dovecot count", `Nov 27 10:00:01 gw dovecot: imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<bob>, method=PLAIN, rip=198.51.100.9, lip=198.51.100.2
Nov 27 10:00:02 gw last message repeated 2 times
`, "198.51.100.9 bob 9 10:00:01 10:00:02"},
		{"after another line", `Nov 27 10:00:01 gw sshd[7]: Failed password for root from 192.0.2.7 port 4000 ssh2
Nov 27 10:00:02 gw sshd[8]: Connection closed by 192.0.2.8 port 4001 [preauth]
Nov 27 10:00:03 gw last message repeated 2 times
`, "192.0.2.7 root 1 10:00:01 10:00:01"},
		{"other host", `Nov 27 10:00:01 gw sshd[7]: Failed password for root from 192.0.2.7 port 4000 ssh2
Nov 27 10:00:03 mx last message repeated 2 times
`, "192.0.2.7 root 1 10:00:01 10:00:01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as, err := readAll(strings.NewReader(tt.log), Options{Year: 2026})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, g := range summarise(as, "pair") {
				got = append(got, fmt.Sprintf("%s %s %d %s %s", g.Address, g.User, g.Attempts, g.First.Format(time.TimeOnly), g.Last.Format(time.TimeOnly)))
			}
			if strings.Join(got, "\n") != tt.want {
				t.Errorf("ReadAttempts = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTrapCandidatesGreytrapped: spamd logs (GREY) before it looks the
// recipient up, so a tuple sent to a trap shows up as greylisted too; its
// "Trapping IP for tuple IP HELO FROM TO" line (newlines turned to spaces
// by syslogd) says the recipient already traps. A host trapped for trying
// the low-priority MX first (-M) says nothing about its recipient, and
// "new greytrap entry" is read like "new entry".
func TestTrapCandidatesGreytrapped(t *testing.T) {
	log := `Jan  1 09:00:00 gw spamd[300]: (GREY) 198.51.100.30: <a@example.net> -> <Trap@example.org>
Jan  1 09:00:00 gw spamd[301]: Trapping 198.51.100.30 for tuple 198.51.100.30 mx.example.net <a@example.net> <Trap@example.org>
Jan  1 09:00:00 gw spamd[301]: new greytrap entry 198.51.100.30 from <a@example.net> to <Trap@example.org>, helo mx.example.net
Jan  1 09:01:00 gw spamd[300]: (GREY) 198.51.100.32: <c@example.net> -> <Other.Trap@example.org>
Jan  1 09:01:00 gw spamd[301]: Trapping 198.51.100.32 for tuple 198.51.100.32  <c@example.net> <Other.Trap@example.org>
Jan  1 09:02:00 gw spamd[301]: Trapping 198.51.100.31 for trying 192.0.2.2 first for tuple 198.51.100.31 h.example.net <b@example.net> <real@example.org>
Jan  1 09:02:00 gw spamd[301]: new greytrap entry 198.51.100.31 from <b@example.net> to <unknown@example.org>, helo h.example.net
`
	if got, want := trapAddresses(t, log), "unknown@example.org"; got != want {
		t.Errorf("FindTrapCandidates = %s, want %s", got, want)
	}
}

// TestDumpListVerbose: pfctl -v -t T -T show follows each address with
// tab-indented "Cleared:" and, for a counters table, per-direction
// statistics lines (pfctl_table.c print_astats); those are not entries.
func TestDumpListVerbose(t *testing.T) {
	in := "   192.0.2.7\n" +
		"\tCleared:     Thu Nov 27 10:00:00 2025\n" +
		"\tIn/Block:    [ Packets: 12                 Bytes: 720                ]\n" +
		"\tOut/XPass:   [ Packets: 0                  Bytes: 0                  ]\n" +
		"   2001:db8::1\n" +
		"\tCleared:     Thu Nov 27 10:05:00 2025\n" +
		"\tActive States:      3\n" +
		"\tnot-an-address\n"
	ps, bad, err := ParseList(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0] != netip.MustParsePrefix("192.0.2.7/32") || ps[1] != netip.MustParsePrefix("2001:db8::1/128") {
		t.Errorf("ParseList = %v, want 192.0.2.7 and 2001:db8::1", ps)
	}
	if len(bad) != 1 || bad[0].Line != 8 {
		t.Errorf("bad lines = %+v, want line 8 only", bad)
	}
}

// TestISOTimestamps: syslogd -Z writes RFC 5424 timestamps in UTC with
// milliseconds ("2017-08-19T12:35:38.123Z host prog[pid]: msg"). They
// carry year and zone, so nothing is inferred from them.
func TestISOTimestamps(t *testing.T) {
	log := `2025-12-31T23:59:59.997Z gw sshd[7]: Failed password for root from 192.0.2.7 port 4000 ssh2
2026-01-01T00:00:09.001Z gw last message repeated 2 times
2017-08-19T12:35:38.123Z delilah spamd[26915]: (GREY) 207.244.64.181: <> -> <mx42.antispamcloud.com-1503146097-testing@bsdly.com>
`
	tests := []struct {
		name string
		run  func() (string, error)
		want string
	}{
		{"gropers", func() (string, error) {
			as, err := readAll(strings.NewReader(log), Options{Now: now})
			var got []string
			for _, d := range daysOf(as) {
				got = append(got, fmt.Sprintf("%s %d", d.Date, d.Attempts))
			}
			return strings.Join(got, ", "), err
		}, "2025-12-31 1, 2026-01-01 2"},
		{"callbacks", func() (string, error) {
			ps, err := FindCallbacks(strings.NewReader(log), Options{Now: now})
			var got []string
			for _, p := range ps {
				got = append(got, fmt.Sprintf("%s %s %s", p.Time.UTC().Format(time.RFC3339), p.Skew, p.ZoneGuess))
			}
			return strings.Join(got, ", "), err
		}, "2017-08-19T12:35:38Z 41.123s 0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTrapCandidatesOptionLike: a recipient whose local part starts with
// a dash would be read by spamdb -T -a as options, however it is quoted:
// it is never a candidate.
func TestTrapCandidatesOptionLike(t *testing.T) {
	log := `Jan  1 09:00:00 gw spamd[300]: (GREY) 198.51.100.30: <a@example.net> -> <-d@example.org>
Jan  1 09:00:01 gw spamd[300]: (GREY) 198.51.100.31: <b@example.net> -> <-Tt@example.org>
Jan  1 09:00:02 gw spamd[300]: (GREY) 198.51.100.32: <c@example.net> -> <x-y@example.org>
`
	if got, want := trapAddresses(t, log), "x-y@example.org"; got != want {
		t.Errorf("FindTrapCandidates = %s, want %s", got, want)
	}
}

// trapAddresses is what FindTrapCandidates finds in log for example.org:
// the addresses in order, separated by blanks.
func trapAddresses(t *testing.T, log string) string {
	t.Helper()
	cs, err := FindTrapCandidates(strings.NewReader(log), TrapOptions{Options: Options{Year: 2026}, Domains: []string{"example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Address)
	}
	return strings.Join(got, " ")
}
