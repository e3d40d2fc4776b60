package profiles

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// schemaKeys walks a JSON Schema and calls f with the doc key path
// (a.b, [] for items, {} for map values) of every key it describes.
func schemaKeys(s map[string]any, path string, f func(path string, s map[string]any)) {
	if path != "" && path != "inventory:" {
		f(path, s)
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for name, p := range props {
			schemaKeys(p.(map[string]any), join(path, name), f)
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		schemaKeys(items, path+"[]", f)
	}
	if vals, ok := s["additionalProperties"].(map[string]any); ok {
		schemaKeys(vals, path+"{}", f)
	}
}

func decodeSchema(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	return s
}

// TestSchemaDescribesEveryKey: PROFILE.md wants every key documented in
// fugu profile schema, so a key without a description (a new field, or
// a section type that grew one) fails here.
func TestSchemaDescribesEveryKey(t *testing.T) {
	seen := map[string]bool{}
	for _, sc := range []struct {
		name, prefix string
		data         []byte
	}{{"Schema", "", Schema()}, {"InventorySchema", "inventory:", InventorySchema()}} {
		n := 0
		schemaKeys(decodeSchema(t, sc.data), sc.prefix, func(path string, s map[string]any) {
			n++
			seen[path] = true
			if d, _ := s["description"].(string); d == "" {
				t.Errorf("%s: %s has no description", sc.name, path)
			}
		})
		if n < 10 {
			t.Fatalf("%s: walked only %d keys", sc.name, n)
		}
	}
	// assert that: every doc names a key that exists, so a renamed key
	// cannot leave its description behind.
	for path := range schemaDocs {
		if !seen[path] {
			t.Errorf("schemaDocs[%q] describes no key of the schema", path)
		}
	}
	for path := range mailgwDocs {
		if !seen[mailgwPrefix+path] {
			t.Errorf("mailgwDocs[%q] describes no key of roles.mailgw", path)
		}
	}
	if !seen["roles.mailgw.egress_interface"] {
		t.Error("roles.mailgw keys are missing from the schema")
	}
}

// TestSchemaRequiredOnlyWithoutExtends: a profile that extends another
// (the example laptop extends base for root) must not be flagged by an
// editor for keys its parent gives, and one that does not extend must be.
func TestSchemaRequiredOnlyWithoutExtends(t *testing.T) {
	s := decodeSchema(t, Schema())
	if r, ok := s["required"]; ok {
		t.Errorf("Schema() requires %v whether or not extends is given", r)
	}
	cond, _ := s["if"].(map[string]any)
	not, _ := cond["not"].(map[string]any)
	if got := fmt.Sprint(not["required"]); got != "[extends]" {
		t.Errorf("Schema() if = %v, want not required [extends]", cond)
	}
	then, _ := s["then"].(map[string]any)
	if got := fmt.Sprint(then["required"]); got != "[root]" {
		t.Errorf("Schema() then.required = %s, want [root]", got)
	}
	root, _ := then["properties"].(map[string]any)["root"].(map[string]any)
	if got := fmt.Sprint(root["required"]); got != "[password_hash]" {
		t.Errorf("Schema() then root.required = %s, want [password_hash]", got)
	}
	// assert that: required keys of list items stay where they are.
	if n := countRequired(s["properties"], false); n == 0 {
		t.Error("Schema() lost the required keys of list items (blacklists[].name ...)")
	}
}

// TestInventorySchemaSelfContained: an editor must resolve every $ref of
// machines.yaml's schema without fetching anything, and a machine's set:
// (overrides) requires nothing and takes no extends.
func TestInventorySchemaSelfContained(t *testing.T) {
	s := decodeSchema(t, InventorySchema())
	defs, _ := s["$defs"].(map[string]any)
	var refs int
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				refs++
				name, ok := strings.CutPrefix(ref, "#/$defs/")
				if !ok || defs[name] == nil {
					t.Errorf("$ref %q does not resolve inside the schema", ref)
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(s)
	if refs == 0 {
		t.Fatal("machines[].set has no $ref")
	}
	set, _ := defs["profile"].(map[string]any)
	if n := countRequired(set, true); n != 0 {
		t.Errorf("set: schema has %d required lists outside list items", n)
	}
	if _, ok := set["properties"].(map[string]any)["extends"]; ok {
		t.Error("set: schema offers extends, which Load refuses there")
	}
}

// countRequired counts the required lists under v; with outsideItems it
// counts only those not inside a list's items.
func countRequired(v any, outsideItems bool) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["required"]; ok {
			n++
		}
		for k, e := range v {
			if k == "items" && outsideItems {
				continue
			}
			n += countRequired(e, outsideItems)
		}
	case []any:
		for _, e := range v {
			n += countRequired(e, outsideItems)
		}
	}
	return n
}
