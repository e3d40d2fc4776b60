package profiles

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestRedacted(t *testing.T) {
	site, err := Load(ExampleSite())
	if err != nil {
		t.Fatal(err)
	}
	p := site.Profiles["laptop"]
	p.Disks.Root.Encrypt = &Encryption{Passphrase: "open sesame"}
	r := p.Redacted()
	out, err := yaml.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	// assert that: no secret survives, the rest does, and p is untouched
	for _, secret := range []string{p.Root.PasswordHash, p.User.PasswordHash, "demo-home-passphrase", "demo-office-passphrase", "open sesame"} {
		if strings.Contains(string(out), secret) {
			t.Errorf("Redacted() output contains secret %q", secret)
		}
	}
	if n := strings.Count(string(out), Redacted); n != 5 {
		t.Errorf("Redacted() has %d redactions, want 5:\n%s", n, out)
	}
	if r.User.Login != "peter" || r.Network.Interfaces[1].Wireless.Networks[1].SSID != "office" {
		t.Errorf("Redacted() lost non-secret values: %+v", r)
	}
	if p.Network.Interfaces[1].Wireless.Networks[0].WPAKey != "demo-home-passphrase" || p.Disks.Root.Encrypt.Passphrase != "open sesame" {
		t.Errorf("Redacted() changed the original")
	}
	disabled := &Profile{Root: Root{PasswordHash: DisabledPassword}}
	if got := disabled.Redacted().Root.PasswordHash; got != DisabledPassword {
		t.Errorf("disabled password shown as %q, want it as is (it is not a secret)", got)
	}
}
