package serve

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"fugu/profiles"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestWriteDHCPD compares the stanzas for the example site with
// testdata/dhcpd/*.conf (regenerate with go test ./autoinstall/serve -update).
func TestWriteDHCPD(t *testing.T) {
	site := loadSite(t, profiles.ExampleSite())
	for _, tc := range []struct {
		golden string
		cfg    DHCPDConfig
	}{
		{"openbsd.conf", DHCPDConfig{Server: netip.MustParseAddr("192.0.2.10"), Format: FormatOpenBSD}},
		{"isc.conf", DHCPDConfig{Server: netip.MustParseAddr("192.0.2.10"), Format: FormatISC}},
		{"openbsd-prefix.conf", DHCPDConfig{Server: netip.MustParseAddr("192.0.2.10"), Prefix: "fugu", Source: "site"}},
	} {
		var b bytes.Buffer
		if err := WriteDHCPD(&b, site, tc.cfg); err != nil {
			t.Fatalf("%s: %v", tc.golden, err)
		}
		path := filepath.Join("testdata", "dhcpd", tc.golden)
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			os.WriteFile(path, b.Bytes(), 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("WriteDHCPD(%s) =\n%s\nwant\n%s", tc.golden, b.Bytes(), want)
		}
	}
}

func TestWriteDHCPDRefuses(t *testing.T) {
	site := loadSite(t, profiles.ExampleSite())
	for _, cfg := range []DHCPDConfig{
		{Server: netip.MustParseAddr("2001:db8::1")}, {Server: netip.MustParseAddr("0.0.0.0")},
		{Server: netip.MustParseAddr("224.0.0.1")}, {Server: netip.MustParseAddr("255.255.255.255")}, {},
		{Server: netip.MustParseAddr("192.0.2.10"), Format: "bind"},
		{Server: netip.MustParseAddr("192.0.2.10"), Prefix: "a\";"},
		{Server: netip.MustParseAddr("192.0.2.10"), Prefix: "../x"},
		// fugu serve's own words: /sets/MAC-install.conf is no answers file to it
		{Server: netip.MustParseAddr("192.0.2.10"), Prefix: "sets"},
		{Server: netip.MustParseAddr("192.0.2.10"), Prefix: "template"},
		{Server: netip.MustParseAddr("192.0.2.10"), Prefix: "api"},
	} {
		if err := WriteDHCPD(&bytes.Buffer{}, site, cfg); err == nil {
			t.Errorf("WriteDHCPD(%+v) succeeded, want an error", cfg)
		}
	}
	// assert that: the site's path cannot end the header comment.
	var b bytes.Buffer
	if err := WriteDHCPD(&b, site, DHCPDConfig{Server: netip.MustParseAddr("192.0.2.10"), Source: "site\nhost evil { }"}); err != nil || bytes.Contains(b.Bytes(), []byte("\nhost evil")) {
		t.Errorf("a newline in the site path reached the output (%v):\n%s", err, b.Bytes())
	}
	// assert that: every prefix written is one fugu serve answers below
	for _, prefix := range []string{"fugu", "pxe-7_8"} {
		if err := WriteDHCPD(&bytes.Buffer{}, site, DHCPDConfig{Server: netip.MustParseAddr("192.0.2.10"), Prefix: prefix}); err != nil {
			t.Errorf("WriteDHCPD prefix %q: %v", prefix, err)
		}
		if r, err := ParseRequest("/" + prefix + "/" + laptopMAC + "-install.conf?path=7.8/amd64"); err != nil || r.Prefix != prefix+"/" {
			t.Errorf("ParseRequest below prefix %q = %+v, %v", prefix, r, err)
		}
	}
	bad := &profiles.Site{Machines: []*profiles.Machine{{Name: "x", MACs: []string{"00:11:22:33:44:55;"}}}}
	if err := WriteDHCPD(&bytes.Buffer{}, bad, DHCPDConfig{Server: netip.MustParseAddr("192.0.2.10")}); err == nil {
		t.Error("a MAC with a ; was written")
	}
}
