package pfapply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fugu/firewall"
	"fugu/migrate/remote"
	"fugu/migrate/remote/sshtest"
)

const oldRuleset = "# the ruleset before apply\npass\n"

// stubPfctl writes a pfctl that appends each call to dir/pfctl.log and,
// for -f, the first line of the file it loads. It refuses (like pfctl -n
// on a syntax error) any file that contains "BAD RULESET", and fails to
// load (but checks) one that contains "FAILS TO LOAD".
func stubPfctl(t *testing.T, dir string) string {
	t.Helper()
	log := filepath.Join(dir, "pfctl.log")
	script := `#!/bin/sh
echo "pfctl $*" >> ` + log + `
file= load=
while [ $# -gt 0 ]; do
	case $1 in
	-nf) file=$2; shift ;;
	-f) file=$2 load=1; shift ;;
	-T) [ "$2" = show ] && { echo "   192.0.2.7"; exit 0; } ;;
	esac
	shift
done
if [ -n "$file" ] && grep -q "BAD RULESET" "$file"; then
	echo "$file:3: syntax error" >&2
	exit 1
fi
if [ -n "$load" ] && grep -q "FAILS TO LOAD" "$file"; then
	echo "pfctl: DIOCADDRULE: Device busy" >&2
	exit 1
fi
if [ -n "$file" ]; then
	echo "loaded: $(head -n 1 "$file")" >> ` + log + `
fi
exit 0
`
	if err := os.WriteFile(filepath.Join(dir, "pfctl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return log
}

// withStubPfctl returns files with the role's pf-reload calling the
// pfctl first in PATH (the stub) instead of /sbin/pfctl.
func withStubPfctl(files firewall.Files) firewall.Files {
	f := files[firewall.ReloadScript]
	f.Data = bytes.ReplaceAll(f.Data, []byte("/sbin/pfctl"), []byte("pfctl"))
	files[firewall.ReloadScript] = f
	return files
}

type rig struct {
	stubs  string // commands found first in PATH on the host
	srv    *sshtest.Server
	root   string
	pflog  string
	files  firewall.Files
	config func() remote.Config
	log    logWriter
}

func newRig(t *testing.T) *rig {
	t.Helper()
	stubs := t.TempDir()
	pflog := stubPfctl(t, stubs)
	sshtest.WriteStubDoas(t, stubs)
	srv := sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{stubs}})
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/pf.conf"), []byte(oldRuleset), 0o600); err != nil {
		t.Fatal(err)
	}
	files, err := firewall.Render(&firewall.MailGW{EgressInterface: "em0"}, firewall.Options{Hostname: "mx.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	files = withStubPfctl(files)
	return &rig{stubs: stubs, srv: srv, root: root, pflog: pflog, files: files, log: logWriter{t, time.Now()}, config: func() remote.Config {
		c := srv.Config(t)
		c.AlwaysDoas = true
		return c
	}}
}

func (r *rig) dial(t *testing.T) remote.Host {
	t.Helper()
	return r.srv.DialConfig(t, r.config())
}

func (r *rig) read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(r.root, p))
	if err != nil {
		return ""
	}
	return string(data)
}

func (r *rig) cfg(timer time.Duration) Config {
	return Config{Root: r.root, Timer: timer, Log: r.log, Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
}

// logWriter shows the engine's steps with the time since the rig started.
type logWriter struct {
	t     *testing.T
	start time.Time
}

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Logf("%6.2fs %s", time.Since(w.start).Seconds(), bytes.TrimSpace(p))
	return len(p), nil
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, cond func() bool) bool {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

func TestApplyRejectsBadRuleset(t *testing.T) {
	r := newRig(t)
	bad := firewall.Files{}
	for p, f := range r.files {
		bad[p] = f
	}
	bad[firewall.PFConf] = firewall.File{Mode: 0o600, Data: []byte("# BAD RULESET\npass in on $nosuch\n")}
	err := Apply(context.Background(), r.dial(t), bad, r.cfg(2*time.Second))
	if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "syntax error") {
		t.Fatalf("Apply(bad) = %v, want ErrRejected with pfctl's message", err)
	}
	// assert that: the message names the new pf.conf, not the staging
	// copy that is gone by the time the user reads it.
	if !strings.Contains(err.Error(), "\nnew /etc/pf.conf:3: syntax error") || strings.Contains(err.Error(), "fugu-firewall.") {
		t.Errorf("Apply(bad) = %v, want pfctl's message about new /etc/pf.conf", err)
	}
	// assert that: the old ruleset stays, nothing was loaded or installed.
	if got := r.read(t, "etc/pf.conf"); got != oldRuleset {
		t.Errorf("pf.conf = %q, want the old ruleset", got)
	}
	if r.read(t, "etc/mail/spamd.conf") != "" {
		t.Error("spamd.conf was installed although the ruleset was refused")
	}
	log, _ := readFile(r.pflog)
	if strings.Contains(log, "pfctl -f ") {
		t.Errorf("pfctl -f ran after a refused check:\n%s", log)
	}
	if !strings.Contains(log, "-t bruteforce -T show") {
		t.Errorf("the tables were not saved before the check:\n%s", log)
	}
	// The table file was created (pfctl -n needs it) and filled from the kernel.
	if got := r.read(t, "var/db/pf/bruteforce.txt"); got != "   192.0.2.7\n" {
		t.Errorf("bruteforce.txt = %q, want the dumped table", got)
	}
}

// TestApplyLoadFailureRestoresAtOnce: a ruleset that passes the check
// but fails to load is replaced by the backup at once.
func TestApplyLoadFailureRestoresAtOnce(t *testing.T) {
	r := newRig(t)
	files := firewall.Files{}
	for p, f := range r.files {
		files[p] = f
	}
	files[firewall.PFConf] = firewall.File{Mode: 0o600, Data: []byte("# FAILS TO LOAD\npass\n")}
	err := Apply(context.Background(), r.dial(t), files, r.cfg(time.Minute))
	if err == nil || !strings.Contains(err.Error(), "Device busy") {
		t.Fatalf("Apply = %v, want the load failure", err)
	}
	if got := r.read(t, "etc/pf.conf"); got != oldRuleset {
		t.Errorf("pf.conf = %q, want the old ruleset back", got)
	}
	if r.read(t, "var/db/fugu/pf.pending") != "" {
		t.Error("pending marker left after the immediate rollback")
	}
	log, _ := readFile(r.pflog)
	if !strings.Contains(log, "loaded: # the ruleset before apply") {
		t.Errorf("the old ruleset was not reloaded:\n%s", log)
	}
}

func TestApplyUnconfirmedRollsBack(t *testing.T) {
	r := newRig(t)
	if err := Apply(context.Background(), r.dial(t), r.files, r.cfg(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	newRuleset := string(r.files[firewall.PFConf].Data)
	// assert that: the new ruleset is loaded from the pending file, and
	// /etc/pf.conf, what a reboot loads, is still the old one
	if got := r.read(t, "etc/pf.conf.fugu-pending"); got != newRuleset {
		t.Fatalf("pending ruleset after apply is not the new ruleset:\n%s", got)
	}
	if got := r.read(t, "etc/pf.conf"); got != oldRuleset {
		t.Fatalf("pf.conf changed before confirmation:\n%s", got)
	}
	if log, _ := readFile(r.pflog); !strings.Contains(log, "-f "+filepath.Join(r.root, "etc/pf.conf.fugu-pending")) {
		t.Errorf("the pending ruleset was not loaded:\n%s", log)
	}
	if r.read(t, "etc/pf.conf.fugu-20260102030405") != oldRuleset {
		t.Error("no dated backup of the old pf.conf")
	}
	if !bytes.Equal([]byte(r.read(t, "etc/mail/spamd.conf")), r.files[firewall.SpamdConf].Data) {
		t.Error("spamd.conf not installed")
	}
	// assert that: without confirm, the timer reloads the old ruleset
	// and drops the pending one.
	if !waitFor(t, 15*time.Second, func() bool { return r.read(t, "var/db/fugu/pf.pending") == "" }) {
		t.Fatal("pending marker left after the timer")
	}
	if r.read(t, "etc/pf.conf.fugu-pending") != "" || r.read(t, "etc/pf.conf") != oldRuleset {
		t.Error("the rollback left the pending ruleset, or changed pf.conf")
	}
	log, _ := readFile(r.pflog)
	if !strings.Contains(log, "loaded: # the ruleset before apply") {
		t.Errorf("the old ruleset was not reloaded:\n%s", log)
	}
	// The tables were saved before the check, the load and the rollback.
	if n := strings.Count(log, "-t bruteforce -T show"); n != 3 {
		t.Errorf("tables saved %d times, want 3:\n%s", n, log)
	}
	if err := Confirm(context.Background(), r.dial(t), r.cfg(0)); !errors.Is(err, ErrNothingPending) {
		t.Errorf("Confirm after rollback = %v, want ErrNothingPending", err)
	}
}

func TestApplyConfirmedStays(t *testing.T) {
	r := newRig(t)
	const timer = 10 * time.Second
	start := time.Now()
	if err := Apply(context.Background(), r.dial(t), r.files, r.cfg(timer)); err != nil {
		t.Fatal(err)
	}
	t.Logf("apply took %s", time.Since(start))
	// A second apply while the first is pending is refused.
	if err := Apply(context.Background(), r.dial(t), r.files, r.cfg(timer)); !errors.Is(err, ErrPending) {
		t.Errorf("second Apply = %v, want ErrPending", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(r.read(t, "var/db/fugu/pf.timer")))
	if err != nil {
		t.Fatalf("rollback job pid: %v", err)
	}
	if err := Confirm(context.Background(), r.dial(t), r.cfg(0)); err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	// assert that: Confirm stopped the rollback job itself.
	gone := func() bool {
		p, err := os.FindProcess(pid)
		return err != nil || p.Signal(syscall.Signal(0)) != nil
	}
	if !waitFor(t, 5*time.Second, gone) {
		t.Errorf("the rollback job (pid %d) still runs after confirm", pid)
	}
	if time.Since(start) >= timer {
		t.Fatalf("confirm came after the timer (%s); the host is too slow for this test", time.Since(start))
	}
	// assert that: after the timer would have fired, the new ruleset stays.
	time.Sleep(time.Until(start.Add(timer + time.Second)))
	if got := r.read(t, "etc/pf.conf"); got != string(r.files[firewall.PFConf].Data) {
		t.Fatalf("pf.conf is not the confirmed ruleset:\n%s", got)
	}
	if r.read(t, "etc/pf.conf.fugu-pending") != "" {
		t.Error("the pending ruleset is left after confirm")
	}
	log, _ := readFile(r.pflog)
	if strings.Contains(log, "loaded: # the ruleset before apply") {
		t.Errorf("the old ruleset was reloaded after confirm:\n%s", log)
	}
}

func TestApplyDryRunChangesNothing(t *testing.T) {
	var plan bytes.Buffer
	cfg := Config{DryRun: true, Log: &plan}
	if err := Apply(context.Background(), nil, firewall.Files{firewall.PFConf: {Mode: 0o600, Data: []byte("pass\n")}}, cfg); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pfctl -nf STAGE/0", "nohup /bin/sh -c 'sleep 120;", "pfctl -f /etc/pf.conf", "/etc/pf.conf.fugu-",
		"# dry run: nothing was uploaded, installed or loaded; a real run would load this ruleset"} {
		if !strings.Contains(plan.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, plan.String())
		}
	}
	// assert that: a dry run never claims something happened.
	for _, line := range strings.Split(plan.String(), "\n") {
		if strings.HasPrefix(line, "loaded") || strings.HasPrefix(line, "upload ") {
			t.Errorf("dry run reports an action as done: %q", line)
		}
	}
}

func readFile(p string) (string, error) {
	data, err := os.ReadFile(p)
	return string(data), err
}

// TestConfirmSparesAReusedPID: after a reboot the rollback job is gone
// and its recorded pid may belong to another process; Confirm must not
// kill that process, nor install the pending ruleset the host no longer
// runs (it booted /etc/pf.conf): it drops the pending state and says so.
func TestConfirmSparesAReusedPID(t *testing.T) {
	r := newRig(t)
	other := exec.Command("sleep", "30")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- other.Wait() }()
	t.Cleanup(func() { other.Process.Kill() })
	state := filepath.Join(r.root, "var/db/fugu")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(state, "pf.pending"), []byte("/etc/pf.conf.fugu-20260102030405\n"), 0o644)
	os.WriteFile(filepath.Join(state, "pf.timer"), []byte(fmt.Sprintf("%d\n", other.Process.Pid)), 0o644)
	os.WriteFile(filepath.Join(r.root, "etc/pf.conf.fugu-pending"), []byte("# never confirmed\n"), 0o600)
	if err := Confirm(context.Background(), r.dial(t), r.cfg(0)); !errors.Is(err, ErrPendingGone) {
		t.Fatalf("Confirm after a reboot = %v, want ErrPendingGone", err)
	}
	if r.read(t, "var/db/fugu/pf.pending") != "" || r.read(t, "etc/pf.conf.fugu-pending") != "" {
		t.Error("pending state left after confirm")
	}
	if r.read(t, "etc/pf.conf") != oldRuleset {
		t.Error("Confirm installed a ruleset the host did not run")
	}

	select {
	case err := <-exited:
		t.Fatalf("Confirm killed an unrelated process that reused the rollback job's pid: %v", err)
	case <-time.After(time.Second):
	}
}

// TestSaveTablesSurviveWriteErrors runs the table-saving command under
// a 512-byte file size limit with a pfctl that, like pfctl, exits 0 when
// its output could not be written: the table file must keep its old
// content and the command must fail, so Apply stops before loading.
func TestSaveTablesSurviveWriteErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pfctl"), []byte(`#!/bin/sh
i=0; while [ $i -lt 100 ]; do echo "   192.0.2.$i"; i=$((i+1)); done 2>/dev/null
exit 0
`), 0o755); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	table := filepath.Join(root, "var/db/pf/bruteforce.txt")
	os.MkdirAll(filepath.Dir(table), 0o755)
	const saved = "   198.51.100.1\n"
	os.WriteFile(table, []byte(saved), 0o600)
	files, err := firewall.Render(&firewall.MailGW{EgressInterface: "em0"}, firewall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reload := filepath.Join(dir, "pf-reload")
	os.WriteFile(reload, withStubPfctl(files)[firewall.ReloadScript].Data, 0o755)
	script := "trap '' XFSZ\nulimit -f 1\nset -e\n" + saveTables(files, &Config{Root: root}, reload)
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "cannot save table bruteforce to "+table) {
		t.Errorf("saving under a full disk: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(table); string(got) != saved {
		t.Errorf("bruteforce.txt is %d bytes after a failed save, want the old file", len(got))
	}
	if left, _ := filepath.Glob(table + ".*"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestApplyAfterAReboot: a pending marker whose rollback job is gone is
// what a reboot before confirmation leaves; the host booted /etc/pf.conf,
// so the next Apply drops it instead of refusing forever.
func TestApplyAfterAReboot(t *testing.T) {
	r := newRig(t)
	state := filepath.Join(r.root, "var/db/fugu")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(state, "pf.pending"), []byte("/etc/pf.conf.fugu-20260101000000\n"), 0o644)
	os.WriteFile(filepath.Join(state, "pf.timer"), []byte("1\n"), 0o644) // init: not the job
	var log bytes.Buffer
	cfg := r.cfg(time.Hour)
	cfg.Log = &log
	if err := Apply(context.Background(), r.dial(t), r.files, cfg); err != nil {
		t.Fatalf("Apply after a reboot: %v", err)
	}
	if !strings.Contains(log.String(), "dropped an unconfirmed load whose rollback job is gone") {
		t.Errorf("Apply did not say it dropped the old load:\n%s", log.String())
	}
	// Confirm stops this apply's own job (an hour long) and installs it.
	if err := Confirm(context.Background(), r.dial(t), r.cfg(0)); err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	if got := r.read(t, "etc/pf.conf"); got != string(r.files[firewall.PFConf].Data) {
		t.Errorf("pf.conf after confirm is not the new ruleset:\n%s", got)
	}
}

// TestApplySavesTablesOwnerOnly: a table file lists abusers' addresses;
// Apply's save must leave it 0600, whatever the umask of the shell it
// runs in, also when an older save left it readable.
func TestApplySavesTablesOwnerOnly(t *testing.T) {
	r := newRig(t)
	table := filepath.Join(r.root, "var/db/pf/bruteforce.txt")
	os.MkdirAll(filepath.Dir(table), 0o755)
	os.WriteFile(table, []byte("   198.51.100.1\n"), 0o644)
	cfg := r.cfg(time.Hour)
	if err := Apply(context.Background(), r.dial(t), r.files, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Confirm(context.Background(), r.dial(t), cfg) })
	st, err := os.Stat(table)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.read(t, "var/db/pf/bruteforce.txt"); got != "   192.0.2.7\n" {
		t.Errorf("bruteforce.txt = %q, want the saved table", got)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("bruteforce.txt has mode %04o after Apply, want 0600", st.Mode().Perm())
	}
}

// TestApplyInstallsDurably: a crash soon after Apply or Confirm must not
// leave /etc/pf.conf (or another role file) empty or cut off: a host
// that boots an empty pf.conf runs without a firewall. Each file's data
// is fsynced before the rename gives it its name, and the directory
// after it. A stand-in perl (the fsync) logs what it syncs with the
// first line of each ruleset at that moment, then runs the real perl.
func TestApplyInstallsDurably(t *testing.T) {
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not installed")
	}
	r := newRig(t)
	log := filepath.Join(r.stubs, "perl.log")
	etc := filepath.Join(r.root, "etc")
	if err := os.WriteFile(filepath.Join(r.stubs, "perl"), []byte(`#!/bin/sh
for a in "$@"; do
	case $a in
	`+r.root+`/*) echo "$a|$(head -n 1 `+etc+`/pf.conf)|$(head -n 1 `+etc+`/pf.conf.fugu-pending 2>/dev/null)" >> `+log+` ;;
	esac
done
exec `+perl+` "$@"
`), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := r.cfg(time.Hour)
	if err := Apply(context.Background(), r.dial(t), r.files, cfg); err != nil {
		t.Fatal(err)
	}
	applied, _ := readFile(log)
	if err := Confirm(context.Background(), r.dial(t), cfg); err != nil {
		t.Fatal(err)
	}
	all, _ := readFile(log)
	confirmed := strings.TrimPrefix(all, applied)
	newFirst, _, _ := strings.Cut(string(r.files[firewall.PFConf].Data), "\n")
	old := "# the ruleset before apply"
	for _, want := range []struct{ log, line, why string }{
		{applied, etc + "/pf.conf.fugu-pending.fugu-new|" + old + "|", "the pending ruleset's data before its rename"},
		{applied, etc + "|" + old + "|" + newFirst, "/etc once the pending ruleset has its name"},
		{applied, r.root + firewall.ReloadScript + ".fugu-new|" + old + "|", "pf-reload's data before its rename"},
		{confirmed, etc + "|" + newFirst + "|", "/etc once Confirm renamed the ruleset to pf.conf"},
	} {
		if !strings.Contains(want.log, want.line+"\n") {
			t.Errorf("no fsync of %s (want the line %q); fsync calls:\n%s", want.why, want.line, want.log)
		}
	}
}

// TestApplyKeepsOperatorFiles: the files the operator maintains (the
// nospamd list, the table files) are created only when missing, never
// replaced by the role's empty ones; a role file that changes keeps a
// dated copy of the old one, and one that does not change gets none.
func TestApplyKeepsOperatorFiles(t *testing.T) {
	r := newRig(t)
	write := func(p, data string) {
		t.Helper()
		full := filepath.Join(r.root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const nospamd = "192.0.2.99\n"
	write(firewall.DefaultNospamdFile, nospamd)
	write(firewall.SetupScript, "#!/bin/sh\n# the setup before apply\n")
	write(firewall.SpamdConf, string(r.files[firewall.SpamdConf].Data))
	cfg := r.cfg(time.Hour)
	if err := Apply(context.Background(), r.dial(t), r.files, cfg); err != nil {
		t.Fatal(err)
	}
	if err := Confirm(context.Background(), r.dial(t), cfg); err != nil {
		t.Fatal(err)
	}
	if got := r.read(t, firewall.DefaultNospamdFile); got != nospamd {
		t.Errorf("%s = %q after apply, want the operator's %q", firewall.DefaultNospamdFile, got, nospamd)
	}
	const stamp = ".fugu-20260102030405"
	if got := r.read(t, firewall.SetupScript+stamp); got != "#!/bin/sh\n# the setup before apply\n" {
		t.Errorf("backup of the changed %s = %q", firewall.SetupScript, got)
	}
	if got := r.read(t, firewall.SetupScript); got != string(r.files[firewall.SetupScript].Data) {
		t.Errorf("%s is not the role's after apply", firewall.SetupScript)
	}
	if _, err := os.Stat(filepath.Join(r.root, firewall.SpamdConf+stamp)); err == nil {
		t.Errorf("the unchanged %s got a backup", firewall.SpamdConf)
	}
}

// TestApplyNeedsAPFConfToFallBackTo: without /etc/pf.conf the rollback
// would have nothing to load: Apply says so before it changes anything,
// and loads nothing.
func TestApplyNeedsAPFConfToFallBackTo(t *testing.T) {
	r := newRig(t)
	if err := os.Remove(filepath.Join(r.root, "etc/pf.conf")); err != nil {
		t.Fatal(err)
	}
	err := Apply(context.Background(), r.dial(t), r.files, r.cfg(time.Hour))
	if err == nil || !strings.Contains(err.Error(), "no /etc/pf.conf to fall back to") {
		t.Fatalf("Apply = %v, want no /etc/pf.conf to fall back to", err)
	}
	if log, _ := readFile(r.pflog); strings.Contains(log, "pfctl -f ") {
		t.Errorf("a ruleset was loaded:\n%s", log)
	}
	for _, p := range []string{firewall.SetupScript, firewall.ReloadScript, firewall.SpamdConf, firewall.DefaultNospamdFile} {
		if _, err := os.Stat(filepath.Join(r.root, p)); err == nil {
			t.Errorf("%s was installed", p)
		}
	}
}
