package profiles

import (
	"strings"
	"testing"
)

// checkCase is one input to a value checker and whether it must pass.
type checkCase struct {
	in string
	ok bool
}

func runChecks(t *testing.T, name string, f func(string) error, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		err := f(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%s(%q) = %v, want ok=%v", name, c.in, err, c.ok)
		}
	}
}

func TestCheckHostname(t *testing.T) {
	runChecks(t, "checkHostname", checkHostname, []checkCase{
		{"puffy", true}, {"web-1", true}, {"a", true}, {"0day", true},
		{strings.Repeat("a", 63), true}, {strings.Repeat("a", 64), false},
		{"Puffy", false}, {"puffy.example.org", false}, {"-web", false}, {"web-", false},
		{"we b", false}, {"web_1", false}, {"web=1", false}, {"web;reboot", false},
	})
}

func TestCheckDomain(t *testing.T) {
	runChecks(t, "checkDomain", checkDomain, []checkCase{
		{"example.org", true}, {"my.domain", true}, {"lan", true}, {"a-b.c.d", true},
		{"example..org", false}, {".example.org", false}, {"example.org.", false},
		{"exa mple.org", false}, {"ex$ample.org", false}, {strings.Repeat("a.", 127) + "org", false},
	})
	// assert that: a fully qualified name (example.org.) is told why
	if err := checkDomain("example.org."); err == nil || !strings.Contains(err.Error(), "without the trailing dot") {
		t.Errorf("checkDomain(example.org.) = %v, want the trailing dot named", err)
	}
}

func TestCheckLogin(t *testing.T) {
	runChecks(t, "checkLogin", checkLogin, []checkCase{
		{"peter", true}, {"p", true}, {"p-h_2", true}, {strings.Repeat("a", 31), true},
		{strings.Repeat("a", 32), false}, {"Peter", false}, {"1peter", false}, {"_peter", false},
		{"peter.h", false}, {"root", false}, {"daemon", false}, {"operator", false}, {"bin", false},
		{"build", false}, {"sshd", false}, {"www", false}, {"nobody", false}, {"ftp", false},
		{"pe ter", false}, {"peter=x", false},
		{"n", false}, {"no", false}, {"y", false}, {"yes", false}, {"nobody2", true}, {"yesman", true},
	})
}

func TestCheckFullName(t *testing.T) {
	runChecks(t, "checkFullName", checkFullName, []checkCase{
		{"Peter Hansteen", true}, {"Ærlig Øystein-Åsen", true}, {"O'Brien", true},
		{strings.Repeat("x", 100), true}, {strings.Repeat("x", 101), false},
		{"Hansteen, Peter", false}, {"Peter & Co", false}, {"a:b", false},
		{"Peter $HOME", false}, {"`id`", false}, {`say "hi"`, false}, {" Peter", false},
		{"Team #1", false}, {"Team\t#1", false}, {"Team#1", true},
	})
}

func TestCheckTimezone(t *testing.T) {
	runChecks(t, "checkTimezone", checkTimezone, []checkCase{
		{"Europe/Oslo", true}, {"UTC", true}, {"America/Argentina/Buenos_Aires", true},
		{"Europe/Olso", false}, {"Local", false}, {"/etc/localtime", false},
		{"../etc/passwd", false}, {"Europe/Oslo ", false}, {"Mars/Olympus", false},
		{"Etc/GMT+5", true}, {"EST5EDT", true},
		// Files of a host's zoneinfo directory that are no zone: not in
		// the installer's list, whatever the host fugu runs on has.
		{"localtime", false}, {"posixrules", false}, {"posix/Europe/Oslo", false}, {"right/UTC", false},
		{"europe/oslo", false},
	})
}

func TestCheckKeyboard(t *testing.T) {
	runChecks(t, "checkKeyboard", checkKeyboard, []checkCase{
		{"no", true}, {"us", true}, {"us.dvorak", true}, {"de.nodead", true}, {"us.swapctrlcaps", true},
		{"", false}, {"No", false}, {"us dvorak", false}, {"us;reboot", false}, {".us", false},
	})
}

func TestCheckLine(t *testing.T) {
	runChecks(t, "checkLine", checkLine, []checkCase{
		{"plain value", true}, {"a=b", true}, {"tab\there", true},
		{"two\nlines", false}, {"cr\r", false}, {"nul\x00", false},
	})
}

func TestCheckInterfaceName(t *testing.T) {
	runChecks(t, "checkInterfaceName", checkInterfaceName, []checkCase{
		{"re0", true}, {"iwm0", true}, {"em12", true}, {"vlan100", true},
		{"80:fa:5b:01:02:03", true}, {"80-FA-5B-01-02-03", true},
		{"re", false}, {"0re", false}, {"re0a", false}, {"RE0", false}, {"re0;", false},
		{"80:fa:5b:01:02", false}, {"80:fa:5b:01:02:zz", false},
	})
}

func TestCheckIPv4(t *testing.T) {
	runChecks(t, "checkIPv4", checkIPv4, []checkCase{
		{"dhcp", true}, {"autoconf", true}, {"none", true}, {"192.0.2.10/24", true}, {"10.0.0.1/32", true},
		{"192.0.2.10", false}, {"192.0.2.10/33", false}, {"192.0.2.10/0", false},
		{"2001:db8::1/64", false}, {"DHCP", false}, {"192.0.2.300/24", false},
	})
}

func TestCheckIPv6(t *testing.T) {
	runChecks(t, "checkIPv6", checkIPv6, []checkCase{
		{"autoconf", true}, {"none", true}, {"2001:db8::10/64", true},
		{"dhcp", false}, {"2001:db8::10", false}, {"192.0.2.1/24", false},
		{"::ffff:192.0.2.1/120", false}, {"fe80::1%em0/64", false},
	})
}

func TestCheckAddrs(t *testing.T) {
	runChecks(t, "checkAddr4", checkAddr4, []checkCase{
		{"192.0.2.1", true}, {"2001:db8::1", false}, {"192.0.2.1/24", false}, {"gw", false},
	})
	runChecks(t, "checkAddr6", checkAddr6, []checkCase{
		{"2001:db8::1", true}, {"192.0.2.1", false}, {"fe80::1%em0", false},
	})
	runChecks(t, "checkNameserver", checkNameserver, []checkCase{
		{"192.0.2.53", true}, {"2001:db8::53", true}, {"ns1.example.org", false}, {"192.0.2.53 192.0.2.54", false},
	})
}

func TestCheckSSID(t *testing.T) {
	runChecks(t, "checkSSID", checkSSID, []checkCase{
		{"home", true}, {"Bob's Net", true}, {strings.Repeat("s", 32), true}, {"0x414243", true},
		{"0x" + strings.Repeat("ab", 32), true},
		{"", false}, {strings.Repeat("s", 33), false}, {"0x41424", false}, {"0x" + strings.Repeat("ab", 33), false},
		{`my "net"`, false}, {"pa$$", false}, {"a\\b", false}, {"two  blanks", false}, {" lead", false}, {"Café", false},
	})
}

func TestCheckWPAKey(t *testing.T) {
	runChecks(t, "checkWPAKey", checkWPAKey, []checkCase{
		{"12345678", true}, {strings.Repeat("k", 63), true}, {"0x" + strings.Repeat("0f", 32), true},
		{"1234567", false}, {strings.Repeat("k", 64), false}, {"0x" + strings.Repeat("0f", 31), false},
		{"secret$HOME", false}, {"secret`id`", false}, {`sec"ret1`, false}, {"naïve-password", false},
	})
}

func TestCheckPasswordHash(t *testing.T) {
	good := "$2b$10$kYpZJJkh6uDi/Kog0hCxr..Xccto21m4Uzvqxtw/sVoYWBGQ0wRwS"
	runChecks(t, "checkPasswordHash", checkPasswordHash, []checkCase{
		{good, true}, {"$2a$" + good[4:], true}, {"$2y$" + good[4:], true}, {"*************", true},
		{"", false}, {"hunter2", false}, {"$2x$" + good[4:], false}, {good[:59], false}, {good + "x", false},
		{"$2b$03$" + good[7:], false}, {"$2b$1x$" + good[7:], false}, {"$6$salt$hash", false},
		{"************", false}, {good[:20] + "!" + good[21:], false},
	})
	// assert that: plaintext gets the fugu passwd hint and is not echoed
	err := checkPasswordHash("correct horse battery")
	if err == nil || !strings.Contains(err.Error(), "fugu passwd") || strings.Contains(err.Error(), "horse") {
		t.Errorf("checkPasswordHash(plaintext) = %v, want a hint to fugu passwd without the value", err)
	}
}

const (
	edKey  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOIwA7eaymAl2BMia0/CExCyXnFaYzbzUCi/Th6DGCUG"
	edBlob = "AAAAC3NzaC1lZDI1NTE5AAAAIOIwA7eaymAl2BMia0/CExCyXnFaYzbzUCi/Th6DGCUG"
)

// rsaKey and ecKey were made with ssh-keygen -t rsa -b 2048 and -t ecdsa -b 384.
const (
	rsaKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCd+AZE1i+DsqCeFJGT1KPqKxQEIWjwcfTX1Rq+1JRuaY3VnEj5MpF6ohVX2TAQKEBBJx6tRm2W1KwK3JyvwWp4qgvebPcsneB1aOMJiGLhvut+piWAs98k4WJyfcrYf42RMYiJ6fSJ2LlO4QdCAboTfQNQv9hu4tZmMSRJv5tp3nF1BinxN7/Kl0rTA+/K5u4yt3czBLArdYg5oRkXNcaUCzRt0t4x+AwU/ecsGZ2qmSpikquEMKS58+B/WdaYbPS6Hmo63JnlaFQHMtiTRhO+WRof9YpN2WE3BpxF86guse6ErqV4PyGDDQ2M5u11dxqNUC+hkdwFRCjCLzLp3uFh r"
	ecKey  = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGBqfMOmgevX+2rt+YjCMI7ruGWkci2AzeLoDDBFDkjFlITdwqzWd7/98caPx66vNM6Ir/IRBUWeK2G8uaLOraLJe8Nf4CzO/EHPTV0ZQET7syREJ9SGzXW/O6iVAxXOuA== e"
)

func TestCheckSSHKey(t *testing.T) {
	runChecks(t, "checkSSHKey", checkSSHKey, []checkCase{
		{edKey, true}, {edKey + " admin@example.org", true}, {edKey + " two words", true},
		{rsaKey, true}, {ecKey, true}, {"ecdsa-sha2-nistp256" + ecKey[19:], false},
		{"ssh-rsa " + edBlob, false}, {"ssh-dss " + edBlob, false}, {edKey[:40], false},
		{"ssh-ed25519 not-base64!", false}, {"ssh-ed25519", false}, {edKey + "\nssh-ed25519 " + edBlob, false},
		{`command="/bin/sh" ` + edKey, false}, {"ssh-ed25519 AAAA", false}, {edKey + " $(id)", false},
	})
}

func TestCheckRootLoginFirmware(t *testing.T) {
	runChecks(t, "checkRootLogin", checkRootLogin, []checkCase{
		{"yes", true}, {"no", true}, {"prohibit-password", true}, {"without-password", false}, {"No", false},
	})
	runChecks(t, "checkFirmware", checkFirmware, []checkCase{{"auto", true}, {"none", true}, {"yes", false}})
}

func TestCheckDisk(t *testing.T) {
	runChecks(t, "checkDisk(auto)", func(s string) error { return checkDisk(s, true) }, []checkCase{
		{"sd0", true}, {"wd1", true}, {"sd12", true}, {"auto", true},
		{"sd", false}, {"cd0", false}, {"sd0a", false}, {"/dev/sd0", false},
	})
	runChecks(t, "checkDisk(no auto)", func(s string) error { return checkDisk(s, false) }, []checkCase{
		{"sd0", true}, {"auto", false},
	})
	runChecks(t, "checkTable", checkTable, []checkCase{{"gpt", true}, {"mbr", true}, {"GPT", false}, {"msdos", false}})
}

func TestCheckMount(t *testing.T) {
	runChecks(t, "checkMount", checkMount, []checkCase{
		{"/", true}, {"/home", true}, {"/usr/local", true}, {"/usr/X11R6", true}, {"swap", true},
		{"home", false}, {"/home/", false}, {"/usr/../etc", false}, {"/my home", false},
		{"//home", false}, {"/home;rm", false}, {"SWAP", false}, {"raid", false},
	})
}

func TestCheckDoas(t *testing.T) {
	runChecks(t, "checkDoas", checkDoas, []checkCase{
		{"permit persist :wheel", true},
		{"permit persist keepenv :wheel", true},
		{"permit nopass alice as root cmd /sbin/reboot args", true},
		{"permit setenv { -ENV PS1=$DOAS_PS1 SSH_AUTH_SOCK } :wheel", true},
		{"permit setenv{A}:wheel", true},
		{"permit setenv {} :wheel", true},
		{"deny bob", true},
		{"deny bob as root cmd /bin/sh", true},
		{`permit alice cmd /usr/bin/printf args "two words"`, true},
		{"permit nolog 1000", true},
		{"", false},
		{"allow :wheel", false},
		{"permit", false},
		{"permit nopass persist :wheel", false},
		{"deny nopass bob", false},
		{"permit setenv { A } setenv { B } :wheel", false},
		{"permit setenv { A :wheel", false},
		{"permit setenv{setenv}0", false},
		{"permit setenv { nopass } :wheel", false},
		{"permit setenv { cmd=x } :wheel", true},
		{`permit setenv { "nopass" } :wheel`, true},
		{"permit 0 cmd \\\n", false},
		// doas limits each word to 1023 bytes, not the rule.
		{"permit setenv { " + strings.Repeat("FUGU_VAR ", 120) + "} :wheel", true},
		{"permit :wheel cmd /bin/ls args a\\\nb", false},
		{"permit :wheel cmd /bin/ls args a\\\tb", true},
		{"permit :wheel # comment", false},
		{"permit :wheel cmd /bin/sh args a#b", false},
		{`permit :wheel cmd "/bin/sh`, false},
		{"permit :wheel\npermit nopass bob", false},
		{"permit :wheel\\", false},
		{"permit :wheel as", false},
		{"permit :wheel cmd", false},
		{"permit :wheel extra", false},
		{`permit "nopass" bob`, false},
		{"permit Bob!", false},
		// An escape alone keeps a keyword, as in doas: this is permit
		// keepenv with no user.
		{`permit \keepenv`, false},
		{`permit \nopass bob`, false},
		{`permit bob cmd ls args \{`, false},
		{`permit \bob cmd \/bin/ls`, true},
		{"permit bob cmd /" + strings.Repeat("x", 1022), true},
		{"permit bob cmd /" + strings.Repeat("x", 1023), false},
		// Where doas wants a word, a keyword or a brace is a syntax
		// error; quoted, it is a word.
		{"deny 0 cmd }", false},
		{"permit permit", false},
		{"permit bob as cmd", false},
		{"permit bob cmd args", false},
		{"permit bob cmd ls args -l {", false},
		{"permit bob cmd ls args as root", false},
		{`permit bob cmd ls args "as" "{"`, true},
		{`permit "permit"`, true},
	})
}

func TestCheckFiles(t *testing.T) {
	runChecks(t, "checkFilePath", checkFilePath, []checkCase{
		{"/etc/sysctl.conf", true}, {"/home/peter/.xsession", true}, {"/etc/installurl", true}, {"/etc/X11/xenodm/Xsetup_0", true},
		{"etc/sysctl.conf", false}, {"/etc/", false}, {"/etc/../root/x", false}, {"/etc//x", false},
		{"/", false}, {"/etc/my file", false}, {"/etc/$x", false}, {"/etc/doas.conf", false},
		{"/etc/hostname.re0", false}, {"/install.site", false}, {"/etc/hostname.80:fa:5b:01:02:03", false},
		// Directories of the base system: install.site cannot put a file
		// there, and stops. Kernels: the installer's own.
		{"/etc", false}, {"/etc/ssh", false}, {"/usr/local", false}, {"/var/www", false}, {"/home", false},
		{"/bsd", false}, {"/bsd.mp", false}, {"/bsd.rd", false},
		{"/etc/ssh/sshd_config", true}, {"/var/www/htdocs/index.html", true}, {"/bsd.txt", true},
	})
	runChecks(t, "checkMode", checkMode, []checkCase{
		{"0644", true}, {"644", true}, {"0000", true}, {"7777", true}, {"4755", true},
		{"0888", false}, {"08", false}, {"rw-r--r--", false}, {"17777", false}, {"", false},
	})
	runChecks(t, "checkOwner", checkOwner, []checkCase{
		{"root", true}, {"root:wheel", true}, {"peter:staff", true}, {"1000:1000", true}, {"_spamd", true},
		{"root:", false}, {":wheel", false}, {"Root", false}, {"root:wheel:x", false}, {"ro ot", false},
	})
}

func TestCheckSets(t *testing.T) {
	runChecks(t, "checkServer", checkServer, []checkCase{
		{"http://192.0.2.10", true}, {"https://cdn.openbsd.org", true}, {"http://fugu.lan:8080", true},
		{"http://[2001:db8::1]:8080", true}, {"http://host/", true},
		{"ftp://host", false}, {"http://host/pub", false}, {"host", false}, {"http://user:pw@host", false},
		{"http://host:99999", false}, {"http://host?x=1", false}, {"http://ho st", false}, {"http://", false},
	})
	runChecks(t, "checkSetsDirectory", checkSetsDirectory, []checkCase{
		{"pub/OpenBSD/7.8/amd64", true}, {"/pub/OpenBSD/7.8/amd64", true}, {"snapshots/amd64", true},
		{"pub/../etc", false}, {"pub//x", false}, {"pub/x y", false}, {"", false}, {"./pub", false},
	})
	runChecks(t, "checkSelect", checkSelect, []checkCase{
		{"-game*", true}, {"+site*", true}, {"all", true}, {"-all", true}, {"bsd.mp", true}, {"x[bs]*", true},
		{"done", false}, {"abort", false}, {"+done", false}, {"--x", false}, {"+", false}, {"a b", false}, {"x[", false},
	})
	runChecks(t, "checkPackage", checkPackage, []checkCase{
		{"vim", true}, {"vim--no_x11", true}, {"python--%3.12", true}, {"python%3.12", true},
		{"firefox--", true}, {"vim-9.1.0707-no_x11", true}, {"p5-Foo-Bar", true},
		{"-vim", false}, {"vim gtk", false}, {"vim;rm", false}, {"", false}, {"vim%", false}, {"a%b%c", false},
		// Names pkg_add cannot find: an empty flavor, a stem ending in
		// a dash, a branch with a dash.
		{"vim-", false}, {"vim--gtk3--", false}, {"vim-9.1-", false}, {"py3--%3-12", false},
	})
	runChecks(t, "checkRelease", checkRelease, []checkCase{
		{"7.8", true}, {"6.9", true}, {"10.0", true}, {"7", false}, {"7.10", false}, {"v7.8", false}, {"78", false},
	})
	runChecks(t, "checkPassphrase", checkPassphrase, []checkCase{
		{"correct horse", true}, {"", false}, {" lead", false}, {"tab\tin", false},
	})
}

func TestSetVersion(t *testing.T) {
	for in, want := range map[string]string{"7.8": "78", "6.9": "69", "10.0": "100", "7.10": "", "x": ""} {
		if got := SetVersion(in); got != want {
			t.Errorf("SetVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCheckServerHidesPassword: a refused sets.server is quoted in its
// problem without the password of a user:password@ in it.
func TestCheckServerHidesPassword(t *testing.T) {
	for _, s := range []string{"http://bob:s3cr3t@host", "HTTP://bob:s3cr3t@host/pub", "ftp://bob:s3cr3t@host"} {
		err := checkServer(s)
		if err == nil {
			t.Fatalf("checkServer(%q) = nil, want a problem", s)
		}
		if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "bob:<redacted>@host") {
			t.Errorf("checkServer(%q) = %v, want the password shown as <redacted>", s, err)
		}
	}
}
