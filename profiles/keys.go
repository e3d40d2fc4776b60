package profiles

import (
	"encoding"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// checkKeys walks n against the Go type t the way a strict decoder would,
// but reports every unknown key, duplicate key and wrong kind of value at
// its own line and column instead of stopping at the first. This replaces
// yaml.Decoder.KnownFields, which gives lines only and loses positions
// once nodes from several files are merged.
func checkKeys(n *yaml.Node, t reflect.Type, path string, o origin) Problems {
	if n == nil || isNull(n) {
		return nil
	}
	at := func(format string, args ...any) Problems {
		return Problems{{File: o[n], Line: n.Line, Col: n.Column, Path: path, Message: fmt.Sprintf(format, args...)}}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if custom(t) {
		return nil
	}
	shown := kindName(n)
	if n.Kind == yaml.ScalarNode && !isNull(n) && holdsSecret(t, nil) {
		// root: hunter2, encrypt: PASSPHRASE: the value is not repeated.
		shown = "a single value (not shown: it may be a secret)"
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return at("expected a mapping, found %s", shown)
		}
		fields := yamlFields(t)
		var ps Problems
		seen := make(map[string]int)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if first, dup := seen[k.Value]; dup {
				ps = append(ps, Problem{File: o[k], Line: k.Line, Col: k.Column, Path: pathKey(path, k.Value), Message: fmt.Sprintf("key given twice (first at line %d)", first)})
				continue
			}
			seen[k.Value] = k.Line
			f, ok := fields[k.Value]
			if !ok || k.Kind != yaml.ScalarNode {
				ps = append(ps, Problem{File: o[k], Line: k.Line, Col: k.Column, Path: pathKey(path, k.Value), Message: fmt.Sprintf("unknown key %q (expected one of: %s)", k.Value, strings.Join(sortedKeys(fields), ", "))})
				continue
			}
			ps = append(ps, checkKeys(v, f, pathKey(path, k.Value), o)...)
		}
		return ps
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return at("expected a mapping, found %s", shown)
		}
		var ps Problems
		seen := make(map[string]int)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				ps = append(ps, Problem{File: o[k], Line: k.Line, Col: k.Column, Path: path, Message: "expected a plain key, found " + kindName(k)})
				continue
			}
			if first, dup := seen[k.Value]; dup {
				ps = append(ps, Problem{File: o[k], Line: k.Line, Col: k.Column, Path: pathKey(path, k.Value), Message: fmt.Sprintf("key given twice (first at line %d)", first)})
				continue
			}
			seen[k.Value] = k.Line
			ps = append(ps, checkKeys(v, t.Elem(), pathKey(path, k.Value), o)...)
		}
		return ps
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return at("expected a list, found %s", shown)
		}
		var ps Problems
		for i, c := range n.Content {
			ps = append(ps, checkKeys(c, t.Elem(), pathIndex(path, i), o)...)
		}
		return ps
	case reflect.Interface:
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return at("expected a single value, found %s", kindName(n))
	}
	switch t.Kind() {
	case reflect.Bool:
		if n.Tag != "!!bool" {
			return at("expected true or false, found %s%s", found(n, "!!bool"), yaml11Bool(n))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if msg := leadingZero(n); msg != "" {
			return at("%s", msg)
		}
		var probe = reflect.New(t)
		if n.Tag != "!!int" || n.Decode(probe.Interface()) != nil {
			return at("expected a whole number, found %s", found(n, "!!int"))
		}
	case reflect.Float32, reflect.Float64:
		if n.Tag != "!!int" && n.Tag != "!!float" {
			return at("expected a number, found %s", found(n, "!!int", "!!float"))
		}
	case reflect.String:
		if n.Tag == "!!binary" {
			return at("expected text, found a !!binary value")
		}
	}
	return nil
}

var leadingZeroRE = regexp.MustCompile(`^([-+]?)0([0-9_]+)$`)

// leadingZero says what is wrong with a plain whole number written with a
// leading 0, or "". yaml.v3 reads 010 as YAML 1.1 octal, 8, where YAML
// 1.2, and editors checking fugu's JSON Schema, read 10: neither reading
// is taken.
func leadingZero(n *yaml.Node) string {
	m := leadingZeroRE.FindStringSubmatch(n.Value)
	if n.Style != 0 || m == nil {
		return ""
	}
	sign, digits := m[1], strings.ReplaceAll(m[2], "_", "")
	if sign == "+" {
		sign = ""
	}
	decimal := strings.TrimLeft(digits, "0")
	if decimal == "" {
		decimal = "0"
	}
	octal, err := strconv.ParseInt(sign+"0o"+digits, 0, 64)
	if err != nil {
		return fmt.Sprintf("%q has a leading 0 (expected a whole number without leading zeros, like %s%s)", n.Value, sign, decimal)
	}
	return fmt.Sprintf("%q has a leading 0, which YAML 1.1 reads as octal (%d) and YAML 1.2 as %s%s (expected a whole number without leading zeros, or %s0o%s for octal)", n.Value, octal, sign, decimal, sign, decimal)
}

// yaml11Bool explains a plain yes, no, on, off, y or n where true or false
// was expected: YAML 1.1 read them as booleans, YAML 1.2 (and fugu) as
// text.
func yaml11Bool(n *yaml.Node) string {
	if n.Style != 0 {
		return ""
	}
	switch strings.ToLower(n.Value) {
	case "yes", "on", "y":
		return " (YAML 1.1's word for true, which YAML 1.2 reads as text: write true)"
	case "no", "off", "n":
		return " (YAML 1.1's word for false, which YAML 1.2 reads as text: write false)"
	}
	return ""
}

// found names a scalar of the wrong type for a message. A quoted value
// that would have one of the tags unquoted (the text "true" where true was
// wanted) says so, since its value alone reads as what was expected.
func found(n *yaml.Node, tags ...string) string {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		plain := yaml.Node{Kind: yaml.ScalarNode, Value: n.Value}
		if slices.Contains(tags, plain.ShortTag()) {
			return fmt.Sprintf("the quoted text %q (remove the quotes)", n.Value)
		}
	}
	return fmt.Sprintf("%q", n.Value)
}

// holdsSecret reports whether a value of type t is or holds a secret
// (a field whose YAML key secretKey names), so that a value written in its
// place is not quoted back. seen guards against recursive types.
func holdsSecret(t reflect.Type, seen map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return false
	}
	if seen == nil {
		seen = make(map[reflect.Type]bool)
	}
	seen[t] = true
	for name, ft := range yamlFields(t) {
		if secretKey(name) || holdsSecret(ft, seen) {
			return true
		}
	}
	return false
}

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	durationType        = reflect.TypeFor[time.Duration]()
)

// custom reports types that decode themselves; their shape is their own
// business (and their Validate's).
func custom(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t == durationType || p.Implements(unmarshalerType) || p.Implements(textUnmarshalerType)
}

// yamlFields maps the YAML keys of struct t to their field types,
// following inline fields.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(opts, "inline") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range yamlFields(ft) {
					m[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f.Type
	}
	return m
}

func sortedKeys(m map[string]reflect.Type) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
