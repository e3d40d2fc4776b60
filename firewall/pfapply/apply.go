package pfapply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"time"

	"fugu/firewall"
	"fugu/migrate/remote"
)

// Files on the host that carry the state of a load awaiting confirmation.
const (
	StateDir      = "/var/db/fugu"
	PendingMarker = firewall.ApplyPending  // holds the backup's path
	TimerPID      = firewall.ApplyTimerPID // the rollback job's pid
	// PendingRuleset is the loaded, unconfirmed ruleset. /etc/pf.conf
	// keeps the previous one until Confirm renames this over it, so a
	// host that reboots before confirming (the admin locked out, someone
	// at the console power-cycles it) boots with the ruleset that let
	// the admin in.
	PendingRuleset = "/etc/pf.conf.fugu-pending"
	DefaultTimer   = 120 * time.Second
)

// ErrRejected is returned (wrapped, with pfctl's message) when pfctl -nf
// refuses the new ruleset; nothing was installed.
var ErrRejected = errors.New("pfapply: the host's pfctl rejected the ruleset")

// ErrPending is returned when an earlier load is still unconfirmed.
var ErrPending = errors.New("pfapply: an earlier load awaits confirmation")

// ErrNothingPending is returned by Confirm when no load awaits it.
var ErrNothingPending = errors.New("pfapply: no load awaits confirmation")

// ErrPendingGone is returned by Confirm when a load was pending but its
// rollback job is gone: the host rebooted (and booted /etc/pf.conf, the
// previous ruleset) or the job was killed. Nothing is confirmed.
var ErrPendingGone = errors.New("pfapply: the unconfirmed load did not survive (a reboot, or its rollback job was killed); /etc/pf.conf still holds the previous ruleset")

// Config says how Apply works on the host.
type Config struct {
	// Timer is how long a load waits for Confirm before the previous
	// ruleset comes back. Default DefaultTimer.
	Timer time.Duration
	// Root prefixes every path on the host. It exists for tests only,
	// which cannot write /etc; production leaves it empty.
	Root string
	// RunSetup runs the role's setup script (rcctl, crontab, syslog)
	// after a successful load, with "restart".
	RunSetup bool
	// DryRun prints the plan to Log and changes nothing.
	DryRun bool
	// Now stamps backups; default time.Now.
	Now func() time.Time
	// Log receives one line per step. Nil discards.
	Log io.Writer
}

func (c *Config) p(hostPath string) string { return c.Root + hostPath }

func (c *Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

// engine is one Apply run.
type engine struct {
	ctx   context.Context
	h     remote.Host
	cfg   *Config
	stage string
}

// run runs line as root; in a dry run it only prints it.
func (e *engine) run(what, line string) (remote.Result, error) {
	if e.cfg.DryRun {
		e.cfg.logf("# %s\n%s", what, line)
		return remote.Result{}, nil
	}
	e.cfg.logf("%s", what)
	res, err := e.h.Run(e.ctx, remote.Command{Line: line, AsRoot: true})
	if err != nil {
		return res, fmt.Errorf("%s: %w", what, err)
	}
	return res, nil
}

// must runs line and fails on a non-zero exit with the command's stderr.
func (e *engine) must(what, line string) error {
	res, err := e.run(what, line)
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("%s: exit %d: %s", what, res.ExitCode, strings.TrimSpace(string(res.Stderr)))
	}
	return nil
}

// Apply installs files on h and loads the new pf.conf with a rollback
// timer; see the package documentation for the steps.
func Apply(ctx context.Context, h remote.Host, files firewall.Files, cfg Config) error {
	if _, ok := files[firewall.PFConf]; !ok {
		return fmt.Errorf("pfapply: the files have no %s", firewall.PFConf)
	}
	if indexOf(files, firewall.ReloadScript) < 0 && saveTables(files, &cfg, "") != "" {
		return fmt.Errorf("pfapply: the files have file-backed tables but no %s to save them", firewall.ReloadScript)
	}
	if cfg.Timer <= 0 {
		cfg.Timer = DefaultTimer
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	e := &engine{ctx: ctx, h: h, cfg: &cfg}
	stamp := cfg.Now().UTC().Format("20060102150405")
	q := remote.Quote

	if cfg.DryRun {
		cfg.logf("# dry run: the commands a real run would run on the host as root; nothing is changed")
	} else {
		// A marker whose rollback job is gone is left from before a
		// reboot: the host booted /etc/pf.conf, so it is dropped. The
		// rollback loads /etc/pf.conf: without one (exit 3) there is
		// nothing to fall back to, and nothing is changed.
		pf := q(cfg.p(firewall.PFConf))
		line := fmt.Sprintf("test -e %s || { test -e %s || exit 3; exit 1; }; if %s; then exit 0; fi; rm -f %s %s %s; test -e %s || exit 3; exit 2",
			q(cfg.p(PendingMarker)), pf, jobAlive(&cfg), q(cfg.p(PendingMarker)), q(cfg.p(TimerPID)), q(cfg.p(PendingRuleset)), pf)
		res, err := h.Run(ctx, remote.Command{Line: line, AsRoot: true})
		if err != nil {
			return fmt.Errorf("look for a pending load: %w", err)
		}
		switch res.ExitCode {
		case 0:
			return fmt.Errorf("%w: confirm it, or wait for its rollback", ErrPending)
		case 2:
			cfg.logf("dropped an unconfirmed load whose rollback job is gone (a reboot): the host runs %s", firewall.PFConf)
		case 3:
			return fmt.Errorf("pfapply: the host has no %s to fall back to if the new ruleset locks you out (nothing changed; install one, such as /etc/examples/pf.conf)", firewall.PFConf)
		}
	}
	defer e.cleanup() // the staging directory, also after a failed upload
	if err := e.upload(files); err != nil {
		return err
	}

	// 1. Create missing operator files and table files: pfctl -n fails
	// on a missing table file. 2. Save the kernel's tables to their files,
	// because any load replaces each table with its file.
	var prep []string
	for i, p := range files.Paths() {
		f := files[p]
		if f.IfAbsent {
			dst := q(cfg.p(p))
			prep = append(prep, fmt.Sprintf("[ -e %s ] || { mkdir -p %s && cp %s %s && chmod %04o %s; }",
				dst, q(path.Dir(cfg.p(p))), e.staged(i), dst, f.Mode, dst))
		}
	}
	if save := saveTables(files, &cfg, e.staged(indexOf(files, firewall.ReloadScript))); save != "" {
		prep = append(prep, save)
	}
	if err := e.must("create missing table files and save the current tables", "set -e\n"+strings.Join(prep, "\n")); err != nil {
		return err
	}

	// 3. Check the new ruleset on the host itself.
	pfIndex := indexOf(files, firewall.PFConf)
	res, err := e.run("check the new ruleset with pfctl -nf", "pfctl -nf "+e.staged(pfIndex))
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		msg := strings.TrimSpace(string(res.Stderr) + string(res.Stdout))
		// pfctl names the staged copy, which is removed on return: name
		// the file its line numbers belong to.
		msg = strings.ReplaceAll(msg, fmt.Sprintf("%s/%d:", e.stage, pfIndex), "new "+firewall.PFConf+":")
		return fmt.Errorf("%w (nothing installed):\n%s", ErrRejected, msg)
	}

	// 4. Install the other files, each with a dated backup when it changes.
	var inst []string
	for i, p := range files.Paths() {
		f := files[p]
		if f.IfAbsent || p == firewall.PFConf {
			continue
		}
		inst = append(inst, installLine(e.staged(i), cfg.p(p), f.Mode, stamp))
	}
	if err := e.must("install the role's files", "set -e\n"+strings.Join(inst, "\n")); err != nil {
		return err
	}

	// 5. Back up pf.conf, arm the rollback timer, load the new ruleset
	// from PendingRuleset; /etc/pf.conf changes only on Confirm.
	pf, backup := cfg.p(firewall.PFConf), cfg.p(firewall.PFConf)+".fugu-"+stamp
	marker, pidFile, pending := cfg.p(PendingMarker), cfg.p(TimerPID), cfg.p(PendingRuleset)
	// Every load, the rollback's included, first saves the tables: a load
	// replaces each file-backed table with its file. By now the new
	// pf-reload is installed, and the rollback job outlives the staging
	// directory.
	saveTables := saveTables(files, &cfg, q(cfg.p(firewall.ReloadScript)))
	if saveTables == "" {
		saveTables = "true"
	}
	rollback := fmt.Sprintf("if [ -e %s ]; then %s; pfctl -f %s; rm -f %s %s %s; fi",
		q(marker), saveTables, q(pf), q(marker), q(pidFile), q(pending))
	arm := strings.Join([]string{
		"set -e",
		fmt.Sprintf("[ -e %s ] || { echo 'no %s to fall back to' >&2; exit 1; }", q(pf), firewall.PFConf),
		"cp -p " + q(pf) + " " + q(backup),
		"mkdir -p " + q(path.Dir(marker)),
		"echo " + q(backup) + " > " + q(marker),
		fmt.Sprintf("nohup /bin/sh -c %s </dev/null >/dev/null 2>&1 &", q(fmt.Sprintf("sleep %d; %s", int(cfg.Timer.Seconds()), rollback))),
		"echo $! > " + q(pidFile),
	}, "\n")
	if err := e.must("back up "+firewall.PFConf+" and arm the rollback timer", arm); err != nil {
		return err
	}
	install := installLine(e.staged(pfIndex), pending, files[firewall.PFConf].Mode, "")
	res, err = e.run("save the tables, load the new ruleset from "+PendingRuleset, saveTables+"; "+install+" && pfctl -f "+q(pending))
	if err == nil && res.ExitCode != 0 {
		err = fmt.Errorf("pfctl -f: exit %d: %s", res.ExitCode, strings.TrimSpace(string(res.Stderr)))
	}
	if err != nil {
		_, rbErr := e.run("roll back at once", "kill $(cat "+q(pidFile)+") 2>/dev/null; "+rollback)
		return errors.Join(fmt.Errorf("load failed, previous ruleset restored: %w", err), rbErr)
	}
	if cfg.RunSetup {
		if err := e.must("run the role's setup (rcctl, crontab, syslog)", q(cfg.p(firewall.SetupScript))+" restart"); err != nil {
			return err
		}
	}
	if cfg.DryRun {
		// Nothing ran: say what a real run would leave, never that it
		// happened.
		cfg.logf("# dry run: nothing was uploaded, installed or loaded; a real run would load this ruleset and restore the previous one (%s, kept as %s) unless confirmed within %s", firewall.PFConf, backup, cfg.Timer)
		return nil
	}
	cfg.logf("loaded; confirm within %s, or the previous ruleset (%s) comes back; it stays what the host boots until then", cfg.Timer, firewall.PFConf)
	return nil
}

// jobAlive is a shell test that holds while the rollback job recorded in
// TimerPID still runs. It checks the process's command line, not only
// the pid: after a reboot the job is gone and its pid may be any other
// process's.
func jobAlive(cfg *Config) string {
	return firewall.ApplyJobAlive(remote.Quote(cfg.p(TimerPID)), remote.Quote(cfg.p(PendingMarker)))
}

// fsync is the command that has the files or directories words (shell
// words, already quoted) on disk; see firewall.FsyncArgs.
func fsync(words ...string) string {
	return "perl " + firewall.FsyncArgs + " " + strings.Join(words, " ")
}

// installLine copies src to dst through a temporary name, synced to
// disk, and a rename, synced too, keeping a dated copy of a different
// existing dst when stamp is set.
func installLine(src, dst string, mode fs.FileMode, stamp string) string {
	q := remote.Quote
	tmp := dst + ".fugu-new"
	parts := []string{
		"mkdir -p " + q(path.Dir(dst)),
		"cp " + src + " " + q(tmp),
		fmt.Sprintf("chmod %04o %s", mode, q(tmp)),
	}
	if stamp != "" {
		parts = append(parts, fmt.Sprintf("{ if [ -e %s ] && ! cmp -s %s %s; then cp -p %s %s; fi; }",
			q(dst), q(tmp), q(dst), q(dst), q(dst+".fugu-"+stamp)))
	}
	// A crash soon after must find the old file or the new one under
	// dst, never an empty one: a host that boots an empty pf.conf runs
	// without a firewall.
	parts = append(parts, fsync(q(tmp)), "mv "+q(tmp)+" "+q(dst), fsync(q(path.Dir(dst))))
	return strings.Join(parts, " && ")
}

// upload writes every file into a fresh staging directory on the host,
// as the login user.
func (e *engine) upload(files firewall.Files) error {
	if e.cfg.DryRun {
		e.stage = "STAGE"
		e.cfg.logf("# upload %d files to a new temporary directory STAGE", len(files))
		return nil
	}
	res, err := e.h.Run(e.ctx, remote.Command{Line: "mktemp -d /tmp/fugu-firewall.XXXXXXXXXX"})
	switch {
	case err != nil:
		return fmt.Errorf("make a staging directory: %w", err)
	case res.ExitCode != 0:
		return fmt.Errorf("make a staging directory: mktemp -d: exit %d: %s", res.ExitCode, bytes.TrimSpace(res.Stderr))
	}
	stage := strings.TrimSpace(string(res.Stdout))
	// Everything after is written into it, and it is removed with rm -rf:
	// it must be what mktemp made, not a line a login shell printed.
	if !stageRE.MatchString(stage) {
		return fmt.Errorf("make a staging directory: mktemp -d printed %q, not a /tmp/fugu-firewall.* directory", stage)
	}
	e.stage = stage
	e.cfg.logf("upload %d files to %s", len(files), e.stage)
	for i, p := range files.Paths() {
		if err := e.h.WriteFile(e.ctx, e.stage+"/"+fmt.Sprint(i), files[p].Data, 0o600); err != nil {
			return fmt.Errorf("upload %s: %w", p, err)
		}
	}
	return nil
}

var stageRE = regexp.MustCompile(`^/tmp/fugu-firewall\.[A-Za-z0-9]+$`)

func (e *engine) staged(i int) string { return remote.Quote(fmt.Sprintf("%s/%d", e.stage, i)) }

func (e *engine) cleanup() {
	if e.cfg.DryRun || e.stage == "" {
		return
	}
	_, _ = e.h.Run(context.WithoutCancel(e.ctx), remote.Command{Line: "rm -rf " + remote.Quote(e.stage)})
}

// saveTables is the command that saves each file-backed table of files
// to its file with reload, the role's pf-reload (a shell word): its
// "save" writes a temporary file and renames it, keeps a file whose
// table the kernel does not have yet, and fails, keeping the old file,
// when the table could not be written. Empty when there is no table.
func saveTables(files firewall.Files, cfg *Config, reload string) string {
	q := remote.Quote
	var args []string
	for _, p := range files.Paths() {
		if t := files[p].Table; t != "" {
			args = append(args, q(t), q(cfg.p(p)))
		}
	}
	if len(args) == 0 {
		return ""
	}
	return "/bin/sh " + reload + " save " + strings.Join(args, " ")
}

func indexOf(files firewall.Files, p string) int {
	for i, q := range files.Paths() {
		if q == p {
			return i
		}
	}
	return -1
}

// Confirm keeps the ruleset of the last Apply: it stops the rollback
// job, renames PendingRuleset over /etc/pf.conf and removes the marker.
// Run it over a new connection, which proves the new ruleset still lets
// the admin in. When the job is gone (a reboot), the running ruleset is
// /etc/pf.conf's, not the pending one: nothing is confirmed, the pending
// state is dropped, and ErrPendingGone says so.
func Confirm(ctx context.Context, h remote.Host, cfg Config) error {
	q := remote.Quote
	marker, pidFile, pending := cfg.p(PendingMarker), cfg.p(TimerPID), cfg.p(PendingRuleset)
	line := fmt.Sprintf("test -e %s || exit 3; if %s; then kill \"$pid\"; else rm -f %s %s %s; exit 4; fi; "+
		"mv %s %s || exit 5; rm -f %s %s; %s || exit 6",
		q(marker), jobAlive(&cfg), q(marker), q(pidFile), q(pending),
		q(pending), q(cfg.p(firewall.PFConf)), q(marker), q(pidFile), fsync(q(path.Dir(cfg.p(firewall.PFConf)))))
	if cfg.DryRun {
		cfg.logf("# confirm\n%s", line)
		return nil
	}
	res, err := h.Run(ctx, remote.Command{Line: line, AsRoot: true})
	if err != nil {
		return fmt.Errorf("confirm: %w", err)
	}
	switch res.ExitCode {
	case 0:
		cfg.logf("confirmed: the rollback timer is stopped and the ruleset is now %s", firewall.PFConf)
		return nil
	case 3:
		return ErrNothingPending
	case 4:
		return ErrPendingGone
	case 5:
		return fmt.Errorf("confirm: the new ruleset is loaded and its rollback stopped, but %s could not be renamed to %s (the host boots the previous ruleset): %s",
			PendingRuleset, firewall.PFConf, strings.TrimSpace(string(res.Stderr)))
	case 6:
		return fmt.Errorf("confirm: the new ruleset is %s, but %s could not be synced to disk (a crash now could lose the rename): %s",
			firewall.PFConf, path.Dir(firewall.PFConf), strings.TrimSpace(string(res.Stderr)))
	default:
		return fmt.Errorf("confirm: exit %d: %s", res.ExitCode, strings.TrimSpace(string(res.Stderr)))
	}
}
