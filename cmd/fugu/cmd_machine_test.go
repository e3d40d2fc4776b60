package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fugu/autoinstall/serve"
)

// TestMachineListShowsLatestStep: right after a re-arm and the install.conf
// fetch that follows it, fugu machine list (which reads the state
// directory) shows the fetch, not "rearmed". The store's background
// flush is not running, so only a write made by the fetch itself counts.
func TestMachineListShowsLatestStep(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Execute(context.Background(), args, &Streams{In: strings.NewReader(""), Out: &out, Err: &errb}); code != 0 {
			t.Fatalf("fugu %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
		}
		return out.String()
	}
	run("profile", "init", site)
	store, err := serve.OpenStore(filepath.Join(site, "state"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// An install that finished, as fugu serve records it.
	tk := store.Lookup("laptop1")
	if _, err := store.Callback(serve.StepInstallSite, tk.InstallToken, "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond) // the re-arm must be newer than the install
	run("machine", "rearm", "laptop1", "--site", site)
	// The machine boots from the network again and fetches install.conf.
	if !store.Lookup("laptop1").Armed {
		t.Fatal("re-arm request not applied")
	}
	store.Record("laptop1", serve.StepAnswers, "install.conf", "192.0.2.7")

	out := run("machine", "list", "--site", site)
	// assert that: the row shows the fetch as the last step
	if !regexp.MustCompile(`(?m)^laptop1 .* armed +answers +[0-9-]+ [0-9:]+$`).MatchString(out) {
		t.Errorf("machine list after re-arm and fetch:\n%s\nwant laptop1 armed with last step answers", out)
	}
}
