package hardware

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes f as indented JSON, the form scripts read.
func WriteJSON(w io.Writer, f *Facts) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonFacts(f))
}

// jsonFacts makes empty lists [] rather than null, so readers need no
// special case.
func jsonFacts(f *Facts) *Facts {
	c := *f
	if c.CPUs == nil {
		c.CPUs = []CPU{}
	}
	if c.Disks == nil {
		c.Disks = []Disk{}
	}
	if c.Interfaces == nil {
		c.Interfaces = []Interface{}
	}
	if c.Graphics == nil {
		c.Graphics = []Device{}
	}
	if c.NotConfigured == nil {
		c.NotConfigured = []NotConfigured{}
	}
	if c.Firmware == nil {
		c.Firmware = []Firmware{}
	}
	return &c
}

// WriteText writes a compact summary of f, the kind pasted into a mail to
// a mailing list: one fact per line, lists aligned, devices no driver took
// at the end.
func WriteText(w io.Writer, f *Facts) error {
	var b strings.Builder
	row := func(label, value string) { fmt.Fprintf(&b, "%-12s%s\n", label, value) }
	rows := func(label string, cells [][]string, none string) {
		if len(cells) == 0 {
			row(label, none)
			return
		}
		for i, l := range aligned(cells) {
			if i > 0 {
				label = ""
			}
			row(label, l)
		}
	}
	row("system:", headline(f))
	if f.Kernel != "" {
		row("kernel:", f.Kernel)
	}
	row("cpu:", cpuSummary(f.CPUs))
	row("memory:", memorySummary(f.MemoryBytes))
	row("hypervisor:", orNone(f.Hypervisor, "none seen"))
	row("firmware:", orNone(strings.Join(packageNames(f.Firmware), " "), "none needed"))
	var cells [][]string
	for _, g := range f.Graphics {
		cells = append(cells, []string{g.Name, g.Description})
	}
	rows("graphics:", cells, "none seen")
	cells = nil
	for _, d := range f.Disks {
		cells = append(cells, []string{d.Name, HumanBytes(d.SizeBytes), orNone(d.Model, "?"), diskFlags(d)})
	}
	rows("disks:", cells, "none seen")
	cells = nil
	for _, n := range f.Interfaces {
		cells = append(cells, []string{n.Name, kind(n), orNone(n.MAC, "MAC not shown")})
	}
	rows("network:", cells, "none seen")
	for _, n := range f.Notes {
		row("note:", n)
	}
	if len(f.NotConfigured) > 0 {
		fmt.Fprintf(&b, "not configured (%d):\n", len(f.NotConfigured))
		for _, nc := range groupNotConfigured(f.NotConfigured) {
			fmt.Fprintf(&b, "  %s\n", nc)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// aligned lays cells out in columns two blanks apart.
func aligned(cells [][]string) []string {
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	for _, c := range cells {
		fmt.Fprintln(tw, strings.Join(c, "\t"))
	}
	tw.Flush()
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return lines
}

// WriteMarkdown writes f as a Markdown section for a ticket or a wiki.
func WriteMarkdown(w io.Writer, f *Facts) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", md(headline(f)))
	b.WriteString("| | |\n|---|---|\n")
	if f.Kernel != "" {
		fmt.Fprintf(&b, "| Kernel | %s |\n", md(f.Kernel))
	}
	fmt.Fprintf(&b, "| CPU | %s |\n| Memory | %s |\n| Hypervisor | %s |\n\n",
		md(cpuSummary(f.CPUs)), md(memorySummary(f.MemoryBytes)), md(orNone(f.Hypervisor, "none seen")))
	if len(f.Disks) > 0 {
		b.WriteString("### Disks\n\n| Disk | Size | Model | Kind |\n|---|---:|---|---|\n")
		for _, d := range f.Disks {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", md(d.Name), HumanBytes(d.SizeBytes), md(d.Model), md(diskFlags(d)))
		}
		b.WriteString("\n")
	}
	if len(f.Interfaces) > 0 {
		b.WriteString("### Network interfaces\n\n| Interface | Driver | Kind | MAC |\n|---|---|---|---|\n")
		for _, n := range f.Interfaces {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", md(n.Name), md(n.Driver), kind(n), md(orNone(n.MAC, "not shown")))
		}
		b.WriteString("\n")
	}
	if len(f.Graphics) > 0 {
		b.WriteString("### Graphics\n\n")
		for _, g := range f.Graphics {
			fmt.Fprintf(&b, "- %s: %s\n", md(g.Name), md(g.Description))
		}
		b.WriteString("\n")
	}
	b.WriteString("### Firmware (as fw_update decides)\n\n")
	if len(f.Firmware) == 0 {
		b.WriteString("None needed.\n\n")
	} else {
		b.WriteString("| Package | Matched dmesg line |\n|---|---|\n")
		for _, fw := range f.Firmware {
			fmt.Fprintf(&b, "| %s | %s |\n", md(fw.Package), code(fw.Line))
		}
		b.WriteString("\n")
	}
	if len(f.NotConfigured) > 0 {
		fmt.Fprintf(&b, "### Not configured (%d)\n\n", len(f.NotConfigured))
		for _, nc := range groupNotConfigured(f.NotConfigured) {
			fmt.Fprintf(&b, "- %s\n", md(nc))
		}
		b.WriteString("\n")
	}
	for _, n := range f.Notes {
		fmt.Fprintf(&b, "> Note: %s\n\n", md(n))
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// headline is "OpenBSD 7.2 amd64, LENOVO 20T6003BRT".
func headline(f *Facts) string {
	s := strings.TrimSpace("OpenBSD " + orNone(f.Version, "(version unknown)") + " " + f.Arch)
	if f.Machine != "" {
		s += ", " + f.Machine
	}
	return s
}

func cpuSummary(cpus []CPU) string {
	if len(cpus) == 0 {
		return "none seen"
	}
	var order []string
	count := map[string]int{}
	for _, c := range cpus {
		m := orNone(c.Model, "model not shown")
		if c.NotConfigured {
			m = "not configured"
		}
		if count[m] == 0 {
			order = append(order, m)
		}
		count[m]++
	}
	parts := make([]string, len(order))
	for i, m := range order {
		parts[i] = fmt.Sprintf("%d x %s", count[m], m)
	}
	return strings.Join(parts, ", ")
}

func memorySummary(n int64) string {
	if n <= 0 {
		return "not shown"
	}
	return fmt.Sprintf("%s (%d bytes)", HumanBytes(n), n)
}

// HumanBytes formats a size in binary units, as df -h does: 7.2G, 238G.
func HumanBytes(n int64) string {
	if n <= 0 {
		return "?"
	}
	units := []string{"B", "K", "M", "G", "T", "P", "E"}
	v := float64(n)
	u := 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if v < 100 && u > 0 {
		return fmt.Sprintf("%.1f%s", v, units[u])
	}
	return fmt.Sprintf("%.0f%s", v, units[u])
}

func diskFlags(d Disk) string {
	var fl []string
	if d.SSD {
		fl = append(fl, "SSD")
	}
	if d.USB {
		fl = append(fl, "USB")
	}
	return strings.Join(fl, ", ")
}

func kind(n Interface) string {
	if n.Wireless {
		return "wireless"
	}
	return "wired"
}

func packageNames(fw []Firmware) []string {
	out := make([]string, len(fw))
	for i, f := range fw {
		out[i] = f.Package
	}
	return out
}

// groupNotConfigured lists each distinct device once, with a count.
func groupNotConfigured(ncs []NotConfigured) []string {
	var order []NotConfigured
	count := map[NotConfigured]int{}
	for _, nc := range ncs {
		if count[nc] == 0 {
			order = append(order, nc)
		}
		count[nc]++
	}
	out := make([]string, len(order))
	for i, nc := range order {
		out[i] = nc.Description + " at " + nc.Parent
		if count[nc] > 1 {
			out[i] += fmt.Sprintf(" (x%d)", count[nc])
		}
	}
	return out
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)

func md(s string) string { return mdEscaper.Replace(s) }

// code quotes s as inline code; a pipe still needs escaping in a table.
func code(s string) string {
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != '`' {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	fence := strings.Repeat("`", longest+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + strings.ReplaceAll(s, "|", `\|`) + pad + fence
}
