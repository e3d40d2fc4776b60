package serve

import (
	"bytes"
	"fmt"

	"fugu/autoinstall"
	"fugu/hardware"
	"fugu/profiles"
)

// Options are the request-dependent inputs of a render: where the
// installer reaches this server, which release and arch it runs, the
// callback URLs and the mirror's files.
type Options = autoinstall.Options

// Files are a machine's rendered files, as the installer fetches them.
type Files = autoinstall.Files

// Renderer turns a machine and request options into its files. It must be
// a pure function of its inputs: results are cached per snapshot.
type Renderer interface {
	Render(m *profiles.Machine, opts Options) (*Files, error)
}

// Autoinstall is the Renderer of package autoinstall: it reads the
// machine's dmesg (when machines.yaml names one) for hardware facts, makes
// the plan and renders it.
type Autoinstall struct{}

// Render implements Renderer.
func (Autoinstall) Render(m *profiles.Machine, opts Options) (*Files, error) {
	var facts *hardware.Facts
	if len(m.Dmesg) > 0 {
		f, err := hardware.Parse(bytes.NewReader(m.Dmesg))
		if err != nil {
			return nil, fmt.Errorf("read dmesg of %s: %w", m.Name, err)
		}
		facts = f
	}
	p, err := autoinstall.NewPlan(m, facts, opts)
	if err != nil {
		return nil, err
	}
	return autoinstall.Render(p)
}
