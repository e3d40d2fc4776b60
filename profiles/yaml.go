package profiles

import (
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// WriteYAML writes p as a profile file (two-space indent, keys in
// PROFILE.md order). It writes secrets as they are: call Redacted first
// for anything a person or a log will see.
func (p *Profile) WriteYAML(w io.Writer) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	return nil
}
