package home

import (
	"context"
	"runtime"
	"testing"
)

// TestBootIDs: on Linux the local tree and a remote one on the same
// machine (through its shell) give the same, non-empty boot ID.
func TestBootIDs(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the forms of boot ID differ by system")
	}
	l := openLocal(t, t.TempDir()).BootID(context.Background())
	r := inProcessSFTP(t, t.TempDir()).BootID(context.Background())
	if l == "" || l != r {
		t.Errorf("boot IDs: local %q, over the shell %q; want one, the same", l, r)
	}
}
