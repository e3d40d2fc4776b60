package migrate

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnifiedDiff(t *testing.T) {
	tests := []struct{ name, a, b, want string }{
		{"equal", "a\n", "a\n", ""},
		{"create", "", "x\ny\n", "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{"delete all", "x\n", "", "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n"},
		{"change middle", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nX\n6\n7\n8\n9\n",
			"--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n"},
		{"no final newline", "a\nb", "a\nb\n", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nY\n",
			"--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+Y\n"},
	}
	for _, tt := range tests {
		if got := UnifiedDiff("a", "b", tt.a, tt.b); got != tt.want {
			t.Errorf("%s: UnifiedDiff =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// TestUnifiedDiffPatches checks diffs against the real patch(1): applying
// the diff to a must give b.
func TestUnifiedDiffPatches(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("patch(1) is required under CI")
		}
		t.Skip("patch not installed")
	}
	pairs := [][2]string{
		{"a\nb\nc\n", "a\nB\nc\nd\n"},
		{strings.Repeat("line\n", 20) + "end\n", "start\n" + strings.Repeat("line\n", 20)},
		{"permit :wheel\n", "permit persist keepenv :wheel\npermit nopass alice cmd /sbin/reboot\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n3\n4\n5\n6\nsix\n7\n8\n10\n11\n"},
		{strings.Repeat("a\n", 10) + "x\n" + strings.Repeat("b\n", 10), strings.Repeat("a\n", 10) + "y\nz\n" + strings.Repeat("b\n", 10)},
		{"same\nsame\n", "same\n"},
		{"a\nb", "a\nc"},
	}
	for i, p := range pairs {
		dir := t.TempDir()
		f := filepath.Join(dir, "f")
		if err := os.WriteFile(f, []byte(p[0]), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(patch, "-s", f)
		cmd.Stdin = strings.NewReader(UnifiedDiff("a/f", "b/f", p[0], p[1]))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pair %d: patch: %v\n%s", i, err, out)
		}
		got, _ := os.ReadFile(f)
		if string(got) != p[1] {
			t.Errorf("pair %d: patched file = %q, want %q", i, got, p[1])
		}
	}
}
