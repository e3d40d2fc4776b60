package firewall

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// loadRole reads a role from testdata/roles/NAME.json. The fixtures are
// JSON (the same keys as the YAML profile) so that this package's tests
// need nothing outside the standard library.
func loadRole(t *testing.T, name string) *MailGW {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "roles", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var g MailGW
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &g
}

var variants = []string{"example", "forward", "queues-tiny", "queues-block", "sync-peers", "blacklist-only"}

func renderVariant(t *testing.T, name string) Files {
	t.Helper()
	files, err := Render(loadRole(t, name), Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatalf("Render(%s): %v", name, err)
	}
	return files
}

// TestRenderGolden compares every rendered file with
// testdata/golden/VARIANT/BASENAME; files.txt lists paths and modes.
// Regenerate with: go test ./firewall -run TestRenderGolden -update
func TestRenderGolden(t *testing.T) {
	for _, name := range variants {
		t.Run(name, func(t *testing.T) {
			files := renderVariant(t, name)
			dir := filepath.Join("testdata", "golden", name)
			var index strings.Builder
			got := map[string][]byte{}
			for _, p := range files.Paths() {
				f := files[p]
				fmt.Fprintf(&index, "%s %04o ifabsent=%v table=%s bytes=%d\n", p, f.Mode, f.IfAbsent, f.Table, len(f.Data))
				if !f.IfAbsent {
					base := path.Base(p)
					if _, dup := got[base]; dup {
						t.Fatalf("two files named %s", base)
					}
					got[base] = f.Data
				}
			}
			got["files.txt"] = []byte(index.String())
			if *update {
				os.RemoveAll(dir)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				for base, data := range got {
					if err := os.WriteFile(filepath.Join(dir, base), data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != len(got) {
				t.Errorf("golden dir has %d files, render gave %d", len(entries), len(got))
			}
			for base, data := range got {
				want, err := os.ReadFile(filepath.Join(dir, base))
				if err != nil {
					t.Errorf("%s: %v", base, err)
					continue
				}
				if !bytes.Equal(data, want) {
					t.Errorf("%s/%s differs from golden:\n%s", name, base, data)
				}
			}
		})
	}
}

// TestRenderDeterministic renders twice and requires identical bytes:
// publish.paths is a map, and map order must not leak.
func TestRenderDeterministic(t *testing.T) {
	for _, name := range variants {
		a, b := renderVariant(t, name), renderVariant(t, name)
		for p, f := range a {
			if !bytes.Equal(f.Data, b[p].Data) {
				t.Errorf("%s: %s differs between two renders", name, p)
			}
		}
	}
}

// TestScriptsParse runs mksh -n (OpenBSD's sh is a ksh) on every
// generated shell script.
func TestScriptsParse(t *testing.T) {
	mksh, err := exec.LookPath("mksh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mksh not installed (apt-get install mksh)")
		}
		t.Skip("mksh not installed")
	}
	n := 0
	for _, name := range variants {
		files := renderVariant(t, name)
		for _, p := range files.Paths() {
			f := files[p]
			if !bytes.HasPrefix(f.Data, []byte("#!/bin/sh")) {
				continue
			}
			n++
			cmd := exec.Command(mksh, "-n")
			cmd.Stdin = bytes.NewReader(f.Data)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s %s: mksh -n: %v\n%s", name, p, err, out)
			}
		}
		// Each crontab command is also a shell command line.
		for _, line := range strings.Split(string(files[CrontabBlock].Data), "\n") {
			if line == "" || line[0] == '#' {
				continue
			}
			_, cmdline, ok := strings.Cut(line, "\t")
			if !ok || strings.Contains(cmdline, "%") {
				t.Errorf("%s: crontab line %q has no tab or contains %%", name, line)
				continue
			}
			_, cmdline, _ = strings.Cut(cmdline, " ") // the -n/-ns flags
			cmd := exec.Command(mksh, "-n", "-c", cmdline)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: crontab command %q: %v\n%s", name, cmdline, err, out)
			}
		}
	}
	if n < 12 {
		t.Errorf("checked only %d scripts", n)
	}
}

func TestRenderRejectsInvalid(t *testing.T) {
	g := &MailGW{EgressInterface: "em0; rm -rf /"}
	if _, err := Render(g, Options{}); err == nil {
		t.Fatal("Render accepted an injected interface name")
	}
	if _, err := Render(&MailGW{EgressInterface: "em0"}, Options{Hostname: "mx\nrcctl"}); err == nil {
		t.Fatal("Render accepted a hostname with a newline")
	}
}

// TestForwardNATForPrivateServer: in forward mode, mail a server at a
// private address sends out leaves with the gateway's address; a server
// with its own public address keeps it (its SPF and PTR name it).
func TestForwardNATForPrivateServer(t *testing.T) {
	for addr, want := range map[string]bool{
		"10.0.0.25": true, "192.168.1.25": true, "172.16.0.25": true, "100.64.0.25": true,
		"192.0.2.25": false, "198.51.100.7": false,
	} {
		g := loadRole(t, "forward")
		g.MailServer.Address = addr
		files, err := Render(g, Options{Hostname: "mx.example.org"})
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		pf := string(files[PFConf].Data)
		if got := strings.Contains(pf, "match out on egress inet proto tcp from $mail_server to port smtp nat-to (egress:0)\n"); got != want {
			t.Errorf("mail server %s: nat-to in pf.conf = %v, want %v", addr, got, want)
		}
		if ps := Check(strings.NewReader(pf)); len(ps) > 0 {
			t.Errorf("mail server %s: pf.conf does not pass the check: %v", addr, ps)
		}
	}
}

// TestSyncWithoutListenInterface: a gateway that only sends greylist
// updates (unicast targets, no listen_interface) passes them out on any
// interface; a multicast target needs the interface it joins.
func TestSyncWithoutListenInterface(t *testing.T) {
	g := loadRole(t, "example")
	g.Sync = Sync{Targets: []string{"192.0.2.10", "192.0.2.11"}}
	files, err := Render(g, Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	pf := string(files[PFConf].Data)
	for _, want := range []string{"table <spamd-sync> persist { 192.0.2.10 192.0.2.11 }\n", "pass out inet proto udp to <spamd-sync> port spamd-sync\n"} {
		if !strings.Contains(pf, want) {
			t.Errorf("pf.conf lacks %q", want)
		}
	}
	if fs := Check(strings.NewReader(pf)); len(fs) > 0 {
		t.Errorf("pf.conf does not pass the check: %v", fs)
	}
	g.Sync = Sync{Targets: []string{"em1:2"}}
	if _, err := Render(g, Options{Hostname: "mx.example.org"}); err == nil || !strings.Contains(err.Error(), "multicast sync needs listen_interface em1") {
		t.Errorf("multicast target without listen_interface: %v, want refused", err)
	}
}

// TestRenderPassesNeighbourDiscovery: block all drops IPv6 neighbour
// solicitations and router advertisements too, and without them no IPv6
// packet reaches the gateway: smtp_ipv6 could neither refuse (block-return)
// nor pass (pass-direct) anything, and an autoconf address expires.
func TestRenderPassesNeighbourDiscovery(t *testing.T) {
	for _, name := range variants {
		pf := string(renderVariant(t, name)[PFConf].Data)
		found := false
		for _, line := range strings.Split(pf, "\n") {
			if strings.HasPrefix(line, "pass in on egress inet6 proto icmp6 icmp6-type {") &&
				strings.Contains(line, " neighbrsol ") && strings.Contains(line, " neighbradv ") && strings.Contains(line, " routeradv ") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: pf.conf passes no IPv6 neighbour discovery in on egress", name)
		}
	}
}

// TestForwardEnablesIPForwarding: in forward mode the kernel must route
// between egress and the inside interface, or rdr-to delivers nothing to
// the mail server and the server's own mail never leaves. Setup turns
// forwarding on at once and keeps it in /etc/sysctl.conf for the next
// boot; a local gateway routes nothing and leaves sysctl alone.
func TestForwardEnablesIPForwarding(t *testing.T) {
	for name, forward := range map[string]bool{"forward": true, "example": false} {
		files := renderVariant(t, name)
		setup := string(files[SetupScript].Data)
		block, ok := files[SysctlBlock]
		if ok != forward {
			t.Errorf("%s: %s rendered = %v, want %v", name, SysctlBlock, ok, forward)
		}
		if forward && !strings.Contains(string(block.Data), "\nnet.inet.ip.forwarding=1\n") {
			t.Errorf("%s: %s lacks net.inet.ip.forwarding=1:\n%s", name, SysctlBlock, block.Data)
		}
		for _, want := range []string{"\nsysctl net.inet.ip.forwarding=1 >/dev/null\n", "\nmerge_block /etc/sysctl.conf " + SysctlBlock + " || true\n"} {
			if strings.Contains(setup, want) != forward {
				t.Errorf("%s: setup script has %q = %v, want %v", name, strings.TrimSpace(want), !forward, forward)
			}
		}
	}
}

// TestSpamlogdPflogGetsTheLogs: pf logs to pflog0 unless a rule says
// otherwise, so with spamlogd on another pflog interface the rules it
// learns from must log there, or it never sees a connection.
func TestSpamlogdPflogGetsTheLogs(t *testing.T) {
	for _, name := range []string{"example", "blacklist-only", "forward"} {
		g := loadRole(t, name)
		g.Spamlogd.Pflog = "pflog1"
		files, err := Render(g, Options{Hostname: "mx.example.org"})
		if err != nil {
			t.Fatal(err)
		}
		pf := string(files[PFConf].Data)
		if strings.Contains(pf, " log on egress") {
			t.Errorf("%s: a rule logs to pflog0, which spamlogd -l pflog1 does not read:\n%s", name, pf)
		}
		if n := strings.Count(pf, " log (to pflog1) on egress"); n != 2 {
			t.Errorf("%s: %d rules log to pflog1, want 2 (smtp in and out):\n%s", name, n, pf)
		}
		if fs := Check(strings.NewReader(pf)); len(fs) > 0 {
			t.Errorf("%s: pf.conf does not pass the check: %v", name, fs)
		}
		// assert that: the setup creates pflog1 (only pflog0 exists by
		// itself), now and at boot
		setup := string(files[SetupScript].Data)
		for _, want := range []string{"[ -e /etc/hostname.pflog1 ] || { echo up > /etc/hostname.pflog1", "ifconfig pflog1 >/dev/null 2>&1 || ifconfig pflog1 create up"} {
			if !strings.Contains(setup, want) {
				t.Errorf("%s: mailgw-setup lacks %q", name, want)
			}
		}
	}
	if files, err := Render(loadRole(t, "example"), Options{Hostname: "mx.example.org"}); err != nil || strings.Contains(string(files[SetupScript].Data), "hostname.pflog") {
		t.Errorf("with pflog0 the setup creates a pflog interface (%v)", err)
	}
	g := &MailGW{EgressInterface: "em0", Spamlogd: Spamlogd{Pflog: "pflog256"}}
	if _, err := Render(g, Options{}); err == nil {
		t.Error("Render accepted pflog256 (pf.conf's log (to pflogN) takes 0-255)")
	}
}

// TestTinyQueueCoversPeerTables: with action tiny-queue, the addresses
// the peers' lists bring are queued on every service, as the role's own
// abusers are; without any service the rule is left out, never written
// with an empty port list pfctl refuses.
func TestTinyQueueCoversPeerTables(t *testing.T) {
	g := loadRole(t, "queues-tiny")
	g.Peers.MergeSources = []PeerSource{{Name: "skapet", URL: "https://www.example.net/bruteforce.txt"}}
	files, err := Render(g, Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	pf := string(files[PFConf].Data)
	if want := "pass in on egress proto tcp from <bruteforce_skapet> to port { ssh pop3 pop3s } set queue spamd\n"; !strings.Contains(pf, want) {
		t.Errorf("pf.conf lacks %q:\n%s", want, pf)
	}
	if ps := Check(strings.NewReader(pf)); len(ps) > 0 {
		t.Errorf("pf.conf does not pass the check: %v", ps)
	}

	g.Bruteforce.Services = []Service{}
	files, err = Render(g, Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	pf = string(files[PFConf].Data)
	if strings.Contains(pf, "set queue spamd") {
		t.Errorf("pf.conf queues a peer's table without a service:\n%s", pf)
	}
	if ps := Check(strings.NewReader(pf)); len(ps) > 0 {
		t.Errorf("pf.conf does not pass the check: %v", ps)
	}
}

// TestSyncRules: with unicast peers listed, sync messages are passed in
// from them alone; only without any peer (listen only) is sync from any
// host passed, spamd checking its key. Joining the multicast group needs
// IGMP (with its Router Alert option) in and out on the sync interface;
// unicast-only sync opens no IGMP at all.
func TestSyncRules(t *testing.T) {
	const (
		anyHost = "pass in on $sync_if inet proto udp to port spamd-sync\n"
		igmp    = "pass on $sync_if inet proto igmp allow-opts\n"
	)
	for _, tt := range []struct {
		targets           []string
		wantAny, wantIGMP bool
	}{
		{[]string{"192.0.2.10", "192.0.2.11"}, false, false},
		{nil, true, false},
		{[]string{"em1:2"}, false, true},
		{[]string{"192.0.2.10", "em1"}, false, true},
	} {
		g := loadRole(t, "example")
		g.Sync = Sync{ListenInterface: "em1", Targets: tt.targets}
		files, err := Render(g, Options{Hostname: "mx.example.org"})
		if err != nil {
			t.Fatal(err)
		}
		pf := string(files[PFConf].Data)
		for _, want := range []struct {
			rule string
			want bool
		}{{anyHost, tt.wantAny}, {igmp, tt.wantIGMP}} {
			if got := strings.Contains(pf, want.rule); got != want.want {
				t.Errorf("targets %v: pf.conf has %q = %v, want %v:\n%s", tt.targets, strings.TrimSpace(want.rule), got, want.want, pf)
			}
		}
		if ps := Check(strings.NewReader(pf)); len(ps) > 0 {
			t.Errorf("targets %v: pf.conf does not pass the check: %v", tt.targets, ps)
		}
	}
}

// TestDaemonFlagsFromTheRole: spamd's banner is spamd.banner_hostname
// when set, else the gateway's name; spamlogd's -W is
// spamlogd.whiteexp_hours when set, else spamd's whiteexp.
func TestDaemonFlagsFromTheRole(t *testing.T) {
	flags := func(g *MailGW) (spamd, spamlogd string) {
		t.Helper()
		files, err := Render(g, Options{Hostname: "gw.example.org"})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(files[SetupScript].Data), "\n") {
			if f, ok := strings.CutPrefix(l, "rcctl set spamd flags "); ok {
				spamd = f
			}
			if f, ok := strings.CutPrefix(l, "rcctl set spamlogd flags "); ok {
				spamlogd = f
			}
		}
		return spamd, spamlogd
	}
	g := &MailGW{EgressInterface: "em0"}
	spamd, spamlogd := flags(g)
	if !strings.Contains(spamd, " -h gw.example.org ") || !strings.HasSuffix(spamlogd, " -W 864") {
		t.Errorf("defaults: spamd flags %q, spamlogd flags %q", spamd, spamlogd)
	}
	g = &MailGW{EgressInterface: "em0", Spamd: Spamd{BannerHostname: "mx.example.org"}, Spamlogd: Spamlogd{WhiteexpHours: 720}}
	spamd, spamlogd = flags(g)
	if !strings.Contains(spamd, " -h mx.example.org ") || !strings.HasSuffix(spamlogd, " -W 720") {
		t.Errorf("set: spamd flags %q, spamlogd flags %q", spamd, spamlogd)
	}
}
