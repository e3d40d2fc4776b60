package firewall

import (
	"fmt"
	"strings"
	"testing"
)

// TestURLProblemsHideCredentials: a URL-valued field that is refused is
// quoted in its problem, and a user:password@ in it must not be: problems
// are printed and logged.
func TestURLProblemsHideCredentials(t *testing.T) {
	tests := []struct {
		name string
		edit func(g *MailGW)
		path string
	}{
		{"peer url", func(g *MailGW) {
			g.Peers.MergeSources = []PeerSource{{Name: "p", URL: "https://bob:s3cr3t@peer.example.org/list txt"}}
		}, "peers.merge_sources[0].url"},
		{"peer url, no scheme", func(g *MailGW) {
			g.Peers.MergeSources = []PeerSource{{Name: "p", URL: "ftp://bob:s3cr3t@peer.example.org/list"}}
		}, "peers.merge_sources[0].url"},
		{"blacklist file", func(g *MailGW) {
			g.Blacklists = []Blacklist{{Name: "x", Type: "black", Method: "https", File: "bob:s3cr3t@example.org/x", Msg: "no"}}
		}, "blacklists[0].file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &MailGW{EgressInterface: "em0"}
			tt.edit(g)
			ps := g.Validate()
			text := fmt.Sprint(ps)
			if !strings.Contains(text, tt.path) {
				t.Fatalf("problems %v: want one at %s", ps, tt.path)
			}
			if strings.Contains(text, "s3cr3t") {
				t.Errorf("problems %v show the password", ps)
			}
			if !strings.Contains(text, "bob:"+redactedPassword+"@") {
				t.Errorf("problems %v: want the URL shown as bob:%s@...", ps, redactedPassword)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://bob:pw@host/x", "https://bob:" + redactedPassword + "@host/x"},
		{"bob:pw@host/x", "bob:" + redactedPassword + "@host/x"},
		{"https://bob@host/x", "https://bob@host/x"},
		{"https://host/x?a=b@c:d", "https://host/x?a=b@c:d"},
		{"http://a:b:c@d@host:80/", "http://a:" + redactedPassword + "@host:80/"},
		{"/var/db/x", "/var/db/x"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
