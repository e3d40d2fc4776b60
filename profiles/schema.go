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
func Schema() []byte {
	return schemaFor(reflect.TypeFor[Profile](), SchemaID, "fugu profile", "A fugu profile: profiles/NAME.yaml in a site directory.", "")
}

// InventorySchema returns the JSON Schema of machines.yaml.
func InventorySchema() []byte {
	return schemaFor(reflect.TypeFor[Inventory](), "https://fugu.invalid/schema/machines.json", "fugu inventory", "machines.yaml: which machine gets which profile.", "inventory:")
}

func schemaFor(t reflect.Type, id, title, desc, prefix string) []byte {
	s := typeSchema(t, prefix)
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
		s["$ref"] = SchemaID
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
