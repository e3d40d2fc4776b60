package profiles

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestExampleSiteLoads(t *testing.T) {
	site, err := Load(ExampleSite())
	if err != nil {
		t.Fatalf("Load(ExampleSite()) = %v", err)
	}
	// assert that: both machines resolved, with hostnames and memory
	if len(site.Machines) != 2 || len(site.Profiles) != 3 {
		t.Fatalf("got %d machines, %d profiles; want 2, 3", len(site.Machines), len(site.Profiles))
	}
	d := site.Machines[0]
	if d.Name != "delilah" || d.Profile.System.Hostname != "delilah" || d.MemoryBytes != 32*GiB || len(d.Dmesg) == 0 {
		t.Errorf("delilah = %+v", d)
	}
	if d.Profile.Root.PasswordHash == "" || d.Profile.System.Timezone != "Europe/Oslo" || d.Profile.User.Login != "peter" {
		t.Errorf("delilah's profile did not inherit base: %+v", d.Profile)
	}
	if got := strings.Join(d.MACs, ","); got != "80:fa:5b:01:02:03,80:fa:5b:01:02:04" {
		t.Errorf("delilah MACs = %s", got)
	}
	mx := site.Machines[1]
	if mx.Profile.Roles.MailGW == nil || mx.Profile.Roles.MailGW.EgressInterface != "em0" {
		t.Errorf("mx1 has no mailgw role: %+v", mx.Profile.Roles)
	}
	if mx.Profile.SSHD.RootLogin != "prohibit-password" || mx.Profile.SSHD.Enabled == nil || !*mx.Profile.SSHD.Enabled {
		t.Errorf("mx1 sshd = %+v: want the override merged over base", mx.Profile.SSHD)
	}
}

// loadProblems loads a site made of files and returns the problems.
func loadProblems(t *testing.T, files map[string]string) Problems {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	_, err := Load(fsys)
	if err == nil {
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error %v is not Problems", err)
	}
	return ps
}
