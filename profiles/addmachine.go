package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrDuplicate is wrapped by AddMachine's error when the inventory already
// has a machine of that name or with one of its MACs. Test for it with
// errors.Is; the error's text says which name or MAC clashes and does not
// repeat this one's.
var ErrDuplicate = errors.New("profiles: machine already in inventory")

// duplicateError says what clashes, in words meant for the user, and is
// ErrDuplicate for errors.Is.
type duplicateError struct{ msg string }

func (e *duplicateError) Error() string        { return e.msg }
func (e *duplicateError) Is(target error) bool { return target == ErrDuplicate }

// AddMachine returns machines.yaml (src) with e appended to machines:,
// keeping the rest of the file byte for byte (comments, blank lines, key
// order). e's MACs are normalised. It refuses an invalid entry, and a name
// or MAC the inventory already has (wrapping ErrDuplicate). Whether e's
// profile exists is for Load to say, since src alone cannot tell.
func AddMachine(src []byte, e MachineEntry) ([]byte, error) {
	out, err := addMachine(src, e)
	if err != nil || !crlfLines(src) {
		return out, err
	}
	// A file written with CRLF line ends (by a Windows editor) keeps them:
	// the new lines get them too. YAML reads both the same.
	out = bytes.ReplaceAll(bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	return out, nil
}

// crlfLines reports whether every line of src ends in CRLF.
func crlfLines(src []byte) bool {
	n := bytes.Count(src, []byte("\n"))
	return n > 0 && bytes.Count(src, []byte("\r\n")) == n
}

func addMachine(src []byte, e MachineEntry) ([]byte, error) {
	if err := checkEntry(&e); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		// parseYAML places the error: file, line and column.
		if _, ps := parseYAML(InventoryFile, src, origin{}); len(ps) > 0 {
			return nil, fmt.Errorf("add machine %s: %s", e.Name, ps[0])
		}
		return nil, fmt.Errorf("add machine %s: %s is not valid YAML: %w", e.Name, InventoryFile, err)
	}
	var top *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
		top = doc.Content[0]
	} else if doc.Kind != 0 && !(len(doc.Content) == 1 && isNull(doc.Content[0])) {
		return nil, fmt.Errorf("add machine %s: %s does not hold a mapping at the top", e.Name, InventoryFile)
	}
	var inv Inventory
	if top != nil {
		if err := top.Decode(&inv); err != nil {
			return nil, fmt.Errorf("add machine %s: read %s: %w", e.Name, InventoryFile, err)
		}
	}
	if err := checkDuplicate(inv.Machines, e); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(e); err != nil {
		return nil, fmt.Errorf("add machine %s: %w", e.Name, err)
	}
	item := buf.Bytes()
	// Text insertion keeps the file byte for byte; if the file has a shape
	// it cannot handle (or the result would read differently), go through
	// the node tree, which keeps comments but re-indents.
	if out, ok := appendText(src, top, item); ok && sameBut(out, inv, e) {
		return out, nil
	}
	if doc.Kind == 0 && len(bytes.TrimSpace(src)) > 0 {
		// Only comments (every machine commented out, say): the node
		// tree has nowhere to keep them, so machines: goes below them.
		out := bytes.Clone(src)
		if !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, '\n')
		}
		out = append(out, "machines:\n"+entryText(item, 2, 2)...)
		if sameBut(out, inv, e) {
			return out, nil
		}
	}
	out, err := appendNode(&doc, top, e)
	if err != nil {
		return nil, err
	}
	if !sameBut(out, inv, e) {
		return nil, fmt.Errorf("add machine %s: could not add it to %s without changing its meaning (edit it by hand)", e.Name, InventoryFile)
	}
	return out, nil
}

// sameBut reports whether out reads as inv with e appended.
func sameBut(out []byte, inv Inventory, e MachineEntry) bool {
	var check Inventory
	n := len(inv.Machines)
	if yaml.Unmarshal(out, &check) != nil || len(check.Machines) != n+1 {
		return false
	}
	for i := range n {
		if !reflect.DeepEqual(check.Machines[i], inv.Machines[i]) {
			return false
		}
	}
	return reflect.DeepEqual(check.Machines[n], e) &&
		reflect.DeepEqual(check.Defaults, inv.Defaults)
}

// checkEntry validates and normalises the fields AddMachine can check.
func checkEntry(e *MachineEntry) error {
	var errs []string
	if err := checkHostname(e.Name); err != nil {
		errs = append(errs, "name: "+err.Error())
	}
	if e.Profile == "" || !profileNameRE.MatchString(e.Profile) {
		errs = append(errs, fmt.Sprintf("profile: %q is not a profile name", e.Profile))
	}
	if m, err := NormalizeMAC(e.MAC); e.MAC != "" && err != nil {
		errs = append(errs, "mac: "+err.Error())
	} else if e.MAC != "" {
		e.MAC = m
	}
	e.MACs = append([]string(nil), e.MACs...)
	for i, raw := range e.MACs {
		m, err := NormalizeMAC(raw)
		if err != nil {
			errs = append(errs, "macs: "+err.Error())
			continue
		}
		e.MACs[i] = m
	}
	if e.Memory != "" {
		if _, err := ParseSize(e.Memory); err != nil {
			errs = append(errs, "memory: "+err.Error())
		}
	}
	if e.Dmesg != "" && checkLine(e.Dmesg) != nil {
		errs = append(errs, "dmesg: not a single-line path")
	}
	if len(errs) > 0 {
		return fmt.Errorf("add machine %q: %s", e.Name, strings.Join(errs, "; "))
	}
	return nil
}

func checkDuplicate(have []MachineEntry, e MachineEntry) error {
	mine := make(map[string]bool)
	for _, m := range append([]string{e.MAC}, e.MACs...) {
		if m != "" {
			mine[m] = true
		}
	}
	for _, h := range have {
		if h.Name == e.Name {
			return &duplicateError{fmt.Sprintf("add machine %s: a machine of that name is already listed", e.Name)}
		}
		for _, raw := range append([]string{h.MAC}, h.MACs...) {
			if m, err := NormalizeMAC(raw); err == nil && mine[m] {
				return &duplicateError{fmt.Sprintf("add machine %s: MAC %s already belongs to machine %s", e.Name, m, h.Name)}
			}
		}
	}
	return nil
}

// appendText adds item as a new last entry of a non-empty block sequence
// under machines:, as text, indented like the entries before it. It
// reports false when the file has another shape.
func appendText(src []byte, top *yaml.Node, item []byte) ([]byte, bool) {
	if top == nil || otherBreaks(src) {
		return nil, false
	}
	var seq *yaml.Node
	next := 0 // line of the top-level key after machines:, 0 if none
	for i := 0; i+1 < len(top.Content); i += 2 {
		if seq != nil && next == 0 {
			next = top.Content[i].Line
		}
		if top.Content[i].Value == "machines" {
			seq = top.Content[i+1]
		}
	}
	if seq == nil || seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
		return nil, false
	}
	lines := strings.SplitAfter(string(src), "\n")
	first := seq.Content[0]
	if first.Line < 1 || first.Line > len(lines) || first.Kind != yaml.MappingNode || first.Style&yaml.FlowStyle != 0 {
		return nil, false
	}
	// The dash sits left of the first key: "  - name: x" has the key at
	// column 5 and the dash at column 3.
	prefix := lines[first.Line-1][:min(first.Column-1, len(lines[first.Line-1]))]
	dash := strings.LastIndex(prefix, "-")
	if dash < 0 || strings.TrimSpace(prefix[:dash]) != "" {
		return nil, false
	}
	gap := first.Column - 1 - dash // columns from the dash to the key
	var entry strings.Builder
	// Entries separated by blank lines get one too.
	last := seq.Content[len(seq.Content)-1]
	if last.Line >= 2 && strings.TrimSpace(lines[last.Line-2]) == "" {
		entry.Reset()
		entry.WriteString("\n")
		entry.WriteString(strings.Join(strings.SplitAfter(entryText(item, dash, gap), "\n"), ""))
	} else {
		entry.Reset()
		entry.WriteString(entryText(item, dash, gap))
	}
	// Insert before the next top-level key (or the end of the file) and
	// the comments and blank lines that lead up to it...
	at := len(lines)
	if next > 0 {
		at = next - 1
	}
	for at > 0 {
		t := strings.TrimSpace(lines[at-1])
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		at--
	}
	// ...but after the comments indented as the last entry's keys: they
	// belong to it (a commented-out key such as the starter's # dmesg:),
	// and would otherwise seem to belong to the new machine. Lines at
	// that indentation may also be the rest of a block scalar.
	at = entryTail(lines, at, last.Column-1)
	if at > 0 && !strings.HasSuffix(lines[at-1], "\n") {
		lines[at-1] += "\n"
	}
	var out bytes.Buffer
	for _, l := range lines[:at] {
		out.WriteString(l)
	}
	out.WriteString(entry.String())
	for _, l := range lines[at:] {
		out.WriteString(l)
	}
	return out.Bytes(), true
}

// otherBreaks reports whether src has a line break other than \n and
// \r\n (a lone \r, or NEL, LS, PS): yaml.v3 counts lines by them, so its
// line numbers would not be those of src split at \n.
func otherBreaks(src []byte) bool {
	s := strings.ReplaceAll(string(src), "\r\n", "\n")
	return strings.ContainsAny(s, "\r\u0085\u2028\u2029")
}

// entryTail returns the index of the first line from i on that is not
// part of the entry ending before it: comment lines indented at least to
// keyCol (0-based) belong to the entry, as do blank lines between them.
func entryTail(lines []string, i, keyCol int) int {
	end := i
	for j := i; j < len(lines); j++ {
		l := strings.TrimRight(lines[j], "\r\n")
		t := strings.TrimLeft(l, " \t")
		switch {
		case t == "":
			continue
		case strings.HasPrefix(t, "#") && len(l)-len(t) >= keyCol:
			end = j + 1
		default:
			return end
		}
	}
	return end
}

// entryText indents a marshalled entry as a list item whose dash is at
// column dash (0-based) and whose keys are gap columns further.
func entryText(item []byte, dash, gap int) string {
	var b strings.Builder
	for i, l := range strings.SplitAfter(strings.TrimSuffix(string(item), "\n"), "\n") {
		if i == 0 {
			b.WriteString(strings.Repeat(" ", dash) + "-" + strings.Repeat(" ", gap-1) + l)
		} else {
			b.WriteString(strings.Repeat(" ", dash+gap) + l)
		}
	}
	return b.String() + "\n"
}

// appendNode adds e through the YAML node tree: comments survive, but the
// file is re-indented. Used when machines: is missing, empty or in flow
// style.
func appendNode(doc, top *yaml.Node, e MachineEntry) ([]byte, error) {
	if top == nil {
		top = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		*doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}, HeadComment: doc.HeadComment, FootComment: doc.FootComment}
	}
	var item yaml.Node
	if err := item.Encode(e); err != nil {
		return nil, fmt.Errorf("add machine %s: %w", e.Name, err)
	}
	seq := lookup(top, "machines")
	if seq == nil {
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "machines"}, seq)
	}
	if isNull(seq) {
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", LineComment: seq.LineComment}
	}
	if seq.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("add machine %s: machines: in %s is not a list", e.Name, InventoryFile)
	}
	if seq.Style&yaml.FlowStyle != 0 {
		// A block list cannot carry the flow list's line comment; keep it
		// on the key.
		seq.Style = 0
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i+1] == seq && seq.LineComment != "" {
				top.Content[i].LineComment = seq.LineComment
				seq.LineComment = ""
			}
		}
	}
	seq.Content = append(seq.Content, &item)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("add machine %s: %w", e.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("add machine %s: %w", e.Name, err)
	}
	return out.Bytes(), nil
}
