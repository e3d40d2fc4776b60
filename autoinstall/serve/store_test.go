package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTrailFolds(t *testing.T) {
	var m MachineState
	t0 := time.Unix(0, 0)
	for i := range 1000 {
		m.add(Event{Step: StepAnswers, IP: "192.0.2.1", Time: t0.Add(time.Duration(i))})
	}
	m.add(Event{Step: StepTemplate, IP: "192.0.2.1", Time: t0})
	// assert that: repeats fold into one event with a count
	if len(m.Trail) != 2 || m.Trail[0].Count != 1000 {
		t.Fatalf("trail after 1000 repeats = %+v, want 2 events, the first ×1000", m.Trail)
	}
	for i := range 2 * maxTrail {
		m.add(Event{Step: StepSets, File: fmt.Sprint(i)})
	}
	if len(m.Trail) != maxTrail || m.Trail[maxTrail-1].File != fmt.Sprint(2*maxTrail-1) {
		t.Errorf("trail length %d, want at most %d with the newest last", len(m.Trail), maxTrail)
	}
}

func TestCallbackTokens(t *testing.T) {
	s, err := OpenStore(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tk := s.Lookup("web1")
	if !tk.Armed || len(tk.InstallToken) != 32 || tk.InstallToken == tk.FirstBootToken {
		t.Fatalf("new machine ticket = %+v", tk)
	}
	if _, err := s.Callback(StepFirstBoot, tk.InstallToken, "ip"); err != ErrUnknownToken {
		t.Errorf("install token used for first boot: %v, want ErrUnknownToken", err)
	}
	if name, err := s.Callback(StepInstallSite, tk.InstallToken, "ip"); err != nil || name != "web1" {
		t.Fatalf("Callback = %q, %v", name, err)
	}
	if _, err := s.Callback(StepInstallSite, tk.InstallToken, "ip"); err != ErrUnknownToken {
		t.Errorf("token used twice: %v, want ErrUnknownToken", err)
	}
	if s.Lookup("web1").Armed {
		t.Fatal("installed machine still armed")
	}
	if err := s.Rearm("web1", "test"); err != nil {
		t.Fatal(err)
	}
	tk2 := s.Lookup("web1")
	if !tk2.Armed || tk2.Generation != 1 || tk2.InstallToken == tk.InstallToken {
		t.Errorf("re-armed ticket = %+v, want armed, generation 1, a new token", tk2)
	}
	if err := s.Rearm("web1", "test"); err == nil {
		t.Errorf("re-arming an armed machine succeeded")
	}
}

func TestFirstBootWithoutInstallSite(t *testing.T) {
	s, _ := OpenStore("", nil)
	tk := s.Lookup("web1")
	if _, err := s.Callback(StepFirstBoot, tk.FirstBootToken, "ip"); err != nil {
		t.Fatal(err)
	}
	if s.Lookup("web1").Armed {
		t.Error("a first boot did not count as installed")
	}
	if _, err := s.Callback(StepInstallSite, tk.InstallToken, "ip"); err != ErrUnknownToken {
		t.Errorf("install token still valid after first boot: %v", err)
	}
}

func TestStaleRearmRequestIgnored(t *testing.T) {
	dir := t.TempDir()
	s, _ := OpenStore(dir, nil)
	tk := s.Lookup("web1")
	s.Callback(StepInstallSite, tk.InstallToken, "ip")
	// A request older than the install (left over from the last round).
	os.WriteFile(filepath.Join(dir, "rearm", "web1"), []byte(time.Now().Add(-time.Hour).Format(time.RFC3339Nano)), 0o600)
	if s.Lookup("web1").Armed {
		t.Error("a re-arm request older than the install re-armed the machine")
	}
	if _, err := os.Stat(filepath.Join(dir, "rearm", "web1")); !os.IsNotExist(err) {
		t.Error("stale re-arm request not removed")
	}
	if err := RequestRearm(dir, "nosuch", time.Now()); err == nil {
		t.Error("RequestRearm of an unknown machine succeeded")
	}
	if err := RequestRearm(dir, "../x", time.Now()); err == nil {
		t.Error("RequestRearm accepted a path")
	}
}

func TestStoreConcurrent(t *testing.T) {
	dir := t.TempDir()
	s, _ := OpenStore(dir, nil)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				name := fmt.Sprintf("m%d", i%4)
				s.Record(name, StepAnswers, "install.conf", fmt.Sprint(g))
				s.SeeUnknown(fmt.Sprintf("00:00:00:00:%02x:%02x", g, i%300), "", "ip")
				if i%50 == 0 {
					s.Flush()
				}
			}
		})
	}
	wg.Wait()
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	re, err := OpenStore(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(re.Machines()); n != 4 {
		t.Errorf("reopened %d machines, want 4", n)
	}
	if n := len(re.Pending()); n != maxPending {
		t.Errorf("reopened %d pending MACs, want the cap %d", n, maxPending)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "machines", ".*tmp*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestWriteFileAtomicKeepsOldOnFailure(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.json")
	os.WriteFile(p, []byte("old"), 0o600)
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f.json"), []byte("x"), 0o600); err == nil {
		t.Error("write into a missing directory succeeded")
	}
	if err := WriteFileAtomic(p, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "new" || fi.Mode().Perm() != 0o600 {
		t.Errorf("file = %q mode %v, want new 0600", b, fi.Mode().Perm())
	}
}

func TestRearmRequestShownAtOnce(t *testing.T) {
	dir := t.TempDir()
	s, _ := OpenStore(dir, nil)
	tk := s.Lookup("web1")
	s.Callback(StepInstallSite, tk.InstallToken, "ip")
	time.Sleep(time.Millisecond) // the request must be newer than the install
	if err := RequestRearm(dir, "web1", time.Now()); err != nil {
		t.Fatal(err)
	}
	ms := s.Machines()
	if len(ms) != 1 || !ms[0].Armed() || ms[0].Last().Step != StepRearmed {
		t.Errorf("Machines after a re-arm request = %+v, want web1 armed", ms)
	}
}

func TestCacheBound(t *testing.T) {
	f := newFixture(t, "", nil)
	for i := range 200 {
		req := newRequest("GET", "/"+laptopMAC+"-install.conf", "192.0.2.50")
		req.Host = fmt.Sprintf("host%d.example", i)
		w := newRecorder()
		f.srv.ServeHTTP(w, req)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "http://"+req.Host) {
			t.Fatalf("Host %s: %d %q", req.Host, w.Code, w.Body)
		}
	}
	snap := f.srv.Snapshot()
	if n := len(snap.cache); n > snap.maxCache {
		t.Errorf("cache holds %d entries, bound %d", n, snap.maxCache)
	}
}

func TestRearmRequestAppliedAtStart(t *testing.T) {
	dir := t.TempDir()
	s, _ := OpenStore(dir, nil)
	tk := s.Lookup("web1")
	s.Callback(StepInstallSite, tk.InstallToken, "ip")
	time.Sleep(time.Millisecond)
	// The server is down; the admin re-arms through the state directory.
	if err := RequestRearm(dir, "web1", time.Now()); err != nil {
		t.Fatal(err)
	}
	re, err := OpenStore(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tk2 := re.Lookup("web1"); !tk2.Armed || tk2.Generation != 1 || tk2.InstallToken == tk.InstallToken {
		t.Errorf("after a re-arm request and a restart: %+v, want armed with new tokens", tk2)
	}
	if _, err := os.Stat(filepath.Join(dir, "rearm", "web1")); !os.IsNotExist(err) {
		t.Error("applied re-arm request not removed")
	}
}

// TestRearmRequestKeptWhenStartFails: a server that applies a re-arm
// request at start and then fails to start (its address is in use) must
// not lose it: the re-arm is on disk, or the request still is.
func TestRearmRequestKeptWhenStartFails(t *testing.T) {
	dir := t.TempDir()
	s, _ := OpenStore(dir, nil)
	tk := s.Lookup("web1")
	s.Callback(StepInstallSite, tk.InstallToken, "ip")
	time.Sleep(time.Millisecond)
	if err := RequestRearm(dir, "web1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(dir, nil); err != nil { // no Run, no Flush: the start fails here
		t.Fatal(err)
	}
	machines, _, rearm, err := ReadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	// assert that: `fugu machine list` shows web1 re-armed or still waiting for it
	if len(machines) != 1 || !machines[0].Armed() && !rearm["web1"] {
		t.Errorf("after a failed start: %+v, re-arm requests %v; want web1 armed or its request kept", machines, rearm)
	}
}

func TestCorruptStateRefused(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "machines"), 0o700)
	os.WriteFile(filepath.Join(dir, "machines", "web1.json"), []byte("{\n  \"name\": \"web1\",\n  not json"), 0o600)
	// assert that: a damaged state file stops the server rather than
	// silently re-arming a machine that may boot from the network first,
	// and the error says where in the file
	if _, err := OpenStore(dir, nil); err == nil || !strings.Contains(err.Error(), "web1.json:3:3: invalid character 'n'") {
		t.Errorf("OpenStore with a damaged file = %v, want an error naming it and the place", err)
	}
	os.WriteFile(filepath.Join(dir, "machines", "web1.json"), []byte("{\"name\": \"web1\",\n \"generation\": \"two\"}"), 0o600)
	if _, err := OpenStore(dir, nil); err == nil || !strings.Contains(err.Error(), "web1.json:2:") || !strings.Contains(err.Error(), "generation") {
		t.Errorf("OpenStore with a wrong type = %v, want an error naming the file, line and field", err)
	}
}

// TestNewStepOnDiskAtOnce: `fugu machine list` reads the state directory,
// so a new step must be there when Record returns, with no flush loop
// running; only the count of a repeated step may wait for Flush.
func TestNewStepOnDiskAtOnce(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir, nil) // no Run: nothing is written in the background
	if err != nil {
		t.Fatal(err)
	}
	tk := s.Lookup("web1")
	if _, err := s.Callback(StepInstallSite, tk.InstallToken, "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond) // the request must be newer than the install
	if err := RequestRearm(dir, "web1", time.Now()); err != nil {
		t.Fatal(err)
	}
	// The machine asks again: the re-arm is applied, install.conf served.
	if !s.Lookup("web1").Armed {
		t.Fatal("re-arm request not applied")
	}
	s.Record("web1", StepAnswers, "install.conf", "192.0.2.7")
	last := func() Event {
		t.Helper()
		ms, _, _, err := ReadState(dir)
		if err != nil || len(ms) != 1 {
			t.Fatalf("ReadState = %+v, %v", ms, err)
		}
		return ms[0].Last()
	}
	// assert that: the disk shows the fetch, not the re-arm before it
	if ev := last(); ev.Step != StepAnswers || ev.File != "install.conf" {
		t.Fatalf("last step on disk = %+v, want answers install.conf", ev)
	}
	s.Record("web1", StepSets, "base78.tgz", "192.0.2.7")
	if ev := last(); ev.Step != StepSets || ev.File != "base78.tgz" {
		t.Fatalf("last step on disk = %+v, want sets base78.tgz", ev)
	}
	s.Record("web1", StepSets, "base78.tgz", "192.0.2.7")
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if ev := last(); ev.Count != 2 {
		t.Errorf("repeat after Flush: %+v, want count 2", ev)
	}
}

// TestPendingHost: a HOST-install.conf request names the MAC that the
// same address asked for last, not every MAC it asked for that minute;
// and enrolling a pending MAC has the pending list written.
func TestPendingHost(t *testing.T) {
	s, err := OpenStore(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	s.SeeUnknown("00:00:5e:00:53:01", "", "192.0.2.9")
	now = now.Add(20 * time.Second)
	s.SeeUnknown("00:00:5e:00:53:02", "", "192.0.2.9")
	s.SeeUnknown("00:00:5e:00:53:03", "", "192.0.2.10")
	s.SeeUnknown("", "newbox", "192.0.2.9")
	hosts := map[string]string{}
	for _, p := range s.Pending() {
		hosts[p.MAC] = p.Host
	}
	// assert that: only the MAC asked for last from 192.0.2.9 is newbox
	want := map[string]string{"00:00:5e:00:53:01": "", "00:00:5e:00:53:02": "newbox", "00:00:5e:00:53:03": ""}
	for mac, host := range want {
		if hosts[mac] != host {
			t.Errorf("pending %s host = %q, want %q", mac, hosts[mac], host)
		}
	}
	for len(s.kick) > 0 {
		<-s.kick
	}
	s.Enrolled(func(mac string) bool { return mac == "00:00:5e:00:53:02" })
	select {
	case <-s.kick:
	default:
		t.Error("enrolling a pending MAC did not schedule a write of the pending list")
	}
}

// TestOpenStorePendingNull: a hand-edited pending.json with a null entry
// opens (it used to panic) and keeps its other machines.
func TestOpenStorePendingNull(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenStore(dir, nil); err != nil {
		t.Fatal(err)
	}
	state := `[null, {"mac": "00:11:22:33:44:55", "ip": "192.0.2.9", "count": 1}]`
	if err := os.WriteFile(filepath.Join(dir, "pending.json"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	re, err := OpenStore(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := re.Pending(); len(p) != 1 || p[0].MAC != "00:11:22:33:44:55" {
		t.Errorf("Pending() = %+v, want the one machine of the file", p)
	}
}
