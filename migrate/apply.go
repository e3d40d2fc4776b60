package migrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"fugu/migrate/remote"
)

// Apply carries out plan on the target host (through doas where root is
// needed) and returns what happened to each item. It goes on after a
// failed item and stops, between items, when ctx is done.
func Apply(ctx context.Context, plan *Plan, target remote.Host, progress Progress) Summary {
	return ApplyTo(ctx, plan, NewHostMachine(target, plan.Root), progress, time.Now())
}

// ApplyTo is Apply on any Machine, with the time that names backups
// (FILE.fugu-YYYYmmddHHMMSS, UTC).
func ApplyTo(ctx context.Context, plan *Plan, m Machine, progress Progress, now time.Time) Summary {
	if progress == nil {
		progress = NoProgress{}
	}
	a := &applier{ctx: ctx, m: m, progress: progress, backup: ".fugu-" + now.UTC().Format("20060102150405")}
	steps := []func(*Plan) bool{a.packages, a.crontabs, a.files}
	for i, step := range steps {
		if !step(plan) {
			a.sum.Interrupted = true
			a.sum.NotStarted += remaining(plan, i+1)
			break
		}
	}
	return a.sum
}

// remaining counts the items of the steps from index from on.
func remaining(p *Plan, from int) int {
	n := 0
	counts := []int{len(p.Packages.Add), len(p.Crontabs), len(p.Files)}
	for _, c := range counts[from:] {
		n += c
	}
	return n
}

type applier struct {
	ctx      context.Context
	m        Machine
	progress Progress
	backup   string
	sum      Summary
}

// item runs one item unless ctx is done; it returns false to stop.
func (a *applier) item(kind, name string, left *int, do func() (Outcome, string)) bool {
	if a.ctx.Err() != nil {
		a.sum.NotStarted += *left
		return false
	}
	*left--
	a.progress.Start(kind, name)
	out, detail := do()
	if a.ctx.Err() != nil && out == Failed {
		detail = "interrupted: " + detail
	}
	r := Result{Kind: kind, Name: name, Outcome: out, Detail: detail}
	a.sum.add(r)
	a.progress.Done(r)
	if a.ctx.Err() != nil {
		a.sum.NotStarted += *left
		return false
	}
	return true
}

func (a *applier) packages(p *Plan) bool {
	left := len(p.Packages.Add)
	a.progress.Begin("package", left)
	if left == 0 {
		return true
	}
	current, err := a.m.Packages(a.ctx)
	if err != nil && a.ctx.Err() != nil {
		a.sum.NotStarted += left
		return false
	}
	for _, n := range p.Packages.Add {
		ok := a.item("package", n.String(), &left, func() (Outcome, string) {
			if installed(current, n) {
				return Skipped, "already installed"
			}
			if err := a.m.AddPackage(a.ctx, n); err != nil {
				return Failed, err.Error()
			}
			// pkg_add's exit status does not prove the install; the
			// target's own list does.
			after, err := a.m.Packages(a.ctx)
			if err != nil {
				return Failed, "pkg_add ran, but pkg_info failed: " + err.Error()
			}
			current = after
			if !installed(after, n) {
				return Failed, "pkg_add ran, but pkg_info -mz does not list it"
			}
			return Done, ""
		})
		if !ok {
			return false
		}
	}
	return true
}

func (a *applier) crontabs(p *Plan) bool {
	left := len(p.Crontabs)
	a.progress.Begin("crontab", left)
	for _, c := range p.Crontabs {
		ok := a.item("crontab", c.User, &left, func() (Outcome, string) {
			if c.Action == Unchanged {
				return Skipped, "unchanged"
			}
			have, err := a.m.ReadCrontab(a.ctx, c.User)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return Failed, err.Error()
			}
			if err == nil && bytes.Equal(have, c.Data) {
				return Skipped, "already in place"
			}
			if msg := changedSince(err == nil, have, c.TargetSum); msg != "" {
				return Failed, msg
			}
			kept := ""
			if err == nil {
				// crontab(1) keeps no copy: the one replaced is kept beside
				// cron's spool, where cron does not read it.
				kept = crontabBackupDir + "/" + c.User + ".crontab" + a.backup
				if err := a.m.InstallFile(a.ctx, kept, have, FileMode{Owner: "root", Group: "wheel", Perm: 0o600}, ""); err != nil {
					return Failed, "keep the old crontab: " + err.Error()
				}
			}
			if err := a.m.InstallCrontab(a.ctx, c.User, c.Data); err != nil {
				return Failed, err.Error()
			}
			if kept != "" {
				return Done, fmt.Sprintf("%s (old crontab kept as %s)", c.Action, kept)
			}
			return Done, string(c.Action)
		})
		if !ok {
			return false
		}
	}
	return true
}

// crontabBackupDir holds the crontabs apply replaced: /var/cron, not its
// tabs/ directory, where cron would take a file for a user's crontab.
const crontabBackupDir = "/var/cron"

func (a *applier) files(p *Plan) bool {
	left := len(p.Files)
	a.progress.Begin("file", left)
	for _, f := range p.Files {
		ok := a.item("file", f.Path, &left, func() (Outcome, string) {
			if f.Action == Unchanged {
				return Skipped, "unchanged"
			}
			have, err := a.m.ReadFile(a.ctx, f.Path)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return Failed, err.Error()
			}
			exists := err == nil
			if exists && bytes.Equal(have, f.Data) {
				return Skipped, "already in place"
			}
			if msg := changedSince(exists, have, f.TargetSum); msg != "" {
				return Failed, msg
			}
			if f.CheckDoas {
				if err := a.m.CheckDoasConf(a.ctx, f.Data); err != nil {
					return Failed, err.Error()
				}
			}
			backup := ""
			if exists {
				backup = a.backup
			}
			if err := a.m.InstallFile(a.ctx, f.Path, f.Data, f.Mode, backup); err != nil {
				return Failed, err.Error()
			}
			detail := string(f.Action)
			if backup != "" {
				detail = fmt.Sprintf("%s (old file kept as %s%s)", f.Action, f.Path, backup)
			}
			got, err := a.m.ReadFile(a.ctx, f.Path)
			switch {
			case err != nil && f.CheckDoas:
				// doas.conf is root's alone: reading it back goes through
				// doas -n, which now follows the rules just installed and
				// may ask for a password. The install itself succeeded.
				return Done, fmt.Sprintf("%s; not read back, as the new rules decide who may: %v", detail, err)
			case err != nil:
				return Failed, fmt.Sprintf("installed, but it could not be read back: %v", err)
			case !bytes.Equal(got, f.Data):
				return Failed, "installed, but reading it back gives other content"
			}
			return Done, detail
		})
		if !ok {
			return false
		}
	}
	return true
}

// changedSince says why a target file that is neither the planned content
// nor what the plan saw must not be overwritten, or "".
func changedSince(exists bool, have []byte, planned string) string {
	switch {
	case !exists && planned == "":
		return ""
	case !exists:
		return "removed on the target since the plan was made; run the plan again"
	case planned == "":
		return "created on the target since the plan was made; run the plan again"
	case sum(have) != planned:
		return "changed on the target since the plan was made; run the plan again"
	}
	return ""
}
