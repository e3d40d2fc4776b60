package profiles

import (
	"encoding/json"
	"reflect"
	"strings"
)

// Redacted is what a secret is shown as.
const Redacted = "<redacted>"

// secretKey reports whether a YAML key holds a secret: password hashes,
// WPA keys, passphrases, and any key a role names as a password, secret or
// passphrase (such as a spamd sync key).
func secretKey(name string) bool {
	switch name {
	case "password_hash", "wpa_key", "passphrase", "sync_key", "psk":
		return true
	}
	for _, w := range []string{"password", "passphrase", "secret"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// Redacted returns a deep copy of p in which every secret that is set is
// replaced by "<redacted>", for showing a profile to a person or a log:
// the values of secret keys, and of doas rules' setenv items named like
// secrets (PGPASSWORD=...).
func (p *Profile) Redacted() *Profile {
	c := p.clone()
	redact(reflect.ValueOf(c).Elem())
	for i, rule := range c.Doas {
		c.Doas[i] = redactDoasRule(rule)
	}
	return c
}

// clone returns a deep copy of p. A Profile always round-trips through
// JSON; if it ever does not, the copy is empty rather than shared (and
// never shows a secret).
func (p *Profile) clone() *Profile {
	var c Profile
	data, err := json.Marshal(p)
	if err == nil {
		err = json.Unmarshal(data, &c)
	}
	if err != nil {
		return &Profile{}
	}
	return &c
}

func redact(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			redact(v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			fv := v.Field(i)
			if secretKey(name) && fv.Kind() == reflect.String {
				if fv.String() != "" && fv.String() != DisabledPassword {
					fv.SetString(Redacted)
				}
				continue
			}
			redact(fv)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			redact(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			redact(e)
			v.SetMapIndex(k, e)
		}
	}
}
