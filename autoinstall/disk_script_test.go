package autoinstall

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// stubs are fake OpenBSD disk tools: each logs its arguments; disklabel
// prints a label that is empty or holds a 4.2BSD partition (FAKE_LABEL),
// and newfs fails when FAKE_NEWFS=fail.
const stubDisklabel = `#!/bin/sh
echo "disklabel $*" >>"$LOG"
case "$*" in -w*) exit 0;; esac
echo "# /dev/rsd1c:"
echo "duid: 0123456789abcdef"
echo "16 partitions:"
echo "  c:  41943040  0  unused"
[ "$FAKE_LABEL" = used ] && echo "  a:  2097152  64  4.2BSD  2048 16384 1"
exit 0
`

// stubMount lists the root disk's file system when FAKE_ROOT=mounted;
// stubBioctl shows sd1a as a softraid chunk when FAKE_ROOT=chunk.
const stubMount = `#!/bin/sh
if [ $# = 0 ]; then
	[ "$FAKE_ROOT" = mounted ] && echo "/dev/sd1a on /mnt type ffs (rw, local)"
	exit 0
fi
echo "mount $*" >>"$LOG"
`

const stubBioctl = `#!/bin/sh
echo "Volume      Status               Size Device"
[ "$FAKE_ROOT" = chunk ] && echo "softraid0 0 Online        10736468992 sd2     CRYPTO" && echo "          0 Online        10736468992 0:0.0   noencl <sd1a>"
exit 0
`

// stubStat answers stat -f for the mount point: owner 0:7, mode 1777
// (as /tmp has).
const stubStat = `#!/bin/sh
echo "stat $*" >>"$LOG"
case "$2" in %u:%g) echo 0:7;; %Mp%Lp) echo 1777;; *) exit 1;; esac
`

const stubLogger = `#!/bin/sh
echo "$(basename "$0") $*" >>"$LOG"
[ "$(basename "$0")" = newfs ] && [ "$FAKE_NEWFS" = fail ] && exit 1
exit 0
`

// TestExtraDiskScript runs the extra-disk part of install.site under mksh
// with stub tools: an unused disk is partitioned, formatted and added to
// fstab by DUID; a disk that already holds partitions is left alone
// unless wipe is set, and the disk of the new system even then; a failed
// newfs adds nothing to fstab. The new file system's root takes the owner
// and mode of its mount point.
func TestExtraDiskScript(t *testing.T) {
	sh := mksh(t)
	tests := []struct {
		name, label, newfs, root string
		wipe                     bool
		wantFstab                bool
		wantFdisk                bool
	}{
		{name: "unused disk", label: "empty", wantFstab: true, wantFdisk: true},
		{name: "labelled disk is kept", label: "used"},
		{name: "labelled disk with wipe", label: "used", wipe: true, wantFstab: true, wantFdisk: true},
		{name: "newfs fails", label: "empty", newfs: "fail", wantFdisk: true},
		{name: "the root disk is kept even with wipe", label: "used", wipe: true, root: "mounted"},
		{name: "the root's softraid chunk is kept even with wipe", label: "used", wipe: true, root: "chunk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mnt string
			dir, log, fstab := runDiskScript(t, sh, func(dir string) ExtraDisk {
				mnt = filepath.Join(dir, "data")
				return ExtraDisk{Device: "sd1", Table: "gpt", Wipe: tt.wipe, Template: []TemplateLine{
					{Mount: "swap", Size: "8G", Percent: -1}, {Mount: mnt, Size: "*", Percent: -1},
				}}
			}, "FAKE_LABEL="+tt.label, "FAKE_NEWFS="+tt.newfs, "FAKE_ROOT="+tt.root)
			if got := strings.Contains(log, "fdisk -gy sd1"); got != tt.wantFdisk {
				t.Errorf("fdisk run = %v, want %v\nlog:\n%s", got, tt.wantFdisk, log)
			}
			wantLine := "0123456789abcdef.b " + mnt + " ffs rw,nodev,nosuid 1 2\n"
			if got := strings.Contains(fstab, wantLine); got != tt.wantFstab {
				t.Errorf("fstab has %q = %v, want %v\nfstab:\n%s\nlog:\n%s", wantLine, got, tt.wantFstab, fstab, log)
			}
			if tt.wantFstab && !strings.Contains(fstab, "0123456789abcdef.a none swap sw 0 0\n") {
				t.Errorf("fstab lacks the swap line:\n%s", fstab)
			}
			if !tt.wantFdisk && strings.Contains(log, "newfs") {
				t.Errorf("a kept disk was formatted:\n%s", log)
			}
			for _, want := range []string{"chown 0:7 " + filepath.Join(dir, "mnt") + "\n", "chmod 1777 " + filepath.Join(dir, "mnt") + "\n"} {
				if got := strings.Contains(log, want); got != tt.wantFstab {
					t.Errorf("log has %q = %v, want %v\nlog:\n%s", want, got, tt.wantFstab, log)
				}
			}
			if _, err := os.Stat(mnt); tt.wantFstab && err != nil {
				t.Errorf("mount point not created: %v", err)
			}
		})
	}
}

// runDiskScript runs the function install.site writes for the extra disk
// that disk makes (given the test's directory) under mksh, with the stub
// tools and env, and returns the directory, the tools' log and the fstab.
func runDiskScript(t *testing.T, sh string, disk func(dir string) ExtraDisk, env ...string) (dir, log, fstab string) {
	t.Helper()
	dir = t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(p, s string, mode os.FileMode) {
		if err := os.WriteFile(p, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(bin, "disklabel"), stubDisklabel, 0o755)
	write(filepath.Join(bin, "stat"), stubStat, 0o755)
	write(filepath.Join(bin, "mount"), stubMount, 0o755)
	write(filepath.Join(bin, "bioctl"), stubBioctl, 0o755)
	for _, n := range []string{"fdisk", "newfs", "umount", "pax", "chown", "chmod"} {
		write(filepath.Join(bin, n), stubLogger, 0o755)
	}
	d := disk(dir)
	var b strings.Builder
	b.WriteString("warn() { echo \"warning: $*\" >>\"$LOG\"; }\n")
	b.WriteString(diskFuncs)
	writeDiskFunc(&b, d)
	b.WriteString("disk_" + d.Device + "\n")
	script := strings.NewReplacer(
		"/etc/fstab", filepath.Join(dir, "fstab"),
		"/.fugu-mnt", filepath.Join(dir, "mnt"),
		"/etc/fugu/disklabel.", filepath.Join(dir, "disklabel."),
	).Replace(b.String())
	write(filepath.Join(dir, "script"), script, 0o644)

	cmd := exec.Command(sh, filepath.Join(dir, "script"))
	cmd.Env = append([]string{"PATH=" + bin + ":/usr/bin:/bin", "LOG=" + filepath.Join(dir, "log")}, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("script: %v\n%s", err, out)
	}
	l, _ := os.ReadFile(filepath.Join(dir, "log"))
	f, _ := os.ReadFile(filepath.Join(dir, "fstab"))
	return dir, string(l), string(f)
}

// TestExtraDiskScriptMBR: table: mbr gets fdisk -i, not a GPT, and the
// third line of a template lands in d: c is the whole disk, which newfs
// must never format.
func TestExtraDiskScriptMBR(t *testing.T) {
	sh := mksh(t)
	var data, backup string
	_, log, fstab := runDiskScript(t, sh, func(dir string) ExtraDisk {
		data, backup = filepath.Join(dir, "data"), filepath.Join(dir, "backup")
		return ExtraDisk{Device: "sd1", Table: "mbr", Template: []TemplateLine{
			{Mount: "swap", Size: "8G", Percent: -1}, {Mount: data, Size: "10G", Percent: -1}, {Mount: backup, Size: "*", Percent: -1},
		}}
	}, "FAKE_LABEL=empty")
	if !strings.Contains(log, "fdisk -iy sd1\n") || strings.Contains(log, "fdisk -gy") {
		t.Errorf("fdisk is not run with -iy:\n%s", log)
	}
	for _, want := range []string{"newfs -q -O2 /dev/rsd1b\n", "newfs -q -O2 /dev/rsd1d\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "/dev/rsd1c") {
		t.Errorf("the whole-disk partition c is formatted:\n%s", log)
	}
	want := "0123456789abcdef.a none swap sw 0 0\n" +
		"0123456789abcdef.b " + data + " ffs rw,nodev,nosuid 1 2\n" +
		"0123456789abcdef.d " + backup + " ffs rw,nodev,nosuid 1 2\n"
	if fstab != want {
		t.Errorf("fstab:\n%s\nwant:\n%s", fstab, want)
	}
}

// TestPutDirectories runs install.site's put under mksh with stub tools:
// the directories it makes take the owner of the directory they are made
// in, so a file under a user's home leaves the new directories the user's;
// a file is never put onto a directory.
func TestPutDirectories(t *testing.T) {
	sh := mksh(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	home := filepath.Join(dir, "home", "peter")
	for _, d := range []string{bin, home, filepath.Join(dir, "stage", home, ".config", "i3")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string, mode os.FileMode) {
		if err := os.WriteFile(p, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	// chown records owners in $OWNERS; stat -f %u:%g reads them back
	// (root's when none was recorded).
	write(filepath.Join(bin, "chown"), "#!/bin/sh\necho \"chown $*\" >>\"$LOG\"\necho \"$2 $1\" >>\"$OWNERS\"\n", 0o755)
	write(filepath.Join(bin, "stat"), "#!/bin/sh\no=$(awk -v p=\"$3\" '$1 == p { o = $2 } END { print o }' \"$OWNERS\")\necho \"${o:-0:0}\"\n", 0o755)
	write(filepath.Join(bin, "install"), "#!/bin/sh\necho \"install $*\" >>\"$LOG\"\n", 0o755)
	write(filepath.Join(dir, "owners"), home+" 1000:1000\n", 0o644)
	run := func(file string) error {
		script := strings.NewReplacer(
			"PATH=/sbin:/bin:/usr/sbin:/usr/bin", "",
			"S="+stageDir, "S="+filepath.Join(dir, "stage"),
		).Replace(fmt.Sprintf(installSiteHead, "peter")) + "put 0644 " + shellQuote(file) + "\n"
		write(filepath.Join(dir, "script"), script, 0o644)
		cmd := exec.Command(sh, filepath.Join(dir, "script"))
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "LOG=" + filepath.Join(dir, "log"), "OWNERS=" + filepath.Join(dir, "owners")}
		_, err := cmd.CombinedOutput()
		return err
	}
	file := filepath.Join(home, ".config", "i3", "config")
	if err := run(file); err != nil {
		t.Fatalf("script: %v", err)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "log"))
	want := "chown 1000:1000 " + filepath.Join(home, ".config") + "\n" +
		"chown 1000:1000 " + filepath.Join(home, ".config", "i3") + "\n" +
		"install -o root -g wheel -m 0644 " + filepath.Join(dir, "stage", file) + " " + file + "\n"
	if string(log) != want {
		t.Errorf("log:\n%s\nwant:\n%s", log, want)
	}
	if fi, err := os.Stat(filepath.Join(home, ".config", "i3")); err != nil || !fi.IsDir() {
		t.Errorf("directory not made: %v", err)
	}

	// A file whose path is a directory stops install.site: install(1)
	// would put it inside the directory.
	os.Remove(filepath.Join(dir, "log"))
	if err := run(home); err == nil {
		t.Errorf("put onto the directory %s succeeded", home)
	}
	if log, _ := os.ReadFile(filepath.Join(dir, "log")); strings.Contains(string(log), "install ") {
		t.Errorf("install ran onto a directory:\n%s", log)
	}
}

// TestInstallSiteRerun runs a whole install.site twice under mksh in a
// sandbox (its absolute paths moved under a temporary directory, stub
// install, chown and ftp): the second run, as an admin may start it by
// hand, fails on nothing and adds nothing again, neither fugu's lines to
// rc.firsttime nor a key to an authorized_keys file.
func TestInstallSiteRerun(t *testing.T) {
	sh := mksh(t)
	dir := t.TempDir()
	m, _ := exampleMachine(t, "delilah")
	mc := *m
	mc.Profile.Disks.Extra = nil
	mc.Profile.Root.SSHKeys = append(mc.Profile.Root.SSHKeys, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExtraRootKeyForTheRerunTest root@spare")
	if mc.Profile.User != nil {
		u := *mc.Profile.User
		u.SSHKeys = append(slices.Clone(u.SSHKeys), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExtraUserKeyForTheRerunTest peter@spare")
		mc.Profile.User = &u
	}
	p, err := NewPlan(&mc, nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.RoleSetup) > 0 || len(p.ExtraDisks) > 0 || p.User == nil {
		t.Fatalf("the case runs role setups or extra disks, or has no user: %v %v", p.RoleSetup, p.ExtraDisks)
	}
	es, err := siteEntries(p)
	if err != nil {
		t.Fatal(err)
	}
	var script string
	for _, e := range es {
		path := filepath.Join(dir, e.name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, e.content, 0o600); err != nil {
			t.Fatal(err)
		}
		if e.name == "install.site" {
			script = string(e.content)
		}
	}
	// What the installer left: its own rc.firsttime line, the first keys.
	for path, s := range map[string]string{
		"etc/rc.firsttime":                "/usr/sbin/fw_update\n",
		"root/.ssh/authorized_keys":       p.RootSSHKeys[0] + "\n",
		"home/peter/.ssh/authorized_keys": p.User.SSHKeys[0] + "\n",
	} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, path), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{
		"install": "#!/bin/sh\nwhile [ $# -gt 2 ]; do shift; done\ncp \"$1\" \"$2\"\n",
		"chown":   "#!/bin/sh\nexit 0\n",
		"stat":    "#!/bin/sh\necho 0:0\n",
		"ftp":     "#!/bin/sh\necho \"ftp $*\" >>\"$LOG\"\n",
	} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(s), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	script = strings.NewReplacer(
		"PATH=/sbin:/bin:/usr/sbin:/usr/bin", "",
		"S="+stageDir, "S="+dir+stageDir,
		"'/", "'"+dir+"/",
		" /etc/", " "+dir+"/etc/",
		" /root ", " "+dir+"/root ",
		">>/etc/", ">>"+dir+"/etc/",
	).Replace(script)
	// assert that: the script touches nothing outside the sandbox
	for _, l := range strings.Split(script, "\n") {
		l = strings.ReplaceAll(strings.TrimSpace(l), dir+"/", "")
		if !strings.HasPrefix(l, "#") && (strings.Contains(l, " /") || strings.Contains(l, ">/") || strings.Contains(l, "'/")) && !strings.Contains(l, "/dev/null") && !strings.Contains(l, "http://") {
			t.Fatalf("install.site line not moved into the sandbox: %s", l)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "install.site"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	// put reads "$S$2" with $2 moved under dir: a link in the stage
	// leads back to the stage itself.
	link := func() {
		t.Helper()
		l := filepath.Join(dir, stageDir, dir)
		if err := os.MkdirAll(filepath.Dir(l), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, stageDir), l); err != nil {
			t.Fatal(err)
		}
	}
	link()
	run := func() {
		t.Helper()
		cmd := exec.Command(sh, filepath.Join(dir, "install.site"))
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "LOG=" + filepath.Join(dir, "log")}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("install.site: %v\n%s", err, out)
		}
	}
	run()
	once := map[string][]byte{}
	for _, f := range []string{"etc/rc.firsttime", "root/.ssh/authorized_keys", "home/peter/.ssh/authorized_keys", "etc/installurl"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		once[f] = b
	}
	// assert that: the first run did its work
	if !bytes.Contains(once["etc/rc.firsttime"], []byte("# fugu: first boot of delilah.")) || !bytes.Contains(once["root/.ssh/authorized_keys"], []byte("root@spare")) || !bytes.Contains(once["home/peter/.ssh/authorized_keys"], []byte("peter@spare")) {
		t.Fatalf("first run: rc.firsttime, keys:\n%s\n%s\n%s", once["etc/rc.firsttime"], once["root/.ssh/authorized_keys"], once["home/peter/.ssh/authorized_keys"])
	}
	run()
	for f, want := range once {
		if got, _ := os.ReadFile(filepath.Join(dir, f)); !bytes.Equal(got, want) {
			t.Errorf("second run changed %s:\n%s\nwant:\n%s", f, got, want)
		}
	}

	// A first run that stopped before its end (here: keys put back in
	// the stage after they were appended) is finished by a rerun,
	// without a key twice.
	if err := os.WriteFile(filepath.Join(dir, "etc/rc.firsttime"), []byte("/usr/sbin/fw_update\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.HasPrefix(e.name, strings.TrimPrefix(stageDir, "/")+"/") {
			path := filepath.Join(dir, e.name)
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, e.content, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	link()
	run()
	for f, want := range once {
		if got, _ := os.ReadFile(filepath.Join(dir, f)); !bytes.Equal(got, want) {
			t.Errorf("rerun after a stop changed %s:\n%s\nwant:\n%s", f, got, want)
		}
	}
}
