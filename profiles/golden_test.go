package profiles

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestShowGolden pins what `fugu profile show` prints for the example
// site: the resolved, redacted profiles (regenerate with -update).
func TestShowGolden(t *testing.T) {
	site, err := Load(ExampleSite())
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*Profile{
		"show-laptop.yaml":  site.Profiles["laptop"],
		"show-delilah.yaml": &site.Machines[0].Profile,
		"show-probook.yaml": &site.Machines[1].Profile,
		"show-mx1.yaml":     &site.Machines[2].Profile,
	} {
		var b bytes.Buffer
		if err := p.Redacted().WriteYAML(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, "golden/"+name, b.Bytes())
	}
}

// TestSchemaGolden pins the JSON Schemas and checks that they are JSON
// with every profile key described.
func TestSchemaGolden(t *testing.T) {
	golden(t, "golden/profile.schema.json", Schema())
	golden(t, "golden/machines.schema.json", InventorySchema())
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatalf("Schema() is not JSON: %v", err)
	}
	// assert that: every documented path exists in the types, and every
	// key of PROFILE.md (outside roles.mailgw, which firewall owns) has a
	// description
	var walk func(path string, node map[string]any)
	described := 0
	walk = func(path string, node map[string]any) {
		if path != "" && !bytes.HasPrefix([]byte(path), []byte("roles.mailgw.")) {
			if _, ok := node["description"]; !ok {
				t.Errorf("schema: %s has no description", path)
			}
			described++
		}
		if props, ok := node["properties"].(map[string]any); ok {
			for k, v := range props {
				walk(join(path, k), v.(map[string]any))
			}
		}
		if items, ok := node["items"].(map[string]any); ok {
			walk(path+"[]", items)
		}
		if ap, ok := node["additionalProperties"].(map[string]any); ok {
			walk(path+"{}", ap)
		}
	}
	walk("", s)
	if described < 60 {
		t.Errorf("only %d described keys", described)
	}
}
