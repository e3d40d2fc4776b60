package migrate

import (
	"fmt"
	"io"
	"strings"
)

// WriteText prints the plan for people: packages, interface renames,
// files with their diffs (secrets redacted), crontabs, what is not
// copied and why, and notes.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "migration plan: %s -> %s\n", p.From, p.To)
	pp := p.Packages
	fmt.Fprintf(&b, "\nPackages: %d to add, %d already installed, %d renamed, %d not installable\n",
		len(pp.Add), len(pp.Present), len(pp.Replaced), len(pp.Missing))
	replaced := map[string]Replacement{}
	for _, r := range pp.Replaced {
		replaced[r.To.String()] = r
	}
	for _, n := range pp.Add {
		fmt.Fprintf(&b, "  add      %s", n)
		if r, ok := replaced[n.String()]; ok {
			fmt.Fprintf(&b, "  (instead of %s: %s)", r.From, r.Reason)
		}
		b.WriteString("\n")
	}
	for _, f := range pp.Missing {
		fmt.Fprintf(&b, "  missing  %s: %s\n", f.Name, f.Reason)
	}
	for _, n := range pp.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	if len(p.Interfaces) > 0 {
		b.WriteString("\nInterfaces:\n")
		for _, n := range p.Interfaces {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	b.WriteString("\nFiles:\n")
	if len(p.Files) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, f := range p.Files {
		fmt.Fprintf(&b, "  %-9s %s  %s", f.Action, f.Path, f.Mode)
		if f.From != "" {
			fmt.Fprintf(&b, "  (from %s)", f.From)
		}
		if f.CheckDoas && f.Action != Unchanged {
			b.WriteString("  (checked with doas -C first)")
		}
		b.WriteString("\n")
		for _, n := range f.Notes {
			fmt.Fprintf(&b, "    note: %s\n", n)
		}
		writeIndented(&b, f.Diff)
	}
	if len(p.Crontabs) > 0 {
		b.WriteString("\nCrontabs:\n")
		for _, c := range p.Crontabs {
			fmt.Fprintf(&b, "  %-9s %s\n", c.Action, c.User)
			for _, n := range c.Notes {
				fmt.Fprintf(&b, "    note: %s\n", n)
			}
			writeIndented(&b, c.Diff)
		}
	}
	if len(p.Skipped) > 0 {
		b.WriteString("\nNot copied:\n")
		for _, s := range p.Skipped {
			fmt.Fprintf(&b, "  %s: %s\n", s.Path, s.Reason)
		}
	}
	if len(p.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range p.Notes {
			fmt.Fprintf(&b, "  %s\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeIndented(b *strings.Builder, text string) {
	for _, l := range strings.SplitAfter(text, "\n") {
		if l != "" {
			b.WriteString("    ")
			b.WriteString(l)
		}
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		b.WriteString("\n")
	}
}
