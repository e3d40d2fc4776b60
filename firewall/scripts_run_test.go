package firewall

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// runScript runs a generated script under mksh (OpenBSD's sh is a ksh)
// after replacing host paths by test paths: absolute commands become
// stubs in dir, files become files in dir.
func runScript(t *testing.T, script string, replace map[string]string, args ...string) (string, string) {
	t.Helper()
	mksh := needMksh(t)
	keys := make([]string, 0, len(replace))
	for k := range replace {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		script = strings.ReplaceAll(script, k, replace[k])
	}
	cmd := exec.Command(mksh, append([]string{"-c", script, "script"}, args...)...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("script failed: %v\nstderr:\n%s\nscript:\n%s", err, errb.String(), script)
	}
	return out.String(), errb.String()
}

func writeStub(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSpamtrapsSyncRuns runs the reconciliation script against a stub
// spamdb: new traps are added, retired ones deleted, and probes, real
// mailboxes and malformed lines are refused.
func TestSpamtrapsSyncRuns(t *testing.T) {
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	spamdb := writeStub(t, dir, "spamdb", `if [ $# -eq 0 ]; then
	printf '%s\n' 'SPAMTRAP|old@example.org' 'SPAMTRAP|trap2@example.org' 'GREY|192.0.2.1|h|<a@b>|<c@d>|1|2|3|4|5'
else
	echo "$*" >> `+calls+`
fi
`)
	traps := filepath.Join(dir, "traps")
	os.WriteFile(traps, []byte("# the role's traps\nTrap1@Example.org\n<trap2@example.org>\nmx1.example.net-1767258030-testing@example.org\nbob@example.org\nbad'addr@example.org\nPostmaster@example.org\nabuse@example.net\nalice@example.net\n"), 0o644)
	valid := filepath.Join(dir, "valid")
	os.WriteFile(valid, []byte("bob@example.org\n# a bare local part is a mailbox in every domain\nAlice\n"), 0o644)

	g := &MailGW{EgressInterface: "em0", Spamtraps: Spamtraps{File: "/etc/mail/spamtraps", ValidFile: "/etc/mail/mailboxes"}}
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, stderr := runScript(t, string(files[TrapsScript].Data), map[string]string{
		"/usr/sbin/spamdb": spamdb, "/etc/mail/spamtraps": traps, "/etc/mail/mailboxes": valid,
	})
	got, _ := os.ReadFile(calls)
	want := "-T -a trap1@example.org\n-T -d old@example.org\n"
	if string(got) != want {
		t.Errorf("spamdb calls =\n%s\nwant\n%s", got, want)
	}

	// A first run with a long list: a few spamdb calls, every trap added.
	var long strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&long, "trap%d@example.org\n", i)
	}
	os.WriteFile(traps, []byte(long.String()), 0o644)
	os.Remove(calls)
	runScript(t, string(files[TrapsScript].Data), map[string]string{
		"/usr/sbin/spamdb": spamdb, "/etc/mail/spamtraps": traps, "/etc/mail/mailboxes": valid,
	})
	got, _ = os.ReadFile(calls)
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	added := 0
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 2 && f[0] == "-T" && f[1] == "-a" {
			added += len(f) - 2
		}
	}
	if added != 4999 || len(lines) > 20 { // trap2 is in spamdb already
		t.Errorf("%d traps added in %d spamdb calls; want 4999 in a few", added, len(lines))
	}
	for _, refused := range []string{"mx1.example.net-1767258030-testing@example.org", "bob@example.org", "bad'addr@example.org",
		"postmaster@example.org", "abuse@example.net", "alice@example.net"} {
		if !strings.Contains(stderr, refused) {
			t.Errorf("stderr does not name refused %q:\n%s", refused, stderr)
		}
	}
}

// TestSpamtrapsSyncKeepsTrapsWithoutList: a trap list that cannot be
// read must not read as an empty list, which would delete every trap.
func TestSpamtrapsSyncKeepsTrapsWithoutList(t *testing.T) {
	mksh := needMksh(t)
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	spamdb := writeStub(t, dir, "spamdb", `if [ $# -eq 0 ]; then echo 'SPAMTRAP|old@example.org'; else echo "$*" >> `+calls+`; fi
`)
	files, err := Render(&MailGW{EgressInterface: "em0", Spamtraps: Spamtraps{File: "/etc/mail/spamtraps"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	script := strings.NewReplacer("/usr/sbin/spamdb", spamdb, "/etc/mail/spamtraps", filepath.Join(dir, "missing")).
		Replace(string(files[TrapsScript].Data))
	out, err := exec.Command(mksh, "-c", script).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "cannot read") {
		t.Errorf("spamtraps-sync without its list: err %v, output:\n%s\nwant a failure naming the list", err, out)
	}
	if got, _ := os.ReadFile(calls); len(got) != 0 {
		t.Errorf("spamdb changed although the list is missing:\n%s", got)
	}
}

// TestPublishListsRuns runs the publishing script with stub pfctl and
// spamdb and checks the published files: header, sorted addresses.
func TestPublishListsRuns(t *testing.T) {
	dir := t.TempDir()
	pfctl := writeStub(t, dir, "pfctl", "printf '   192.0.2.9\\n   192.0.2.7\\n   2001:db8::1\\n'\n")
	// A client's HELO is its own text: with backslashes that ksh's echo
	// would read as a newline, it must not add a trapped address.
	spamdb := writeStub(t, dir, "spamdb", "printf '%s\\n' 'TRAPPED|198.51.100.5|1767300000' 'WHITE|192.0.2.1|||1|2|3|4|5' 'GREY|192.0.2.3|a\\nTRAPPED|203.0.113.66|1\\c|<x@y>|<z@w>|1|2|3|1|0' 'TRAPPED|198.51.100.4|1767300000'\n")
	g := &MailGW{EgressInterface: "em0", Publish: Publish{
		Paths:  map[string]string{"traplist": "/var/www/htdocs/traplist.txt", "bruteforce": "/var/www/htdocs/bruteforce.txt"},
		Header: PublishHeader{Contact: "abuse at example.org"},
	}}
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	runScript(t, string(files[PublishScript].Data), map[string]string{
		"/sbin/pfctl": pfctl, "/usr/sbin/spamdb": spamdb, "/var/www/htdocs": dir,
	})
	bf, _ := os.ReadFile(filepath.Join(dir, "bruteforce.txt"))
	tl, _ := os.ReadFile(filepath.Join(dir, "traplist.txt"))
	for _, want := range []string{"# generator: fugu mail gateway\n", "# entry lifetime: 86400 seconds\n", "# contact: abuse at example.org\n", "# generated: 20"} {
		if !strings.Contains(string(bf), want) {
			t.Errorf("bruteforce.txt lacks %q:\n%s", want, bf)
		}
	}
	if !strings.HasSuffix(string(bf), "\n192.0.2.7\n192.0.2.9\n2001:db8::1\n") {
		t.Errorf("bruteforce.txt addresses:\n%s", bf)
	}
	if !strings.HasSuffix(string(tl), "\n198.51.100.4\n198.51.100.5\n") {
		t.Errorf("traplist.txt addresses:\n%s", tl)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.txt.*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestMergePeersRuns: a peer list of addresses replaces the peer's table;
// a list with a hostname (DNS at boot) or other text is refused.
func TestMergePeersRuns(t *testing.T) {
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	pfctl := writeStub(t, dir, "pfctl", `echo "$*" >> `+calls+`
case "$*" in *"-T show"*) echo "   192.0.2.77" ;; esac
`)
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(good, []byte("# peer list\n192.0.2.77\n2001:db8::/48\n"), 0o644)
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("192.0.2.78\nevil.example.com\n"), 0o644)
	g := &MailGW{EgressInterface: "em0", Peers: Peers{MergeSources: []PeerSource{
		{Name: "good", URL: "/var/db/peers/good.txt"}, {Name: "bad", URL: "/var/db/peers/bad.txt"},
	}}}
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mksh := needMksh(t)
	r := strings.NewReplacer("/sbin/pfctl", pfctl, "/var/db/peers/good.txt", good, "/var/db/peers/bad.txt", bad, "/var/db/pf", dir, LibexecDir, dir)
	installReload(t, files, r, dir)
	script := r.Replace(string(files[MergeScript].Data))
	out, err := exec.Command(mksh, "-c", script).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not a list of addresses") {
		t.Errorf("merge-peers with a bad list: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(calls)
	if !strings.Contains(string(got), "-q -t bruteforce_good -T replace -f") || strings.Contains(string(got), "bruteforce_bad -T replace") {
		t.Errorf("pfctl calls:\n%s", got)
	}
	if saved, _ := os.ReadFile(filepath.Join(dir, "bruteforce_good.txt")); string(saved) != "   192.0.2.77\n" {
		t.Errorf("bruteforce_good.txt = %q, want the table saved after the replace", saved)
	}
}

// TestMergePeersRefusesWideOrOddLists: each list below is refused as a
// whole, and its table is left alone; a list of hosts and narrow
// networks in pfctl's show format is loaded.
func TestMergePeersRefusesWideOrOddLists(t *testing.T) {
	mksh := needMksh(t)
	lists := []struct {
		name, data string
		ok         bool
	}{
		{"show", "   192.0.2.77\n   10.0.0.0/8\n   2001:db8::/48 # comment\n\n# end\n", true},
		{"everything", "192.0.2.7\n0.0.0.0/0\n", false},
		{"wide4", "128.0.0.0/1\n", false},
		{"wide6", "2000::/3\n", false},
		{"octet", "300.1.2.3\n", false},
		{"hexword", "dead\n", false},
		{"negation", "!192.0.2.1\n", false},
		{"twoprefixes", "192.0.2.0/24/8\n", false},
		{"hostname", "mail.example.net\n", false},
	}
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	pfctl := writeStub(t, dir, "pfctl", `echo "$*" >> `+calls+"\n")
	g := &MailGW{EgressInterface: "em0"}
	pairs := []string{"/sbin/pfctl", pfctl, "/var/db/pf", dir}
	for _, l := range lists {
		p := filepath.Join(dir, l.name+".list")
		if err := os.WriteFile(p, []byte(l.data), 0o644); err != nil {
			t.Fatal(err)
		}
		g.Peers.MergeSources = append(g.Peers.MergeSources, PeerSource{Name: l.name, URL: "/var/db/peers/" + l.name + ".list"})
		pairs = append(pairs, "/var/db/peers/"+l.name+".list", p)
	}
	r := strings.NewReplacer(pairs...)
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(mksh, "-c", r.Replace(string(files[MergeScript].Data))).CombinedOutput()
	got, _ := os.ReadFile(calls)
	for _, l := range lists {
		loaded := strings.Contains(string(got), "-t bruteforce_"+l.name+" -T replace")
		if loaded != l.ok {
			t.Errorf("list %s (%q): loaded = %v, want %v\noutput:\n%s", l.name, l.data, loaded, l.ok, out)
		}
	}
}

// installReload writes the role's pf-reload, with r applied, into dir:
// the scripts that save tables run it, and r maps LibexecDir to dir.
func installReload(t *testing.T, files Files, r *strings.Replacer, dir string) {
	t.Helper()
	script := strings.Replace(r.Replace(string(files[ReloadScript].Data)), "#!/bin/sh", "#!"+needMksh(t), 1)
	if err := os.WriteFile(filepath.Join(dir, path.Base(ReloadScript)), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// needMksh returns mksh's path; without it the test is skipped, except
// under CI=true, where it fails.
func needMksh(t *testing.T) string {
	t.Helper()
	mksh, err := exec.LookPath("mksh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mksh not installed (apt-get install mksh)")
		}
		t.Skip("mksh not installed")
	}
	return mksh
}

// TestSetupRunsTwice runs mailgw-setup twice with stub crontab and rcctl:
// the role's blocks replace themselves (never doubled), other lines stay,
// missing files are created, and the rcctl commands are the role's.
func TestSetupRunsTwice(t *testing.T) {
	dir, bin, tabs, etc := setupSandbox(t)
	tab := filepath.Join(tabs, "root")
	os.WriteFile(tab, []byte("# root's own job\n0 3 * * * /bin/backup\n"), 0o600)
	writeStub(t, bin, "crontab", `if [ "$1" = -l ]; then cat `+tab+`; else cp "$3" `+tab+`; fi
`)
	writeStub(t, bin, "rcctl", `echo "rcctl $*" >> `+filepath.Join(dir, "rcctl.log")+"\n")
	os.WriteFile(filepath.Join(etc, "syslog.conf"), []byte("*.err\t/dev/console\n"), 0o644)

	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{CrontabBlock, SyslogBlock, NewsyslogBlock} {
		os.WriteFile(filepath.Join(dir, p), files[p].Data, 0o644)
	}
	repl := sandboxPaths(dir, etc, tabs)
	script := "PATH=" + bin + ":$PATH\n" + string(files[SetupScript].Data)
	for range 2 {
		runScript(t, strings.Replace(script, "#!/bin/sh\n", "", 1), repl)
	}
	sys, _ := os.ReadFile(filepath.Join(etc, "syslog.conf"))
	if strings.Count(string(sys), "# BEGIN fugu mailgw") != 1 || !strings.HasPrefix(string(sys), "*.err\t/dev/console\n") {
		t.Errorf("syslog.conf after two runs:\n%s", sys)
	}
	backups, _ := filepath.Glob(filepath.Join(etc, "syslog.conf.fugu-*"))
	if len(backups) != 1 {
		t.Errorf("syslog.conf backups = %v, want one (the second run changes nothing)", backups)
	}
	cron, _ := os.ReadFile(tab)
	if strings.Count(string(cron), "spamd-setup") != 1 || !strings.Contains(string(cron), "/bin/backup") {
		t.Errorf("crontab after two runs:\n%s", cron)
	}
	for _, f := range []string{"pf/bruteforce.txt", "etc/mail/nospamd", "spamd.log"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not created: %v", f, err)
		}
	}
	rc, _ := os.ReadFile(filepath.Join(dir, "rcctl.log"))
	if !strings.Contains(string(rc), "rcctl set spamd flags -v -G 25:4:864 -h mx.example.org") || strings.Contains(string(rc), "restart") {
		t.Errorf("rcctl calls:\n%s", rc)
	}
}

// TestSetupKeepsRootCrontab: mailgw-setup replaces root's crontab (which
// on OpenBSD holds the daily, weekly and monthly runs) only after saving
// a dated copy, and never when crontab -l fails, which would otherwise
// install the role's block alone.
func TestSetupKeepsRootCrontab(t *testing.T) {
	dir, bin, tabs, etc := setupSandbox(t)
	tab := filepath.Join(tabs, "root")
	orig := "30 1 * * * /bin/sh /etc/daily\n"
	os.WriteFile(tab, []byte(orig), 0o600)
	fail := filepath.Join(dir, "fail-list")
	writeStub(t, bin, "crontab", `if [ "$1" = -l ]; then [ ! -e `+fail+` ] || exit 1; cat `+tab+`; else cp "$3" `+tab+`; fi
`)
	writeStub(t, bin, "rcctl", "true\n")
	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{CrontabBlock, SyslogBlock, NewsyslogBlock} {
		os.WriteFile(filepath.Join(dir, p), files[p].Data, 0o644)
	}
	repl := sandboxPaths(dir, etc, tabs)
	script := "PATH=" + bin + ":$PATH\n" + strings.Replace(string(files[SetupScript].Data), "#!/bin/sh\n", "", 1)
	for range 2 {
		runScript(t, script, repl)
	}
	backups, _ := filepath.Glob(filepath.Join(etc, "fugu/mailgw/root-crontab.fugu-*"))
	if len(backups) != 1 {
		t.Fatalf("root crontab backups = %v, want one (the second run changes nothing)", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != orig {
		t.Errorf("backup = %q, want the crontab before the first run %q", b, orig)
	}

	// crontab -l fails although root has a crontab: nothing is installed.
	os.WriteFile(tab, []byte(orig), 0o600)
	os.WriteFile(fail, nil, 0o600)
	for k, v := range repl {
		script = strings.ReplaceAll(script, k, v)
	}
	cmd := exec.Command(needMksh(t), "-c", script, "script")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("mailgw-setup succeeded although crontab -l failed:\n%s", out)
	}
	if b, _ := os.ReadFile(tab); string(b) != orig {
		t.Errorf("root crontab after a failed crontab -l = %q, want it untouched", b)
	}
}

// TestSetupForwardEnablesRouting runs mailgw-setup of a forward-mode
// gateway twice on a host without /etc/sysctl.conf (the default): it
// sets net.inet.ip.forwarding now and writes it to sysctl.conf for the
// next boot, once.
func TestSetupForwardEnablesRouting(t *testing.T) {
	dir, bin, tabs, etc := setupSandbox(t)
	writeStub(t, bin, "crontab", "exit 0\n")
	writeStub(t, bin, "rcctl", "exit 0\n")
	writeStub(t, bin, "sysctl", `echo "sysctl $*" >> `+filepath.Join(dir, "sysctl.log")+"\n")

	files, err := Render(loadRole(t, "forward"), Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{CrontabBlock, SyslogBlock, NewsyslogBlock, SysctlBlock} {
		os.WriteFile(filepath.Join(dir, p), files[p].Data, 0o644)
	}
	repl := sandboxPaths(dir, etc, tabs)
	script := "PATH=" + bin + ":$PATH\n" + strings.Replace(string(files[SetupScript].Data), "#!/bin/sh\n", "", 1)
	for range 2 {
		runScript(t, script, repl)
	}
	conf, _ := os.ReadFile(filepath.Join(etc, "sysctl.conf"))
	if strings.Count(string(conf), "\nnet.inet.ip.forwarding=1\n") != 1 {
		t.Errorf("sysctl.conf after two runs:\n%s", conf)
	}
	calls, _ := os.ReadFile(filepath.Join(dir, "sysctl.log"))
	if !strings.Contains(string(calls), "sysctl net.inet.ip.forwarding=1\n") {
		t.Errorf("sysctl calls:\n%s", calls)
	}
}

// TestMergePeersKeepsTableOnFailedFetch: a download that fails half-way
// (ftp exits non-zero after writing part of the list) must leave the
// peer's table as it was, not replace it with the part, and say why.
func TestMergePeersKeepsTableOnFailedFetch(t *testing.T) {
	mksh := needMksh(t)
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	pfctl := writeStub(t, dir, "pfctl", `echo "$*" >> `+calls+"\n")
	ftp := writeStub(t, dir, "ftp", `while [ $# -gt 1 ]; do [ "$1" = -o ] && out=$2; shift; done
printf '192.0.2.1\n' > "$out"
echo "ftp: Read error: Connection reset by peer" >&2
exit 1
`)
	g := &MailGW{EgressInterface: "em0", Peers: Peers{MergeSources: []PeerSource{{Name: "skapet", URL: "https://www.example.net/bruteforce.txt"}}}}
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	script := strings.NewReplacer("/sbin/pfctl", pfctl, "/usr/bin/ftp", ftp, "/var/db/pf", dir).Replace(string(files[MergeScript].Data))
	out, err := exec.Command(mksh, "-c", script).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "cannot fetch the list; bruteforce_skapet left as it was") {
		t.Errorf("merge-peers after a failed download: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(calls); strings.Contains(string(got), "-T replace") {
		t.Errorf("the table was replaced with a cut-off download:\n%s", got)
	}
}

// TestMergePeersReportsRefusedReplace: when pfctl refuses to load a list
// (a table-entries limit, say), the run must fail, or cron's -n throws
// away pfctl's message with the output of a successful run.
func TestMergePeersReportsRefusedReplace(t *testing.T) {
	mksh := needMksh(t)
	dir := t.TempDir()
	pfctl := writeStub(t, dir, "pfctl", `case "$*" in
*"-T replace"*) echo "pfctl: Cannot allocate memory." >&2; exit 1 ;;
*"-T show"*) echo "   192.0.2.77" ;;
esac
`)
	list := filepath.Join(dir, "peer.txt")
	os.WriteFile(list, []byte("192.0.2.1\n"), 0o644)
	g := &MailGW{EgressInterface: "em0", Peers: Peers{MergeSources: []PeerSource{{Name: "p", URL: "/var/db/peers/p.txt"}}}}
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	script := strings.NewReplacer("/sbin/pfctl", pfctl, "/var/db/peers/p.txt", list, "/var/db/pf", dir).Replace(string(files[MergeScript].Data))
	out, err := exec.Command(mksh, "-c", script).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "pfctl refused the list; bruteforce_p left as it was") {
		t.Errorf("merge-peers after a refused replace: %v\n%s", err, out)
	}
}

// TestSetupLocalUndoesForwarding: a gateway switched from forward to
// local mode routes nothing, but the sysctl.conf block of its forward
// days turned IP forwarding on at every boot. Setup takes the block out,
// keeps the rest of the file, and turns forwarding off now; a
// sysctl.conf without the block is left alone.
func TestSetupLocalUndoesForwarding(t *testing.T) {
	dir, bin, tabs, etc := setupSandbox(t)
	writeStub(t, bin, "crontab", "exit 0\n")
	writeStub(t, bin, "rcctl", "exit 0\n")
	calls := filepath.Join(dir, "sysctl.log")
	writeStub(t, bin, "sysctl", `echo "sysctl $*" >> `+calls+"\n")

	forward, err := Render(loadRole(t, "forward"), Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	const own = "machdep.allowaperture=2\n"
	sysctlConf := filepath.Join(etc, "sysctl.conf")
	os.WriteFile(sysctlConf, append([]byte(own), forward[SysctlBlock].Data...), 0o644)

	files, err := Render(loadRole(t, "example"), Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{CrontabBlock, SyslogBlock, NewsyslogBlock} {
		os.WriteFile(filepath.Join(dir, p), files[p].Data, 0o644)
	}
	repl := sandboxPaths(dir, etc, tabs)
	script := "PATH=" + bin + ":$PATH\n" + strings.Replace(string(files[SetupScript].Data), "#!/bin/sh\n", "", 1)
	runScript(t, script, repl)
	if got, _ := os.ReadFile(sysctlConf); string(got) != own {
		t.Errorf("sysctl.conf after setup in local mode:\n%s\nwant:\n%s", got, own)
	}
	if got, _ := os.ReadFile(calls); string(got) != "sysctl net.inet.ip.forwarding=0\n" {
		t.Errorf("sysctl calls: %q, want forwarding turned off", got)
	}

	// Nothing of the role's left: no sysctl call, no backup.
	os.Remove(calls)
	backups, _ := filepath.Glob(sysctlConf + ".fugu-*")
	runScript(t, script, repl)
	if got, _ := os.ReadFile(sysctlConf); string(got) != own {
		t.Errorf("sysctl.conf after a second run:\n%s", got)
	}
	if got, err := os.ReadFile(calls); err == nil {
		t.Errorf("sysctl called without a block to remove: %s", got)
	}
	if again, _ := filepath.Glob(sysctlConf + ".fugu-*"); len(again) != len(backups) {
		t.Errorf("backups of an unchanged sysctl.conf: %v", again)
	}
}

// TestSetupKeepsConfigWhenEditFails: merge_block runs where set -e does
// not hold (its status is tested); when a step fails, as sed does on a
// full disk, the script must stop with the config file as it was, not
// rename a copy that lost everything but the role's block over it.
func TestSetupKeepsConfigWhenEditFails(t *testing.T) {
	dir, bin, tabs, etc := setupSandbox(t)
	writeStub(t, bin, "crontab", "exit 0\n")
	writeStub(t, bin, "rcctl", "exit 0\n")
	writeStub(t, bin, "sed", "echo 'sed: write error: No space left on device' >&2\nexit 1\n")
	const syslogConf = "*.err\t/dev/console\n*.notice\t/var/log/messages\n"
	os.WriteFile(filepath.Join(etc, "syslog.conf"), []byte(syslogConf), 0o644)

	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{CrontabBlock, SyslogBlock, NewsyslogBlock} {
		os.WriteFile(filepath.Join(dir, p), files[p].Data, 0o644)
	}
	script := "PATH=" + bin + ":$PATH\n" + strings.Replace(string(files[SetupScript].Data), "#!/bin/sh\n", "", 1)
	for k, v := range sandboxPaths(dir, etc, tabs) {
		script = strings.ReplaceAll(script, k, v)
	}
	out, err := exec.Command(needMksh(t), "-c", script).CombinedOutput()
	if err == nil {
		t.Errorf("mailgw-setup succeeded although sed failed:\n%s", out)
	}
	if got, _ := os.ReadFile(filepath.Join(etc, "syslog.conf")); string(got) != syslogConf {
		t.Errorf("syslog.conf after a failed edit:\n%s", got)
	}
	if left, _ := filepath.Glob(filepath.Join(etc, "syslog.conf.*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// bigTableStub is a pfctl whose -T show prints 100 addresses and, like
// pfctl, exits 0 even when writing them failed; other calls are logged.
func bigTableStub(t *testing.T, dir, calls string) string {
	return writeStub(t, dir, "pfctl", `case "$*" in
*"-T show"*) i=0; while [ $i -lt 100 ]; do echo "   192.0.2.$i"; i=$((i+1)); done 2>/dev/null; exit 0 ;;
esac
echo "$*" >> `+calls+"\n")
}

// TestTableDumpsSurviveWriteErrors: pfctl -T show exits 0 when its
// output could not be written, so a dump straight into the file leaves
// it cut off (here by a 512-byte file size limit, as a full /var would)
// and pf-reload would then load the cut-off table. The dumps must see
// the failure, keep the old file, and pf-reload must load nothing.
func TestTableDumpsSurviveWriteErrors(t *testing.T) {
	mksh := needMksh(t)
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	pfctl := bigTableStub(t, dir, calls)
	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	table := filepath.Join(dir, "bruteforce.txt")
	const saved = "   198.51.100.1\n"
	limited := "trap '' XFSZ\nulimit -f 1\n"
	r := strings.NewReplacer("/sbin/pfctl", pfctl, "/var/db/pf", dir, LibexecDir, dir)
	installReload(t, files, r, dir)

	os.WriteFile(table, []byte(saved), 0o600)
	reload := limited + strings.Replace(r.Replace(string(files[ReloadScript].Data)), "#!/bin/sh\n", "", 1)
	if out, err := exec.Command(mksh, "-c", reload).CombinedOutput(); err == nil {
		t.Errorf("pf-reload succeeded although the table could not be saved:\n%s", out)
	}
	if got, _ := os.ReadFile(table); string(got) != saved {
		t.Errorf("pf-reload left bruteforce.txt as %d bytes, want the old file", len(got))
	}
	if got, _ := os.ReadFile(calls); strings.Contains(string(got), "-f ") {
		t.Errorf("pf-reload loaded the ruleset after a failed save:\n%s", got)
	}

	var cronDump string
	for _, line := range strings.Split(string(files[CrontabBlock].Data), "\n") {
		if strings.Contains(line, ReloadScript+" save") {
			_, cronDump, _ = strings.Cut(line, "-ns ")
		}
	}
	if cronDump == "" {
		t.Fatal("no table dump in the crontab")
	}
	if out, err := exec.Command(mksh, "-c", limited+r.Replace(cronDump)).CombinedOutput(); err == nil {
		t.Errorf("the cron dump succeeded although the table could not be saved:\n%s", out)
	}
	if got, _ := os.ReadFile(table); string(got) != saved {
		t.Errorf("the cron dump left bruteforce.txt as %d bytes, want the old file", len(got))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "bruteforce.txt?*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// assert that: without the limit, the cron dump saves the whole table.
	if out, err := exec.Command(mksh, "-c", r.Replace(cronDump)).CombinedOutput(); err != nil {
		t.Fatalf("cron dump: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(table); strings.Count(string(got), "\n") != 100 || !strings.HasSuffix(string(got), "   192.0.2.99\n") {
		t.Errorf("bruteforce.txt after the cron dump:\n%s", got)
	}
}

// TestPublishListsNeverPublishesACutOffList: with a 1 KiB file size limit
// (a nearly full /tmp), a table of 100 addresses does not fit in the
// work files. pfctl, which exits 0 when its output could not be written,
// must not make the script publish the part that fitted: peers load the
// published list with -T replace and would lose the rest.
func TestPublishListsNeverPublishesACutOffList(t *testing.T) {
	mksh := needMksh(t)
	dir := t.TempDir()
	pfctl := bigTableStub(t, dir, filepath.Join(dir, "calls"))
	g := &MailGW{EgressInterface: "em0", Publish: Publish{Paths: map[string]string{"bruteforce": "/var/www/htdocs/bruteforce.txt"}}}
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	script := "trap '' XFSZ\nulimit -f 2\n" + strings.NewReplacer("/sbin/pfctl", pfctl, "/var/www/htdocs", dir).Replace(string(files[PublishScript].Data))
	out, err := exec.Command(mksh, "-c", script).CombinedOutput()
	published, _ := os.ReadFile(filepath.Join(dir, "bruteforce.txt"))
	if n := strings.Count(string(published), "192.0.2."); len(published) > 0 && n != 100 {
		t.Errorf("published %d of 100 addresses (script: %v):\n%s\n%s", n, err, published, out)
	}
}

// TestSetupRemovesStaleAllowedDomains: spamd traps every recipient
// outside spamd.alloweddomains while the file exists, so when
// allowed_domains is emptied, setup removes the list fugu wrote earlier;
// a list the admin wrote by hand stays.
func TestSetupRemovesStaleAllowedDomains(t *testing.T) {
	withDomains, err := Render(&MailGW{EgressInterface: "em0", AllowedDomains: []string{"example.org"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		content string
		kept    bool
	}{
		"generated": {string(withDomains[AllowedDomains].Data), false},
		"by hand":   {"# ours\nexample.net\n", true},
	} {
		dir, bin, tabs, etc := setupSandbox(t)
		writeStub(t, bin, "crontab", "exit 0\n")
		writeStub(t, bin, "rcctl", "exit 0\n")
		list := filepath.Join(etc, "mail/spamd.alloweddomains")
		// The paths in the script are moved under dir, the header's too.
		os.WriteFile(list, []byte(strings.ReplaceAll(c.content, "/etc/", etc+"/")), 0o644)
		for _, p := range []string{CrontabBlock, SyslogBlock, NewsyslogBlock} {
			os.WriteFile(filepath.Join(dir, p), files[p].Data, 0o644)
		}
		repl := sandboxPaths(dir, etc, tabs)
		runScript(t, "PATH="+bin+":$PATH\n"+strings.Replace(string(files[SetupScript].Data), "#!/bin/sh\n", "", 1), repl)
		if _, err := os.Stat(list); (err == nil) != c.kept {
			t.Errorf("%s list: kept = %v, want %v", name, err == nil, c.kept)
		}
	}
}

// TestReloadWaitsForConfirmation: while a ruleset loaded by fugu firewall
// apply awaits confirmation, pf-reload loads nothing (loading /etc/pf.conf
// would silently undo the pending ruleset, which a confirm would then
// install without it running). A marker whose rollback job is gone is
// what a reboot leaves: the host booted /etc/pf.conf and no rollback or
// confirm will clear the marker, so pf-reload loads as usual.
func TestReloadWaitsForConfirmation(t *testing.T) {
	mksh := needMksh(t)
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	pfctl := bigTableStub(t, dir, calls)
	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("/sbin/pfctl", pfctl, "/var/db/pf", dir, "/var/db/fugu", dir)
	reload := strings.Replace(r.Replace(string(files[ReloadScript].Data)), "#!/bin/sh\n", "", 1)
	marker := filepath.Join(dir, "pf.pending")
	os.WriteFile(marker, []byte("/etc/pf.conf.fugu-20260102030405\n"), 0o644)

	// The rollback job as Apply starts it: its command line names the marker.
	job := exec.Command("/bin/sh", "-c", "sleep 300; if [ -e "+marker+" ]; then :; fi")
	if err := job.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { job.Process.Kill(); job.Wait() })
	pidFile := filepath.Join(dir, "pf.timer")
	os.WriteFile(pidFile, []byte(fmt.Sprintf("%d\n", job.Process.Pid)), 0o644)
	out, err := exec.Command(mksh, "-c", reload).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "awaits confirmation") {
		t.Errorf("pf-reload during a pending apply: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(calls); len(got) > 0 {
		t.Errorf("pf-reload ran pfctl during a pending apply:\n%s", got)
	}

	// A reboot: the marker is left, the job is gone and its pid may be
	// another process's (here this test's).
	for _, pid := range []string{"", fmt.Sprintf("%d\n", os.Getpid())} {
		os.WriteFile(pidFile, []byte(pid), 0o644)
		os.Remove(calls)
		if out, err := exec.Command(mksh, "-c", reload).CombinedOutput(); err != nil {
			t.Errorf("pf-reload after a reboot left the marker (pid file %q): %v\n%s", pid, err, out)
		}
		if got, _ := os.ReadFile(calls); !strings.Contains(string(got), "-f /etc/pf.conf") {
			t.Errorf("pf-reload after a reboot (pid file %q) did not load /etc/pf.conf:\n%s", pid, got)
		}
	}

	// Confirmed (no marker): it loads.
	os.Remove(marker)
	os.Remove(calls)
	if out, err := exec.Command(mksh, "-c", reload).CombinedOutput(); err != nil {
		t.Fatalf("pf-reload: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(calls); !strings.Contains(string(got), "-f /etc/pf.conf") {
		t.Errorf("pf-reload did not load /etc/pf.conf:\n%s", got)
	}
}

// setupSandbox makes a stand-in for the gateway that mailgw-setup runs
// against: bin for stub commands (put first in PATH), the crontab
// directory, and /etc with the directories every OpenBSD has.
func setupSandbox(t *testing.T) (dir, bin, tabs, etc string) {
	t.Helper()
	dir = t.TempDir()
	bin, tabs, etc = filepath.Join(dir, "bin"), filepath.Join(dir, "tabs"), filepath.Join(dir, "etc")
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(bin, 0o755))
	must(os.Mkdir(tabs, 0o700))
	must(os.MkdirAll(filepath.Join(etc, "fugu/mailgw"), 0o755))
	must(os.MkdirAll(filepath.Join(etc, "mail"), 0o755))
	return dir, bin, tabs, etc
}

// sandboxPaths maps the gateway's paths in the role's scripts into a
// setupSandbox.
func sandboxPaths(dir, etc, tabs string) map[string]string {
	return map[string]string{"/etc/": etc + "/", "/var/db/pf": filepath.Join(dir, "pf"),
		"/var/log/spamd": filepath.Join(dir, "spamd.log"), "/var/cron/tabs": tabs}
}

// TestTableDumpsAreOwnerOnly: the table files list abusers' addresses
// (and a peer's), which setup creates 0600. Every later save must keep
// them 0600, whatever the umask of cron or of an apply's shell, and a
// file a save once left readable must become 0600 again.
func TestTableDumpsAreOwnerOnly(t *testing.T) {
	mksh := needMksh(t)
	dir := t.TempDir()
	pfctl := writeStub(t, dir, "pfctl", `case "$*" in *"-T show"*) echo "   192.0.2.77" ;; esac
`)
	peer := filepath.Join(dir, "peer.list")
	os.WriteFile(peer, []byte("192.0.2.77\n"), 0o644)
	g := &MailGW{EgressInterface: "em0", Peers: Peers{MergeSources: []PeerSource{{Name: "p", URL: "/var/db/peers/p.list"}}}}
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("/sbin/pfctl", pfctl, "/var/db/pf", dir, LibexecDir, dir, "/var/db/peers/p.list", peer)
	installReload(t, files, r, dir)
	os.WriteFile(filepath.Join(dir, path.Base(MergeScript)), []byte(r.Replace(string(files[MergeScript].Data))), 0o755)
	table := filepath.Join(dir, "bruteforce.txt")
	var jobs []string
	for _, line := range strings.Split(string(files[CrontabBlock].Data), "\n") {
		if strings.HasPrefix(line, "5 * * * *\t-ns ") {
			jobs = append(jobs, r.Replace(strings.TrimPrefix(line, "5 * * * *\t-ns ")))
		}
	}
	if len(jobs) == 0 {
		t.Fatalf("no table dump in the crontab:\n%s", files[CrontabBlock].Data)
	}
	os.WriteFile(table, []byte("   198.51.100.1\n"), 0o644)
	for _, job := range jobs {
		if out, err := exec.Command(mksh, "-c", "umask 022\n"+job).CombinedOutput(); err != nil {
			t.Fatalf("cron job %s: %v\n%s", job, err, out)
		}
	}
	for _, f := range []string{table, filepath.Join(dir, "bruteforce_p.txt")} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(f); string(got) != "   192.0.2.77\n" {
			t.Errorf("%s = %q, want the saved table", f, got)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %04o after the cron jobs, want 0600", filepath.Base(f), st.Mode().Perm())
		}
	}
}

// TestTableSaveIsDurable: a crash after a save must find either the old
// or the new table in the file, never an empty or cut-off one (which the
// next boot loads as the table). The data must be on disk before the
// rename gives it the file's name, and the rename before the save says
// it is done: fsync(2) on the temporary file, then on the directory.
// OpenBSD has no fsync(1); the save uses perl, which is in base. The
// stand-in for perl logs what it is asked to sync and what the table
// file holds at that moment, then runs the real perl.
func TestTableSaveIsDurable(t *testing.T) {
	mksh := needMksh(t)
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not installed")
	}
	dir := t.TempDir()
	pfctl := writeStub(t, dir, "pfctl", `case "$*" in *"-T show"*) echo "   192.0.2.77" ;; esac
`)
	log := filepath.Join(dir, "perl.log")
	table := filepath.Join(dir, "pf", "bruteforce.txt")
	stub := writeStub(t, dir, "perl", `for a in "$@"; do
	case $a in
	`+dir+`/*) echo "$a: $(cat `+table+`)" >> `+log+` ;;
	esac
done
exec `+perl+` "$@"
`)
	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("/sbin/pfctl", pfctl, "/var/db/pf", filepath.Join(dir, "pf"), LibexecDir, dir, "/usr/bin/perl", stub)
	installReload(t, files, r, dir)
	os.Mkdir(filepath.Join(dir, "pf"), 0o700)
	os.WriteFile(table, []byte("   198.51.100.1\n"), 0o600)
	if out, err := exec.Command(mksh, filepath.Join(dir, "pf-reload"), "save").CombinedOutput(); err != nil {
		t.Fatalf("pf-reload save: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	// assert that: the temporary file is synced while the table file is
	// still the old one, then the directory once the rename is done.
	if len(lines) != 2 || !strings.HasPrefix(lines[0], table+".") || !strings.HasSuffix(lines[0], ":    198.51.100.1") ||
		lines[1] != filepath.Join(dir, "pf")+":    192.0.2.77" {
		t.Errorf("fsync calls (path: table file at that moment):\n%s\nwant the temporary file while the table is old, then %s/pf once it is new", got, dir)
	}

	// A failing fsync (an I/O error) fails the save and keeps the old file.
	writeStub(t, dir, "perl", "echo 'pf-reload: fsync: Input/output error' >&2; exit 1\n")
	os.WriteFile(table, []byte("   198.51.100.1\n"), 0o600)
	if out, err := exec.Command(mksh, filepath.Join(dir, "pf-reload"), "save").CombinedOutput(); err == nil || !strings.Contains(string(out), "cannot save table bruteforce") {
		t.Errorf("pf-reload save with a failing fsync: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(table); string(got) != "   198.51.100.1\n" {
		t.Errorf("bruteforce.txt = %q after a failed fsync, want the old table", got)
	}
	if left, _ := filepath.Glob(table + ".*"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestSetupSyncsMergedFiles: setup replaces syslog.conf (and
// newsyslog.conf, sysctl.conf) by a rename; a crash soon after must find
// the old file or the new one, not an empty syslog.conf that leaves the
// host without logs. The stand-in perl (the fsync) logs what it syncs
// and whether syslog.conf has the role's block at that moment.
func TestSetupSyncsMergedFiles(t *testing.T) {
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not installed")
	}
	dir, bin, tabs, etc := setupSandbox(t)
	log := filepath.Join(dir, "perl.log")
	writeStub(t, bin, "crontab", "exit 0\n")
	writeStub(t, bin, "rcctl", "exit 0\n")
	writeStub(t, bin, "perl", `for a in "$@"; do
	case $a in
	`+dir+`/*) echo "$a|$(grep -c BEGIN `+etc+`/syslog.conf)" >> `+log+` ;;
	esac
done
exec `+perl+` "$@"
`)
	os.WriteFile(filepath.Join(etc, "syslog.conf"), []byte("*.err\t/dev/console\n"), 0o644)
	files, err := Render(&MailGW{EgressInterface: "em0"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{CrontabBlock, SyslogBlock, NewsyslogBlock} {
		os.WriteFile(filepath.Join(dir, p), files[p].Data, 0o644)
	}
	repl := sandboxPaths(dir, etc, tabs)
	repl["/usr/bin/perl"] = filepath.Join(bin, "perl")
	runScript(t, "PATH="+bin+":$PATH\n"+strings.Replace(string(files[SetupScript].Data), "#!/bin/sh\n", "", 1), repl)
	got, _ := os.ReadFile(log)
	var tmpSynced, dirSynced bool
	for _, l := range strings.Split(string(got), "\n") {
		tmpSynced = tmpSynced || strings.HasPrefix(l, etc+"/syslog.conf.") && strings.HasSuffix(l, "|0")
		dirSynced = dirSynced || tmpSynced && l == etc+"|1"
	}
	if !tmpSynced || !dirSynced {
		t.Errorf("fsync calls (path|role blocks in syslog.conf at that moment):\n%s\nwant syslog.conf's temporary file before the rename, then %s after it", got, etc)
	}
}

// TestPublishListsSyncs: peers load a published list with -T replace, so
// an empty file left by a crash right after the rename would empty their
// copy of the table. Each list is fsynced before the rename gives it its
// name, and the directory after. The stand-in perl logs what it syncs
// and the published file's line count at that moment.
func TestPublishListsSyncs(t *testing.T) {
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not installed")
	}
	dir := t.TempDir()
	pub := filepath.Join(dir, "htdocs")
	os.Mkdir(pub, 0o755)
	list := filepath.Join(pub, "bruteforce.txt")
	os.WriteFile(list, []byte("# old\n"), 0o644)
	log := filepath.Join(dir, "perl.log")
	pfctl := writeStub(t, dir, "pfctl", "printf '   192.0.2.9\\n'\n")
	stub := writeStub(t, dir, "perl", `for a in "$@"; do
	case $a in
	`+pub+`*) echo "$a|$(wc -l < `+list+`)" >> `+log+` ;;
	esac
done
exec `+perl+` "$@"
`)
	g := &MailGW{EgressInterface: "em0", Publish: Publish{Paths: map[string]string{"bruteforce": "/var/www/htdocs/bruteforce.txt"}}}
	files, err := Render(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	runScript(t, string(files[PublishScript].Data), map[string]string{
		"/sbin/pfctl": pfctl, "/var/www/htdocs": pub, "/usr/bin/perl": stub,
	})
	got, _ := os.ReadFile(log)
	var tmpSynced, dirSynced bool
	for _, l := range strings.Split(string(got), "\n") {
		f := strings.Split(l, "|")
		if len(f) != 2 {
			continue
		}
		tmpSynced = tmpSynced || strings.HasPrefix(f[0], list+".") && strings.TrimSpace(f[1]) == "1"
		dirSynced = dirSynced || tmpSynced && f[0] == pub && strings.TrimSpace(f[1]) != "1"
	}
	if !tmpSynced || !dirSynced {
		t.Errorf("fsync calls (path|lines of bruteforce.txt at that moment):\n%s\nwant the temporary list before the rename, then %s after it", got, pub)
	}
}
