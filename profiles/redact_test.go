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
	// assert that: a doas rule keeps all but a secret setenv value.
	rules := &Profile{Doas: []string{
		`permit nopass setenv { PGPASSWORD="pg secret" LANG=C } backup as _postgresql cmd /usr/local/bin/pg_dumpall`,
		`permit setenv{API_TOKEN=t0k3n\x}bob`,
		`permit bob cmd env args PASSWORD=arg`,
	}}
	want := []string{
		`permit nopass setenv { PGPASSWORD=<redacted> LANG=C } backup as _postgresql cmd /usr/local/bin/pg_dumpall`,
		`permit setenv{API_TOKEN=<redacted>}bob`,
		`permit bob cmd env args PASSWORD=arg`,
	}
	for i, got := range rules.Redacted().Doas {
		if got != want[i] {
			t.Errorf("Redacted() doas rule %q, want %q", got, want[i])
		}
		if err := checkDoas(got); err != nil {
			t.Errorf("Redacted() doas rule %q does not check: %v", got, err)
		}
	}
	// assert that: a doas rule's error does not show a secret value
	// written where a user or another word belongs.
	for _, rule := range []string{"permit PGPASSWORD=hunter2", "permit bob PGPASSWORD=hunter2", "PGPASSWORD=hunter2 permit bob", "permit setenv { 1PASSWORD=hunter2 } bob"} {
		if err := checkDoas(rule); err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("checkDoas(%q) = %v, want an error without the value", rule, err)
		}
	}
	disabled := &Profile{Root: Root{PasswordHash: DisabledPassword}}
	if got := disabled.Redacted().Root.PasswordHash; got != DisabledPassword {
		t.Errorf("disabled password shown as %q, want it as is (it is not a secret)", got)
	}
}

// TestProblemsHideSecrets: a password or passphrase written where a
// mapping or list of secrets belongs (root: hunter2, encrypt: PASSPHRASE)
// is reported without its value, in a profile and in a machine's set:.
func TestProblemsHideSecrets(t *testing.T) {
	const secret = "hunter2-open-sesame"
	ps := loadProblems(t, map[string]string{
		"profiles/p.yaml": "root: " + secret + "\nuser: " + secret + "\ndisks: {root: {encrypt: " + secret + "}}\n" +
			"network: {interfaces: [{name: iwm0, wireless: " + secret + "}, {name: iwx0, wireless: {networks: " + secret + "}}, {name: iwn0, wireless: {networks: [" + secret + "]}}]}\n",
		"machines.yaml": "machines:\n  - {name: a, profile: p, set: {root: " + secret + "}}\n",
	})
	if len(ps) < 7 {
		t.Errorf("Load found %d problems, want one for each secret:\n%v", len(ps), ps)
	}
	for _, p := range ps {
		if strings.Contains(p.String(), "hunter2") {
			t.Errorf("problem shows the secret: %s", p)
		}
	}
	// assert that: other values are still quoted back.
	ps = loadProblems(t, map[string]string{"profiles/p.yaml": "system: UTC\n", "machines.yaml": ""})
	if len(ps) == 0 || !strings.Contains(ps.Error(), `system: expected a mapping, found "UTC"`) {
		t.Errorf("problems = %v, want system's value quoted", ps)
	}
}
