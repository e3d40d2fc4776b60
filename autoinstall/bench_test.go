package autoinstall

import (
	"bytes"
	"fmt"
	"testing"

	"fugu/hardware"
	"fugu/profiles"
)

// BenchmarkRenderExampleSite parses the dmesg of, plans and renders every
// machine of the embedded example site (goal: under 50 ms per run).
func BenchmarkRenderExampleSite(b *testing.B) {
	site, err := profiles.Load(profiles.ExampleSite())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, m := range site.Machines {
			var facts *hardware.Facts
			if len(m.Dmesg) > 0 {
				if facts, err = hardware.Parse(bytes.NewReader(m.Dmesg)); err != nil {
					b.Fatal(err)
				}
			}
			p, err := NewPlan(m, facts, testOptions())
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Render(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLint lints the example laptop's install.conf.
func BenchmarkLint(b *testing.B) {
	m, _ := exampleMachine(b, "delilah")
	p, err := NewPlan(m, nil, testOptions())
	if err != nil {
		b.Fatal(err)
	}
	f, err := Render(p)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if fs := Lint(f.InstallConf, ModeInstall); len(fs) > 0 {
			b.Fatal(fs)
		}
	}
}

var fmtSscan = fmt.Sscan
