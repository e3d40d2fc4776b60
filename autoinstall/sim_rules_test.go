package autoinstall

import (
	"strings"
	"testing"
)

// TestSimulatorRules proves the simulator follows the reference's
// matching rules, so a replay that passes means something.
func TestSimulatorRules(t *testing.T) {
	tests := []struct {
		name     string
		conf     string
		question string
		def      string
		want     string // the answer, or "STOP"
	}{
		{"full key", "Start sshd(8) by default = no\n", "Start sshd(8) by default?", "yes", "no"},
		{"trap falls back to the default", "Start sshd = no\n", "Start sshd(8) by default?", "yes", "yes"},
		{"case-insensitive key", "start SSHD(8) BY DEFAULT = no\n", "Start sshd(8) by default?", "yes", "no"},
		{"key ending with ?", "System hostname? = web1\n", "System hostname? (short form, e.g. 'foo')", "", "web1"},
		{"no final newline loses the answer", "System hostname = web1", "System hostname? (short form, e.g. 'foo')", "", "STOP"},
		{"comment lines are skipped", "#System hostname = x\nSystem hostname = web1\n", "System hostname? (short form, e.g. 'foo')", "", "web1"},
		{"empty value is ignored", "System hostname =\nSystem hostname = web1\n", "System hostname? (short form, e.g. 'foo')", "", "web1"},
		{"inline comment stays in the value", "Setup a user = no # x\n", "Setup a user? (enter a lower-case loginname, or 'no')", "no", "no # x"},
		{"value keeps = and #", "WPA passphrase = a=b#c\n", "WPA passphrase?", "", "a=b#c"},
		{"CR stays in the value", "Start sshd(8) by default = no\r\n", "Start sshd(8) by default?", "yes", "no\r"},
		{"short key is taken first", "password = x\nPassword for root account = y\n", "Password for root account?", "", "x"},
		{"word boundary: not a prefix of a word", "host = web1\n", "System hostname? (short form, e.g. 'foo')", "", "STOP"},
		{"no answer and no default stops", "\n", "Password for root account?", "", "STOP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReader([]byte(tt.conf))
			var got string
			var err error
			func() {
				defer catchStop(&err)
				got = r.ask(tt.question, tt.def)
			}()
			if err != nil {
				got = "STOP"
			}
			if got != tt.want {
				t.Errorf("ask(%q) = %q, want %q", tt.question, got, tt.want)
			}
		})
	}

	// Duplicate keys form a queue, and a used line is gone.
	r := newReader([]byte("Network interface to configure = em0\nNetwork interface to configure = em1\n"))
	q := "Network interface to configure? (name, lladdr, '?', or 'done')"
	if a, b, c := r.ask(q, "done"), r.ask(q, "done"), r.ask(q, "done"); a != "em0" || b != "em1" || c != "done" {
		t.Errorf("queue = %s %s %s, want em0 em1 done", a, b, c)
	}

	// The security protocol is one letter alone: WPA-PSK is asked again,
	// and with no other line the default O (an open network) is taken.
	r = newReader([]byte("Security protocol = WPA-PSK\n"))
	if got := r.oneLetter("Security protocol? (O)pen, (W)EP, WPA-(P)SK", "O", "owp"); got != 'o' {
		t.Errorf("security protocol WPA-PSK = %c, want o", got)
	}

	// A CRLF yes/no answer stops the install.
	o := simulateInstall([]byte(strings.ReplaceAll("System hostname = web1\nNetwork interface to configure = done\nPassword for root account = $2b$10$kYpZJJkh6uDi/Kog0hCxr..Xccto21m4Uzvqxtw/sVoYWBGQ0wRwS\nStart sshd(8) by default = yes\n", "\n", "\r\n")), gatewayModel())
	if o.Err == nil {
		t.Error("a CRLF file went through the install")
	}
}

// TestCatalogCoversSimulator: every question the simulator asks in the
// replays is one of the questions Lint knows, so the two readings of the
// reference agree.
func TestCatalogCoversSimulator(t *testing.T) {
	for _, c := range installCases {
		p, f, facts := planCase(t, c)
		model := c.model
		if c.fromDmesg {
			mc, _ := exampleMachine(t, c.base)
			model = modelFromDmesg(facts, mc.Dmesg)
		}
		m := serve(model, p, f)
		for _, o := range []*outcome{simulateInstall(f.InstallConf, m), simulateUpgrade(f.UpgradeConf, m, p.Hostname)} {
			for _, a := range o.log {
				known := false
				for i := range questions {
					known = known || keyMatches(parsed[i], strings.ToLower(a.Question), true, true)
				}
				if !known {
					t.Errorf("%s: the simulator asks %q, which Lint does not know", c.name, a.Question)
				}
			}
		}
	}
}
