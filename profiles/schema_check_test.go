package profiles

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// schemaCheck validates v (decoded YAML) against the part of JSON Schema
// fugu's schemas use: type, properties, additionalProperties, required,
// enum, pattern, minimum, maximum, items, $ref into $defs, and if/then.
// It returns one message per violation, as an editor would flag them.
type schemaCheck struct{ defs map[string]any }

func (c schemaCheck) check(s map[string]any, v any, at string) []string {
	var errs []string
	if ref, ok := s["$ref"].(string); ok {
		name, _ := strings.CutPrefix(ref, "#/$defs/")
		def, ok := c.defs[name].(map[string]any)
		if !ok {
			return []string{at + ": unresolvable $ref " + ref}
		}
		errs = append(errs, c.check(def, v, at)...)
	}
	if cond, ok := s["if"].(map[string]any); ok && len(c.check(cond, v, at)) == 0 {
		if then, ok := s["then"].(map[string]any); ok {
			errs = append(errs, c.check(then, v, at)...)
		}
	}
	if not, ok := s["not"].(map[string]any); ok && len(c.check(not, v, at)) == 0 {
		errs = append(errs, at+": matches a schema it must not")
	}
	if t, ok := s["type"].(string); ok && !hasType(v, t) {
		return append(errs, fmt.Sprintf("%s: %v is not of type %s", at, v, t))
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	if p, ok := s["pattern"].(string); ok {
		if str, ok := v.(string); ok && !regexp.MustCompile(p).MatchString(str) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", at, str, p))
		}
	}
	if n, ok := v.(int); ok {
		if lo, ok := s["minimum"].(float64); ok && float64(n) < lo {
			errs = append(errs, fmt.Sprintf("%s: %d < %g", at, n, lo))
		}
		if hi, ok := s["maximum"].(float64); ok && float64(n) > hi {
			errs = append(errs, fmt.Sprintf("%s: %d > %g", at, n, hi))
		}
	}
	switch v := v.(type) {
	case map[string]any:
		for _, r := range asList(s["required"]) {
			if _, ok := v[r.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: %s is required", at, r))
			}
		}
		props, _ := s["properties"].(map[string]any)
		for k, e := range v {
			if p, ok := props[k].(map[string]any); ok {
				errs = append(errs, c.check(p, e, at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: property %s is not allowed", at, k))
				}
			case map[string]any:
				errs = append(errs, c.check(ap, e, at+"."+k)...)
			}
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range v {
				errs = append(errs, c.check(items, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func asList(v any) []any { l, _ := v.([]any); return l }

func hasType(v any, t string) bool {
	switch v.(type) {
	case map[string]any:
		return t == "object"
	case []any:
		return t == "array"
	case string:
		return t == "string"
	case bool:
		return t == "boolean"
	case int:
		return t == "integer" || t == "number"
	case float64:
		return t == "number"
	}
	return false
}

// schemaErrors decodes yamlText and checks it against schema.
func schemaErrors(t *testing.T, schema []byte, yamlText []byte) []string {
	t.Helper()
	s := decodeSchema(t, schema)
	var v any
	if err := yaml.Unmarshal(yamlText, &v); err != nil {
		t.Fatalf("test YAML: %v", err)
	}
	defs, _ := s["$defs"].(map[string]any)
	return schemaCheck{defs: defs}.check(s, v, "$")
}

// TestSchemaAcceptsShippedSites: every profile and machines.yaml fugu
// ships (the example site and each profile init starter) passes the
// schema an editor checks it with, as it passes Load.
func TestSchemaAcceptsShippedSites(t *testing.T) {
	sites := map[string]fs.FS{"example": ExampleSite()}
	for _, role := range StarterRoles {
		sites["starter "+role], _ = Starter(role)
	}
	n := 0
	for name, fsys := range sites {
		files, _ := fs.Glob(fsys, "profiles/*.yaml")
		files = append(files, InventoryFile)
		for _, file := range files {
			data, err := fs.ReadFile(fsys, file)
			if err != nil {
				t.Fatal(err)
			}
			schema := Schema()
			if path.Base(file) == InventoryFile {
				schema = InventorySchema()
			}
			n++
			for _, e := range schemaErrors(t, schema, data) {
				t.Errorf("%s %s: %s", name, file, e)
			}
		}
	}
	if n < 8 {
		t.Fatalf("checked only %d files", n)
	}
}

// TestSchemaRefuses: what Load refuses in these ways an editor flags too.
func TestSchemaRefuses(t *testing.T) {
	for _, c := range []struct {
		name, text string
		inventory  bool
		want       string
	}{
		{"unknown key", "root: {password_hash: \"*************\"}\nsystem: {colour: blue}\n", false, "property colour is not allowed"},
		{"no root without extends", "system: {hostname: x}\n", false, "root is required"},
		{"no hash without extends", "root: {ssh_keys: []}\n", false, "password_hash is required"},
		{"bad enum", "root: {password_hash: \"*************\"}\nsshd: {root_login: maybe}\n", false, "is not one of"},
		{"plaintext hash", "root: {password_hash: hunter2}\n", false, "does not match"},
		{"set with extends", "machines:\n  - {name: a, profile: p, set: {extends: q}}\n", true, "property extends is not allowed"},
		{"set with unknown key", "machines:\n  - {name: a, profile: p, set: {systen: {}}}\n", true, "property systen is not allowed"},
		{"machine without profile", "machines:\n  - {name: a}\n", true, "profile is required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			schema := Schema()
			if c.inventory {
				schema = InventorySchema()
			}
			errs := schemaErrors(t, schema, []byte(c.text))
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, c.want) }) {
				t.Errorf("schema errors for %q = %q, want one with %q", c.text, errs, c.want)
			}
		})
	}
	// assert that: an extending profile may leave root to its parent, and
	// a machine's set: may override one key of a map.
	for _, c := range []struct {
		text      string
		inventory bool
	}{
		{"extends: base\nuser: {full_name: Bob}\n", false},
		{"machines:\n  - {name: a, profile: p, set: {user: {full_name: Bob}, system: {hostname: b}}}\n", true},
	} {
		schema := Schema()
		if c.inventory {
			schema = InventorySchema()
		}
		if errs := schemaErrors(t, schema, []byte(c.text)); len(errs) > 0 {
			t.Errorf("schema errors for %q = %q, want none", c.text, errs)
		}
	}
}

// TestSchemaAcceptsWhatLoadNormalises: an interface named by its MAC in
// capitals or with dashes loads (normalised); the schema accepts it too.
func TestSchemaAcceptsWhatLoadNormalises(t *testing.T) {
	for _, name := range []string{"80:FA:5B:01:02:03", "80-fa-5b-01-02-03", "re0"} {
		text := "root: {password_hash: \"*************\"}\nnetwork:\n  interfaces:\n    - {name: \"" + name + "\", ipv4: dhcp}\n"
		if errs := schemaErrors(t, Schema(), []byte(text)); len(errs) > 0 {
			t.Errorf("schema refuses interface %s: %v", name, errs)
		}
		if err := checkInterfaceName(name); err != nil {
			t.Errorf("Load refuses interface %s: %v", name, err)
		}
	}
}
