package migrate_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fugu/migrate"
	"fugu/migrate/migratetest"
	"fugu/packages"
)

var stamp = time.Date(2026, 11, 27, 14, 30, 0, 0, time.UTC)

type recorder struct {
	events []string
	onDone func(migrate.Result)
}

func (r *recorder) Begin(kind string, total int) {}
func (r *recorder) Start(kind, name string)      { r.events = append(r.events, "start "+kind+" "+name) }
func (r *recorder) Done(res migrate.Result) {
	r.events = append(r.events, string(res.Outcome)+" "+res.Kind+" "+res.Name)
	if r.onDone != nil {
		r.onDone(res)
	}
}

func TestApplyThenNothingLeft(t *testing.T) {
	old, cur := oldMachine(), newMachine()
	p := makePlan(t, old, cur, true)
	sum := migrate.ApplyTo(context.Background(), p, cur, nil, stamp)
	if sum.Failed != 0 || sum.Interrupted {
		t.Fatalf("first apply: %+v", sum)
	}
	// assert that: every planned change is on the target, with owner,
	// mode and a backup of each replaced file.
	for _, f := range p.Files {
		got, ok := cur.File(f.Path)
		if !ok || got != string(f.Data) {
			t.Errorf("%s = %q, want %q", f.Path, got, f.Data)
		}
		if f.Action == migrate.Replace {
			if _, ok := cur.File(f.Path + ".fugu-20261127143000"); !ok {
				t.Errorf("no backup of %s", f.Path)
			}
		}
	}
	if m := cur.FileMode("/etc/doas.conf"); m.String() != "root:wheel 0600" {
		t.Errorf("doas.conf installed as %s", m)
	}
	if m := cur.FileMode("/etc/hostname.iwm0"); m.String() != "root:wheel 0640" {
		t.Errorf("hostname.iwm0 installed as %s", m)
	}
	// Installed as it was, secrets and all: only printed plans are redacted.
	if got := cur.Crontab("alice"); got != "PGPASSWORD=cronsecret77\n0 * * * * /home/alice/bin/sync\n30 3 * * * mysqldump -ualice -pcronsecret88 mail > /home/alice/mail.sql\n" {
		t.Errorf("alice's crontab = %q", got)
	}
	log := cur.LogString()
	if !strings.HasSuffix(log, "install /etc/doas.conf root:wheel 0600") {
		t.Errorf("doas.conf is not installed last:\n%s", log)
	}
	if !strings.HasPrefix(log, "pkg_add certbot--\npkg_add vim--no_x11\npkg_add python--%3.13\n") {
		t.Errorf("packages are not installed first, in plan order:\n%s", log)
	}

	// assert that: a new plan is empty and a second apply changes nothing.
	p2 := makePlan(t, old, cur, true)
	if !p2.Empty() {
		var b strings.Builder
		p2.WriteText(&b)
		t.Errorf("plan after apply is not empty:\n%s", b.String())
	}
	before := cur.LogString()
	sum = migrate.ApplyTo(context.Background(), p, cur, nil, stamp.Add(time.Hour))
	if sum.Done != 0 || sum.Failed != 0 || cur.LogString() != before {
		t.Errorf("second apply of the same plan: %+v\nnew log:\n%s", sum, strings.TrimPrefix(cur.LogString(), before))
	}
}

func TestApplyInterruptedResumes(t *testing.T) {
	old, cur := oldMachine(), newMachine()
	p := makePlan(t, old, cur, true)
	ctx, cancel := context.WithCancel(context.Background())
	// Interrupt while the second package is being installed, as a
	// SIGINT would.
	cur.OnAddPackage = func(n packages.Name) {
		if n.Stem == "vim" {
			cancel()
		}
	}
	sum := migrate.ApplyTo(ctx, p, cur, nil, stamp)
	if !sum.Interrupted || sum.Done != 1 || sum.NotStarted == 0 {
		t.Fatalf("interrupted apply: %+v", sum)
	}
	if _, ok := cur.File("/etc/doas.conf.fugu-20261127143000"); ok {
		t.Fatal("files were touched after the interruption")
	}
	cur.OnAddPackage = nil

	// The operator runs apply again: a fresh plan, and only the rest is done.
	p2 := makePlan(t, old, cur, true)
	rec := &recorder{}
	sum = migrate.ApplyTo(context.Background(), p2, cur, rec, stamp)
	if sum.Failed != 0 || sum.Interrupted {
		t.Fatalf("resumed apply: %+v", sum)
	}
	if strings.Contains(strings.Join(rec.events, "\n"), "certbot") {
		t.Errorf("the resumed run touched the package installed before the interruption:\n%s", strings.Join(rec.events, "\n"))
	}
	if !makePlan(t, old, cur, true).Empty() {
		t.Error("plan after the resumed apply is not empty")
	}
}

func TestApplyGoesOnAfterFailures(t *testing.T) {
	old, cur := oldMachine(), newMachine()
	p := makePlan(t, old, cur, true)
	cur.Unavailable = []string{"certbot"}
	sum := migrate.ApplyTo(context.Background(), p, cur, nil, stamp)
	if sum.Failed != 1 || sum.Results[0].Outcome != migrate.Failed || !strings.Contains(sum.Results[0].Detail, "Can't find") {
		t.Fatalf("summary: %+v", sum)
	}
	if _, ok := cur.File("/etc/doas.conf"); !ok || sum.Done < 5 {
		t.Errorf("the run stopped after a failed package: %+v", sum)
	}
}

func TestApplyRefusesFilesChangedSincePlan(t *testing.T) {
	old, cur := oldMachine(), newMachine()
	p := makePlan(t, old, cur, false)
	// Someone edits doas.conf on the target between plan and apply.
	if err := cur.InstallFile(context.Background(), "/etc/doas.conf", []byte("permit nopass :wheel\n"), migrate.FileMode{Owner: "root", Group: "wheel", Perm: 0o600}, ""); err != nil {
		t.Fatal(err)
	}
	sum := migrate.ApplyTo(context.Background(), p, cur, nil, stamp)
	last := sum.Results[len(sum.Results)-1]
	if last.Name != "/etc/doas.conf" || last.Outcome != migrate.Failed || !strings.Contains(last.Detail, "changed on the target since the plan") {
		t.Errorf("doas.conf result = %+v", last)
	}
	if got, _ := cur.File("/etc/doas.conf"); got != "permit nopass :wheel\n" {
		t.Errorf("doas.conf was overwritten: %q", got)
	}
}

func TestApplyBrokenTarget(t *testing.T) {
	p := makePlan(t, oldMachine(), newMachine(), false)
	sum := migrate.ApplyTo(context.Background(), p, migratetest.Broken("new", migratetest.ErrBroken), nil, stamp)
	if sum.Done != 0 || sum.Failed == 0 || sum.Interrupted {
		t.Errorf("apply on a broken machine: %+v", sum)
	}
	for _, r := range sum.Results {
		if r.Outcome == migrate.Failed && !strings.Contains(r.Detail, "broken machine") {
			t.Errorf("%s failed with %q, want the machine's error", r.Name, r.Detail)
		}
	}
}

func TestCollectBroken(t *testing.T) {
	inv, err := migrate.Collect(context.Background(), migratetest.Broken("x", migratetest.ErrBroken), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Problems) == 0 {
		t.Error("no problems recorded for a broken machine")
	}
}

// TestApplyKeepsReplacedCrontab: crontab(1) keeps no copy of the tab it
// replaces, so apply keeps it under /var/cron (outside tabs/, where cron
// would read it) as files keep theirs.
func TestApplyKeepsReplacedCrontab(t *testing.T) {
	old, cur := oldMachine(), newMachine()
	cur.SetCrontab("alice", "0 4 * * * /home/alice/bin/old-backup\n")
	p := makePlan(t, old, cur, true)
	sum := migrate.ApplyTo(context.Background(), p, cur, nil, stamp)
	if sum.Failed != 0 {
		t.Fatalf("apply: %+v", sum)
	}
	const kept = "/var/cron/alice.crontab.fugu-20261127143000"
	if got, ok := cur.File(kept); !ok || got != "0 4 * * * /home/alice/bin/old-backup\n" {
		t.Errorf("%s = %q (%v), want the replaced crontab", kept, got, ok)
	}
	if m := cur.FileMode(kept); m.String() != "root:wheel 0600" {
		t.Errorf("%s installed as %s", kept, m)
	}
	if !strings.Contains(cur.Crontab("alice"), "cronsecret77") {
		t.Errorf("alice's crontab was not replaced: %q", cur.Crontab("alice"))
	}
}

// doasLockedMachine reads /etc/doas.conf as root through doas -n, as a
// HostMachine does (the file is 0600 root): once a doas.conf without a
// nopass rule is installed, doas refuses that read.
type doasLockedMachine struct{ *migratetest.Machine }

func (m doasLockedMachine) ReadFile(ctx context.Context, p string) ([]byte, error) {
	if got, _ := m.File(p); p == "/etc/doas.conf" && !strings.Contains(got, "nopass :wheel") {
		return nil, errors.New("read /etc/doas.conf as root: cat: exit 1: doas: Authentication required")
	}
	return m.Machine.ReadFile(ctx, p)
}

// TestApplyDoasConfThatEndsDoasNopass: the old machine's doas.conf asks
// for a password (permit persist :wheel), so once it is in place the
// read-back through doas -n fails. The file was installed: apply says so
// instead of reporting a failure and "other content".
func TestApplyDoasConfThatEndsDoasNopass(t *testing.T) {
	old, cur := oldMachine(), newMachine()
	cur.SetFile("/etc/doas.conf", "permit nopass :wheel\n")
	p := makePlan(t, old, doasLockedMachine{cur}, true)
	sum := migrate.ApplyTo(context.Background(), p, doasLockedMachine{cur}, nil, stamp)
	last := sum.Results[len(sum.Results)-1]
	if last.Name != "/etc/doas.conf" || last.Outcome != migrate.Done || strings.Contains(last.Detail, "other content") || !strings.Contains(last.Detail, "Authentication required") {
		t.Errorf("doas.conf result = %+v, want done, saying why it was not read back", last)
	}
	if got, _ := cur.File("/etc/doas.conf"); got != oldDoas {
		t.Errorf("doas.conf = %q, want the old machine's", got)
	}
}

// etcUnlistable is a machine whose /etc cannot be listed.
type etcUnlistable struct{ *migratetest.Machine }

func (m etcUnlistable) ListDir(ctx context.Context, dir string) ([]string, error) {
	if dir == "/etc" {
		return nil, errors.New("list /etc: ls: exit 1: ls: /etc: Input/output error")
	}
	return m.Machine.ListDir(ctx, dir)
}

// TestCollectReportsUnlistedEtc: the hostname.* files are found by
// listing /etc; when that fails the inventory says so, instead of
// looking like a machine without interface files.
func TestCollectReportsUnlistedEtc(t *testing.T) {
	inv, err := migrate.Collect(context.Background(), etcUnlistable{oldMachine()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(inv.Problems, "\n"), "list /etc") {
		t.Errorf("problems = %q, want the failed listing of /etc", inv.Problems)
	}
}
