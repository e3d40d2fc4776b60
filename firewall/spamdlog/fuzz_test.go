package spamdlog

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func seedData(f *testing.F) [][]byte {
	f.Helper()
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.log"))
	var out [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func seedLogs(f *testing.F) {
	for _, data := range seedData(f) {
		f.Add(data)
	}
	f.Add([]byte("GREY|1.2.3.4|||||1|2|3|4\nSPAMTRAP|<x@y>\n"))
	f.Add([]byte("2026-01-02T03:04:05.678Z gw sshd-session[7]: Failed password for invalid user a from 2001:db8::7 port 4000 ssh2\n2026-01-02T03:04:09.001Z gw last message repeated 2 times\n"))
	f.Add([]byte("Nov 27 10:00:01 gw sshd[7]: Failed password for root from 192.0.2.7 port 4000 ssh2\nNov 27 10:00:09 gw last message repeated 4 times\n"))
}

// FuzzLogParsers runs every log reader over arbitrary text: none may
// panic, and every result must come from the input.
func FuzzLogParsers(f *testing.F) {
	seedLogs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{Year: 2026}
		ps, err := FindCallbacks(bytes.NewReader(data), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if !bytes.Contains(bytes.ToLower(data), []byte(p.Prober)) {
				t.Fatalf("probe host %q not in the input", p.Prober)
			}
			if _, _, _, ok := ParseProbe(p.Recipient); !ok || strings.ContainsAny(p.Domain, " \t\r\n<>") {
				t.Fatalf("probe %+v: recipient or domain is not a probe's", p)
			}
		}
		if again, _ := FindCallbacks(bytes.NewReader(data), opts); !reflect.DeepEqual(again, ps) {
			t.Fatalf("FindCallbacks is not deterministic:\n%+v\n%+v", ps, again)
		}
		to := TrapOptions{Options: opts, Domains: []string{"example.org", "bsdly.com"}}
		cs, err := FindTrapCandidates(bytes.NewReader(data), to)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			// A candidate becomes a spamdb -T -a argument and a line
			// of the trap list.
			_, dom, _ := strings.Cut(c.Address, "@")
			if !safeAddrRE.MatchString(c.Address) || strings.HasPrefix(c.Address, "-") || !inDomains(dom, to.Domains) {
				t.Fatalf("candidate %q is not a plain address in the site's domains", c.Address)
			}
			if c.Count < 1 || c.IPs < 1 || c.IPs > c.Count || c.Last.Before(c.First) {
				t.Fatalf("candidate %+v does not add up", c)
			}
		}
		if again, _ := FindTrapCandidates(bytes.NewReader(data), to); !reflect.DeepEqual(again, cs) {
			t.Fatalf("FindTrapCandidates is not deterministic:\n%+v\n%+v", cs, again)
		}
		as, err := readAll(bytes.NewReader(data), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			// The address may go into a pf table: one canonical address.
			if ip, err := netip.ParseAddr(a.Address); err != nil || ip.String() != a.Address || ip.Is4In6() || a.Count < 1 {
				t.Fatalf("attempt %+v: address not canonical or count below 1", a)
			}
		}
		total := 0
		for _, d := range daysOf(as) {
			total += d.Attempts
		}
		sum := 0
		for _, g := range summarise(as, "address") {
			sum += g.Attempts
		}
		if sum != total {
			t.Fatalf("per address %d != per day %d", sum, total)
		}
		set, err := ReadAddressSet(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for a := range set {
			if a == "" || a != strings.ToLower(a) {
				t.Fatalf("ReadAddressSet kept %q, want non-empty lowercase addresses", a)
			}
		}
	})
}

// FuzzParseList checks that whatever ParseList accepts, WriteList writes
// in a form ParseList reads back to the same entries, sorted and without
// repeats, under header lines that stay comments whatever their text.
func FuzzParseList(f *testing.F) {
	f.Add([]byte("   192.0.2.7\n2001:db8::/32\n# c\n!10.0.0.1\n"), "x\ny")
	f.Add([]byte("   192.0.2.7\n\tCleared:     Thu Nov 27 10:00:00 2025\n\tIn/Block:    [ Packets: 1 Bytes: 60 ]\n"), "")
	f.Add([]byte("::ffff:192.0.2.7\n::ffff:192.0.2.0/120\n192.0.2.7/32\n"), "a\u2028b")
	for _, s := range seedData(f) {
		f.Add(s, "bsdly")
	}
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		ps, bad, err := ParseList(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, b := range bad {
			if b.Line < 1 || b.Line > lines || strings.ContainsAny(b.Text, "\n") {
				t.Fatalf("bad line %d of %d: %q", b.Line, lines, b.Text)
			}
		}
		var out bytes.Buffer
		if err := WriteList(&out, Header{Name: name, Generator: name, Contact: name}, ps); err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(ps)
		slices.SortFunc(want, comparePrefix)
		want = slices.Compact(want)
		entries := 0
		for _, l := range strings.SplitAfter(out.String(), "\n") {
			if l == "" {
				continue
			}
			if !strings.HasSuffix(l, "\n") {
				t.Fatalf("WriteList output ends without a newline:\n%s", out.String())
			}
			if !strings.HasPrefix(l, "#") {
				entries++
			}
		}
		if entries != len(want) || !strings.Contains(out.String(), fmt.Sprintf("\n# entries: %d\n", len(want))) {
			t.Fatalf("WriteList wrote %d entries for %d:\n%s", entries, len(want), out.String())
		}
		again, bad, _ := ParseList(&out)
		if len(bad) != 0 {
			t.Fatalf("WriteList output has bad lines %v:\n%s", bad, out.String())
		}
		if !slices.Equal(again, want) {
			t.Fatalf("round trip: %v reads back as %v:\n%s", want, again, out.String())
		}
	})
}

func comparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return a.Bits() - b.Bits()
}
