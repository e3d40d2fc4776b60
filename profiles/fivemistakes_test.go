package profiles

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestFiveMistakes: testdata/fivemistakes has an unknown key, a bad MAC,
// a plaintext password, a bad time zone and a bad size. Load reports all
// five at once, each at its file, line and column, and not one more.
func TestFiveMistakes(t *testing.T) {
	_, err := Load(os.DirFS("testdata/fivemistakes"))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load = %v, want Problems", err)
	}
	want := []string{
		"machines.yaml:3:10: machines[0].mac: ",
		"profiles/web.yaml:4:13: system.timezone: ",
		"profiles/web.yaml:5:3: system.colour: unknown key",
		"profiles/web.yaml:7:18: root.password_hash: looks like a plaintext password",
		"profiles/web.yaml:10:11: disks.root.swap: ",
	}
	if len(ps) != len(want) {
		t.Fatalf("Load found %d problems, want %d:\n%v", len(ps), len(want), ps)
	}
	for i, p := range ps {
		if !strings.HasPrefix(p.String(), want[i]) {
			t.Errorf("problem %d = %q, want it to start %q", i, p.String(), want[i])
		}
		if strings.Contains(p.String(), "hunter2") {
			t.Errorf("problem %d shows the plaintext password: %q", i, p.String())
		}
	}
}
