package autoinstall

import "testing"

// TestMountOptions: an extra disk's fstab line gets the options the
// installer gives the mount point (reference: openbsd-config.md section 6,
// "installer adds wxallowed to the /usr/local fs").
func TestMountOptions(t *testing.T) {
	for mount, want := range map[string]string{
		"/home": "rw,nodev,nosuid", "/data": "rw,nodev,nosuid", "/var": "rw,nodev,nosuid",
		"/usr": "rw,nodev", "/usr/X11R6": "rw,nodev", "/usr/local": "rw,wxallowed,nodev",
	} {
		if got := mountOptions(mount); got != want {
			t.Errorf("mountOptions(%s) = %s, want %s", mount, got, want)
		}
	}
}
