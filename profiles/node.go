package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// origin remembers which file every YAML node came from, so that a value
// merged from a base profile or a machine override is reported where it
// was written.
type origin map[*yaml.Node]string

func (o origin) mark(n *yaml.Node, file string) {
	if n == nil {
		return
	}
	o[n] = file
	for _, c := range n.Content {
		o.mark(c, file)
	}
}

var (
	yamlLine    = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	typeErrLine = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// parseYAML parses one file into the mapping node at its top. An empty
// file is an empty mapping. Syntax errors, a top level that is not a
// mapping, aliases (which would let one value hide in another's place)
// and null list items (which decoding drops) are reported as problems.
func parseYAML(file string, data []byte, o origin) (*yaml.Node, Problems) {
	if ps := hiddenBreaks(file, utf8Text(data)); len(ps) > 0 {
		return nil, ps
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	if err == nil {
		// A second document (after ---) would otherwise be ignored.
		var more yaml.Node
		if err2 := dec.Decode(&more); !errors.Is(err2, io.EOF) {
			line, col := more.Line, more.Column
			if err2 != nil {
				// The second document does not parse: its --- is
				// still where it starts.
				line, col = secondDocument(data, doc.Line), 1
			}
			if line == 0 {
				col = 0
			}
			return nil, Problems{{File: file, Line: line, Col: col, Message: "more than one YAML document (expected one document per file; remove the ---)"}}
		}
	}
	if err != nil {
		problem := yamlProblem(err)
		if unknownAnchor.MatchString(problem) {
			// The name after * is the rest of a value, maybe a secret.
			text := utf8Text(data)
			line, col := aliasAt(text, problem)
			return nil, Problems{{File: file, Line: line, Col: col, Message: "not valid YAML: an alias whose anchor is not defined" + foundChar(text, line, col)}}
		}
		p := Problem{File: file, Message: "not valid YAML: " + problem}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
		}
		if line, col, ok := unreadableAt(data, problem); ok {
			p.Line, p.Col = line, col
		} else {
			// Positions are searched in UTF-8 text, as an editor shows it.
			text := utf8Text(data)
			p.Line = syntaxErrorLine(text, p.Line, problem)
			p.Col = syntaxErrorCol(text, p.Line, problem)
			if problem == noTokenProblem || problem == noAnchorNameProblem || problem == mappingValueProblem || problem == escapeProblem {
				p.Message += foundChar(text, p.Line, p.Col)
			}
		}
		return nil, Problems{p}
	}
	var top *yaml.Node
	switch {
	case doc.Kind == 0 || len(doc.Content) == 0:
		top = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	case doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null":
		top = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: doc.Content[0].Line, Column: doc.Content[0].Column}
		if top.Line > bytes.Count(utf8Text(data), []byte("\n"))+1 {
			// "---" without a newline: yaml.v3 puts the empty document
			// on a line the file does not have.
			top.Line, top.Column = 1, 1
		}
	default:
		top = doc.Content[0]
	}
	o.mark(top, file)
	if top.Kind != yaml.MappingNode {
		return nil, Problems{{File: file, Line: top.Line, Col: top.Column, Message: "expected a mapping of keys at the top of the file, found " + kindName(top)}}
	}
	var ps Problems
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.AliasNode:
			ps = append(ps, Problem{File: file, Line: n.Line, Col: n.Column, Path: path, Message: "YAML aliases are not supported (use extends, or repeat the value)"})
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Tag == "!!merge" {
					ps = append(ps, Problem{File: file, Line: k.Line, Col: k.Column, Path: pathKey(path, k.Value), Message: "YAML merge keys (<<) are not supported (use extends)"})
				}
				walk(k, path)
				walk(n.Content[i+1], pathKey(path, k.Value))
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				if isNull(c) {
					// Decoding drops it, and the items after it would be
					// checked under the index and position of the one before.
					ps = append(ps, Problem{File: file, Line: c.Line, Col: c.Column, Path: pathIndex(path, i), Message: "empty list item (a - with no value, which YAML reads as null; remove it or give its value)"})
					continue
				}
				walk(c, pathIndex(path, i))
			}
		default:
			for i, c := range n.Content {
				walk(c, pathIndex(path, i))
			}
		}
	}
	walk(top, "")
	if len(ps) > 0 {
		return nil, ps
	}
	return top, nil
}

// secondDocument returns the line of the first document marker (---
// at the start of a line) after line first, where the first document
// starts, or 0.
func secondDocument(data []byte, first int) int {
	for i, l := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSuffix(l, "\r"), "---")
		if ok && i+1 > first && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return i + 1
		}
	}
	return 0
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// lookup returns the value of key in mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// without returns a shallow copy of mapping m without key.
func without(m *yaml.Node, key string, o origin) *yaml.Node {
	c := *m
	c.Content = nil
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key {
			c.Content = append(c.Content, m.Content[i], m.Content[i+1])
		}
	}
	o[&c] = o[m]
	return &c
}

// merge lays over on top of base: mappings merge key by key (recursively),
// anything else in over (a scalar, a list, an explicit null) replaces what
// base had. The result shares the original nodes, so positions survive;
// only new mapping nodes are created, and they take over's position.
func merge(base, over *yaml.Node, o origin) *yaml.Node {
	if base == nil {
		return over
	}
	if over == nil {
		return base
	}
	if base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode {
		return over
	}
	m := *over
	m.Content = nil
	used := make(map[string]bool)
	for i := 0; i+1 < len(base.Content); i += 2 {
		k, v := base.Content[i], base.Content[i+1]
		for j := 0; j+1 < len(over.Content); j += 2 {
			if over.Content[j].Value == k.Value {
				k, v = over.Content[j], merge(v, over.Content[j+1], o)
				used[k.Value] = true
				break
			}
		}
		m.Content = append(m.Content, k, v)
	}
	for j := 0; j+1 < len(over.Content); j += 2 {
		if !used[over.Content[j].Value] {
			m.Content = append(m.Content, over.Content[j], over.Content[j+1])
		}
	}
	o[&m] = o[over]
	return &m
}

// locator finds the node a key path names. It indexes the keys of each
// mapping it walks through, so that reporting many problems in a large
// mapping stays linear.
type locator struct {
	root *yaml.Node
	keys map[*yaml.Node]map[string]int // mapping -> key -> index of the key node
}

// locate returns the node a key path names, or the deepest node on the
// way when the path goes further than the document (a missing required
// key is reported at its parent).
func (l *locator) locate(path string) *yaml.Node {
	n, _ := l.find(path)
	return n
}

// find is locate that also reports whether the whole path was found.
func (l *locator) find(path string) (*yaml.Node, bool) {
	n := l.root
	for _, seg := range splitPath(path) {
		var next *yaml.Node
		switch s := seg.(type) {
		case string:
			if i, ok := l.index(n)[s]; ok {
				next = n.Content[i+1]
			}
		case int:
			if n.Kind == yaml.SequenceNode && s >= 0 && s < len(n.Content) {
				next = n.Content[s]
			}
		}
		if next == nil {
			return n, false
		}
		n = next
	}
	return n, true
}

// keyNode returns the key node of the last element of path, when that is
// a mapping key, or else the node locate returns.
func (l *locator) keyNode(path string) *yaml.Node {
	n := l.locate(path)
	i := strings.LastIndex(path, "[")
	if i < 0 {
		i = strings.LastIndex(path, ".")
	}
	segs := splitPath(path)
	if i < 0 || len(segs) == 0 {
		return n
	}
	k, ok := segs[len(segs)-1].(string)
	if !ok {
		return n
	}
	parent := l.locate(path[:i])
	if j, ok := l.index(parent)[k]; ok && parent.Content[j+1] == n {
		return parent.Content[j]
	}
	return n
}

func (l *locator) index(m *yaml.Node) map[string]int {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	if idx, ok := l.keys[m]; ok {
		return idx
	}
	if l.keys == nil {
		l.keys = make(map[*yaml.Node]map[string]int)
	}
	idx := make(map[string]int, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if _, dup := idx[m.Content[i].Value]; !dup {
			idx[m.Content[i].Value] = i
		}
	}
	l.keys[m] = idx
	return idx
}

// decodeNode decodes n into v and turns yaml's type errors into problems.
// Types were checked by checkKeys already, so this rarely reports anything.
func decodeNode(n *yaml.Node, v any, file string) Problems {
	err := n.Decode(v)
	if err == nil {
		return nil
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return Problems{{File: file, Line: n.Line, Col: n.Column, Message: err.Error()}}
	}
	var ps Problems
	for _, e := range te.Errors {
		p := Problem{File: file, Message: e}
		if m := typeErrLine.FindStringSubmatch(e); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Message = m[2]
		}
		ps = append(ps, p)
	}
	return ps
}

// hiddenBreaks reports the line breaks YAML takes that editors, grep -n
// and fugu's own positions do not: a carriage return without a newline
// after it, NEL (U+0085), and the line and paragraph separators (U+2028,
// U+2029). yaml.v3 starts a new line at each, so a key after one is a
// key of its own while the editor shows it inside a value, and every
// later line number is off. Each is reported where the editor shows it
// (lines end at newlines, columns count characters), the first on each
// line.
func hiddenBreaks(file string, text []byte) Problems {
	var ps Problems
	line, col, reported := 1, 1, 0
	i := len(text) - len(bytes.TrimPrefix(text, []byte("\ufeff"))) // a BOM is no column
	for i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		var what string
		switch {
		case r == '\n':
			line, col = line+1, 1
			i += size
			continue
		case r == '\r' && (i+1 == len(text) || text[i+1] != '\n'):
			what = "a carriage return without a newline after it (old Mac line ends?)"
		case r == 0x85 || r == 0x2028 || r == 0x2029:
			what = fmt.Sprintf("%U (%s)", r, map[rune]string{0x85: "NEXT LINE", 0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR"}[r])
		}
		if what != "" && reported != line {
			ps = append(ps, Problem{File: file, Line: line, Col: col, Message: "not valid YAML here: " + what + ", which YAML reads as a line break and editors do not show as one (end lines with plain newlines; a value that needs the character writes it as an escape in double quotes, e.g. \"\\u2028\")"})
			reported = line
		}
		col++
		i += size
	}
	return ps
}
