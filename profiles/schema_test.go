package profiles

import (
	"encoding/json"
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
