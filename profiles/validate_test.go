package profiles

import (
	"errors"
	"strings"
	"testing"
)

// TestValidateProfile checks the rules that look at more than one value:
// each case is a profile body (root's hash is added) and the problems it
// must produce, as "LINE:COL: path: message-prefix".
func TestValidateProfile(t *testing.T) {
	head := "root: {password_hash: \"" + goodHash + "\"}\n" // line 1
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"valid laptop bits", "x11: {enabled: true, xenodm: true}\nnetwork:\n  interfaces:\n    - {name: 80-FA-5B-01-02-03, ipv4: dhcp}\n", nil},
		{"xenodm without X", "x11: {enabled: false, xenodm: true}\n", []string{"2:31: x11.xenodm: xenodm needs X"}},
		{"duplicate interface", "network:\n  interfaces:\n    - {name: em0}\n    - {name: em0}\n",
			[]string{"5:14: network.interfaces[1].name: interface em0 is already configured"}},
		{"interface without name", "network:\n  interfaces:\n    - {ipv4: dhcp}\n",
			[]string{"4:7: network.interfaces[0].name: required"}},
		{"gateway6 without static", "network:\n  interfaces:\n    - {name: em0, ipv6: autoconf}\n  gateway6: 2001:db8::1\n",
			[]string{"5:13: network.gateway6: only used with a static ipv6"}},
		{"bad gateway and nameserver", "network:\n  gateway: 2001:db8::1\n  nameservers: [192.0.2.1, dns.example.org]\n",
			[]string{"3:12: network.gateway: \"2001:db8::1\" is not an IPv4 address", "4:28: network.nameservers[1]: \"dns.example.org\" is not an IP address"}},
		{"wireless", "network:\n  interfaces:\n    - name: iwm0\n      wireless:\n        networks:\n          - {ssid: home, wpa_key: short}\n          - {wpa_key: \"long enough\"}\n",
			[]string{"7:35: network.interfaces[0].wireless.networks[0].wpa_key: WPA passphrase must be 8 to 63 characters (found 5)", "8:13: network.interfaces[0].wireless.networks[1].ssid: ssid is empty"}},
		{"swap twice", "disks:\n  root:\n    swap: 2x\n    partitions:\n      - {mount: /, size: 1G}\n      - {mount: swap, size: 4G}\n",
			[]string{"7:17: disks.root.partitions[1].mount: swap is also set by disks.root.swap"}},
		{"extra disks", "disks:\n  root: {device: sd0, partitions: [{mount: /, size: rest}]}\n  extra:\n    - {device: sd0, partitions: [{mount: /, size: rest}]}\n    - {table: mbr}\n",
			[]string{
				"5:16: disks.extra[0].device: disk sd0 is already used by disks.root",
				"5:42: disks.extra[0].partitions[0].mount: / belongs on the root disk",
				"5:42: disks.extra[0].partitions[0].mount: mount point / is given twice",
				"6:7: disks.extra[1].device: required for an extra disk",
				"6:7: disks.extra[1].partitions: required for an extra disk",
			}},
		{"encryption", "disks:\n  root:\n    encrypt: {passphrase: \"\"}\n", []string{"4:27: disks.root.encrypt.passphrase: required"}},
		{"doas", "doas:\n  - permit nopass persist :wheel\n", []string{"3:5: doas[0]: doas rule nopass and persist cannot be combined"}},
		{"files", "files:\n  /etc/doas.conf: {content: x}\n  /etc/motd: {mode: \"999\", owner: \"root wheel\", content: \"hi\\n\"}\n",
			[]string{
				"3:3: files[\"/etc/doas.conf\"]: /etc/doas.conf is written by fugu from the doas key",
				"4:21: files[\"/etc/motd\"].mode: \"999\" is not an octal mode",
				"4:35: files[\"/etc/motd\"].owner: \"root wheel\" is not an owner",
			}},
		{"files without content", "files:\n  /etc/motd: {mode: \"0644\", content: }\n  /etc/issue: {content: ~}\n  /etc/empty: {content: \"\"}\n  /etc/none: ~\n",
			[]string{
				"3:38: files[\"/etc/motd\"].content: empty (YAML reads content: with no value as null; write \"\" for an empty file)",
				"4:25: files[\"/etc/issue\"].content: empty (YAML reads content: with no value as null; write \"\" for an empty file)",
				"6:14: files[\"/etc/none\"].content: required",
			}},
		{"user without login", "user: {full_name: Bob, password_hash: \"*************\"}\n", []string{"2:7: user.login: required"}},
		{"mailgw problems are located", "roles:\n  mailgw: {}\n", []string{"3:11: roles.mailgw.egress_interface: required"}},
		{"release arch firmware", "release: \"7.10\"\narch: vax\nfirmware: yes\n",
			[]string{"2:10: release: \"7.10\" is not an OpenBSD release", "3:7: arch: \"vax\" is not an OpenBSD architecture", "4:11: firmware: \"yes\" is not a firmware setting"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadProfileFile("p.yaml", []byte(head+c.body))
			var ps Problems
			if err != nil && !errors.As(err, &ps) {
				t.Fatalf("LoadProfileFile error %v is not Problems", err)
			}
			if len(ps) != len(c.want) {
				t.Fatalf("problems:\n%v\nwant %d:\n%s", err, len(c.want), strings.Join(c.want, "\n"))
			}
			for i, p := range ps {
				if s := strings.TrimPrefix(p.String(), "p.yaml:"); !strings.HasPrefix(s, c.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, s, c.want[i])
				}
			}
		})
	}
}
