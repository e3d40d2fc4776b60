package profiles

import (
	"encoding/json"
	"reflect"
	"strings"
)

// SchemaID is the $id of the profile schema.
const SchemaID = "https://fugu.invalid/schema/profile.json"

// Schema returns the JSON Schema (draft 2020-12) of a profile file, for
// editors with yaml-language-server. It is built from the Go types, so it
// cannot drift from what Load accepts, with the descriptions, enums and
// patterns of schemaDocs.
//
// A profile with extends may leave even required keys (root.password_hash)
// to the profile it extends, since maps merge key by key: the keys that
// are required of a whole profile are required only when extends is not
// given. Load checks the resolved profile either way.
func Schema() []byte {
	s := typeSchema(reflect.TypeFor[Profile](), "")
	if need := splitRequired(s); need != nil {
		s["if"] = map[string]any{"not": map[string]any{"required": []string{"extends"}}}
		s["then"] = need
	}
	return schemaFor(s, SchemaID, "fugu profile", "A fugu profile: profiles/NAME.yaml in a site directory.")
}

// InventorySchema returns the JSON Schema of machines.yaml. A machine's
// set: takes a profile's keys as overrides; that schema is inside it
// ($defs), since an editor cannot fetch SchemaID (fugu.invalid resolves
// nowhere), and nothing in it is required (the machine's profile has it).
func InventorySchema() []byte {
	s := typeSchema(reflect.TypeFor[Inventory](), "inventory:")
	set := typeSchema(reflect.TypeFor[Profile](), "")
	splitRequired(set)
	delete(set["properties"].(map[string]any), "extends") // not allowed in set:
	s["$defs"] = map[string]any{"profile": set}
	return schemaFor(s, "https://fugu.invalid/schema/machines.json", "fugu inventory", "machines.yaml: which machine gets which profile.")
}

// splitRequired removes the required lists of s and of the objects under
// its properties (which merge key by key), and returns them as a schema
// of their own, or nil if there are none. Required keys of list items
// stay: a list replaces the one it overrides, so each item is whole.
func splitRequired(s map[string]any) map[string]any {
	need := map[string]any{}
	if r, ok := s["required"]; ok {
		need["required"] = r
		delete(s, "required")
	}
	props, _ := s["properties"].(map[string]any)
	sub := map[string]any{}
	for name, p := range props {
		if n := splitRequired(p.(map[string]any)); n != nil {
			sub[name] = n
		}
	}
	if len(sub) > 0 {
		need["properties"] = sub
	}
	if len(need) == 0 {
		return nil
	}
	return need
}

func schemaFor(s map[string]any, id, title, desc string) []byte {
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = id
	s["title"] = title
	s["description"] = desc
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("profiles: schema: " + err.Error()) // cannot happen: only maps, strings, bools and numbers
	}
	return append(out, '\n')
}

// typeSchema describes t; path is the key path used to look up docs
// ("system.hostname", "network.interfaces[].ipv4").
func typeSchema(t reflect.Type, path string) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s := map[string]any{}
	if d, ok := lookupDoc(path); ok {
		d.apply(s)
	}
	if t == reflect.TypeFor[Profile]() && path != "" {
		// machines.yaml set: takes a profile's keys.
		s["$ref"] = "#/$defs/profile"
		return s
	}
	if custom(t) {
		if _, ok := s["type"]; !ok {
			s["type"] = "string"
		}
		return s
	}
	switch t.Kind() {
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("yaml")
			name, opts, _ := strings.Cut(tag, ",")
			if !f.IsExported() || tag == "-" || strings.Contains(opts, "inline") {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			props[name] = typeSchema(f.Type, join(path, name))
			if d, ok := lookupDoc(join(path, name)); ok && d.required {
				required = append(required, name)
			}
		}
		s["type"] = "object"
		s["properties"] = props
		s["additionalProperties"] = false
		if len(required) > 0 {
			s["required"] = required
		}
	case reflect.Map:
		s["type"] = "object"
		s["additionalProperties"] = typeSchema(t.Elem(), path+"{}")
	case reflect.Slice:
		s["type"] = "array"
		s["items"] = typeSchema(t.Elem(), path+"[]")
	case reflect.Bool:
		s["type"] = "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s["type"] = "integer"
	case reflect.Float32, reflect.Float64:
		s["type"] = "number"
	default:
		if _, ok := s["type"]; !ok {
			s["type"] = "string"
		}
	}
	return s
}

func join(path, name string) string {
	if path == "" || strings.HasSuffix(path, ":") {
		return path + name
	}
	return path + "." + name
}
