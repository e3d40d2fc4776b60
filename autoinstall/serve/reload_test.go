package serve

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"fugu/profiles"
)

// TestReloadOnSIGHUP sends the test process a real SIGHUP: a valid site is
// swapped in, an invalid one is refused and the old snapshot stays.
func TestReloadOnSIGHUP(t *testing.T) {
	f := newFixture(t, "", nil)
	fsys := siteFS(t, "")
	loads := make(chan error, 1)
	var mu sync.Mutex // a signal is no synchronisation the race detector sees
	setInventory := func(s string) {
		mu.Lock()
		fsys["machines.yaml"] = &fstest.MapFile{Data: []byte(s)}
		mu.Unlock()
	}
	load := func() (*profiles.Site, error) {
		mu.Lock()
		site, err := profiles.Load(fsys)
		mu.Unlock()
		loads <- err
		return site, err
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP)
	defer signal.Stop(c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.srv.ReloadOn(ctx, c, load)
	hup := func() error {
		t.Helper()
		syscall.Kill(os.Getpid(), syscall.SIGHUP)
		select {
		case err := <-loads:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("no reload after SIGHUP")
			return nil
		}
	}

	// A valid change: mx1 leaves the inventory and a pending MAC is
	// enrolled (it then leaves the pending list).
	f.get("/"+unknownMAC+"-install.conf", "192.0.2.1")
	if p := f.store.Pending(); len(p) != 1 {
		t.Fatalf("pending = %+v", p)
	}
	inv := "machines:\n  - name: delilah\n    mac: " + laptopMAC + "\n    profile: laptop\n    memory: 32G\n" +
		"  - name: newbox\n    mac: " + unknownMAC + "\n    profile: mailgw\n    memory: 4G\n"
	setInventory(inv)
	old := f.srv.Snapshot()
	if err := hup(); err != nil {
		t.Fatalf("valid reload: %v", err)
	}
	waitFor(t, func() bool { return f.srv.Snapshot() != old })
	if w := f.get("/"+mailMAC+"-install.conf", "192.0.2.1"); w.Code != 404 {
		t.Errorf("removed machine still answered: %d", w.Code)
	}
	if w := f.get("/"+unknownMAC+"-install.conf", "192.0.2.1"); w.Code != 200 {
		t.Errorf("enrolled machine = %d, want 200", w.Code)
	}
	// mx1's MAC, asked for after its removal, is the only one pending.
	if p := f.store.Pending(); len(p) != 1 || p[0].MAC != mailMAC {
		t.Errorf("pending = %+v, want only the removed %s", p, mailMAC)
	}

	// An invalid site: refused, with every problem named, old one kept.
	setInventory("machines:\n  - name: Bad_Name\n    profile: nosuch\n")
	kept := f.srv.Snapshot()
	err := hup()
	var ps profiles.Problems
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "machines.yaml:") {
		t.Fatalf("invalid reload error = %v, want profiles.Problems with positions", err)
	}
	// ReloadOn handles one signal at a time: once the next SIGHUP's load
	// has run, it has finished with the refused one.
	if err := hup(); err == nil {
		t.Fatal("the second reload of the invalid site was not refused")
	}
	if f.srv.Snapshot() != kept {
		t.Fatal("an invalid site replaced the snapshot")
	}
	if w := f.get("/"+laptopMAC+"-install.conf", "192.0.2.1"); w.Code != 200 {
		t.Errorf("after a refused reload install.conf = %d, want 200", w.Code)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not reached")
}
