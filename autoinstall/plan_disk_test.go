package autoinstall

import "testing"

// TestMountOptions: an extra disk's fstab line gets the options the
// installer gives the mount point (reference: openbsd-config.md section 6,
// "installer adds wxallowed to the /usr/local fs"; install.sub do_install
// leaves nosuid off /sbin|/usr, /usr/bin|/usr/sbin,
// /usr/libexec|/usr/libexec/*, /usr/local|/usr/local/* and
// /usr/X11R6|/usr/X11R6/bin).
func TestMountOptions(t *testing.T) {
	for mount, want := range map[string]string{
		"/home": "rw,nodev,nosuid", "/data": "rw,nodev,nosuid", "/var": "rw,nodev,nosuid",
		"/usr": "rw,nodev", "/usr/X11R6": "rw,nodev", "/usr/local": "rw,wxallowed,nodev",
		"/sbin": "rw,nodev", "/usr/bin": "rw,nodev", "/usr/sbin": "rw,nodev", "/usr/libexec": "rw,nodev",
		"/usr/libexec/auth": "rw,nodev", "/usr/local/bin": "rw,nodev", "/usr/X11R6/bin": "rw,nodev",
		"/usr/X11R6/lib": "rw,nodev,nosuid", "/usr/src": "rw,nodev,nosuid", "/usr/localx": "rw,nodev,nosuid",
	} {
		if got := mountOptions(mount); got != want {
			t.Errorf("mountOptions(%s) = %s, want %s", mount, got, want)
		}
	}
}
