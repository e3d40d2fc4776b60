package main

import (
	"io"
	"strings"
	"testing"
)

// TestHelpHasExitStatus requires the commands scripts run to check things
// or change the site to document their exit codes in their own --help:
// at least success (0) and bad usage or invalid input (2) of errors.go.
func TestHelpHasExitStatus(t *testing.T) {
	for _, path := range [][]string{
		{"profile", "validate"},
		{"firewall", "check"},
		{"firewall", "render"},
		{"firewall", "apply"},
		{"firewall", "confirm"},
		{"lint"},
		{"machine", "list"},
		{"machine", "rearm"},
		{"machine", "enroll"},
		{"hw", "report"},
		{"serve"},
		{"render"},
		{"pkg", "diff"},
		{"profile", "show"},
		{"profile", "init"},
		{"passwd"},
	} {
		root := newRootCmd(&Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard})
		c, _, err := root.Find(path)
		if err != nil {
			t.Fatalf("fugu %s: %v", strings.Join(path, " "), err)
		}
		_, section, ok := strings.Cut(c.Long, "\nEXIT STATUS\n")
		if !ok {
			t.Errorf("%s --help has no EXIT STATUS section", c.CommandPath())
			continue
		}
		for _, code := range []string{"  0  ", "  2  "} {
			if !strings.Contains(section, code) {
				t.Errorf("%s --help: EXIT STATUS does not explain %q", c.CommandPath(), strings.TrimSpace(code))
			}
		}
	}
}
