package packages

import "testing"

func TestVersionCompare(t *testing.T) {
	// Each pair is a < b unless eq is set (reference 1.1, PackageName.pm).
	tests := []struct {
		a, b string
		eq   bool
	}{
		{a: "1.0", b: "1.1"},
		{a: "1.9", b: "1.10"},
		{a: "1.01", b: "1.1", eq: true},
		{a: "1.001", b: "1.002"},
		{a: "1.002", b: "1.0010"},
		{a: "1.0", b: "1.0.1"},
		{a: "1.0a", b: "1.0b"},
		{a: "1.0", b: "1.0a"},
		{a: "1.9z", b: "1.10"},
		{a: "1.0alpha", b: "1.0beta"},
		{a: "1.0alpha1", b: "1.0alpha2"},
		{a: "1.0beta3", b: "1.0rc1"},
		{a: "1.0beta3", b: "1.0pre1"},
		{a: "1.0rc1", b: "1.0pre1", eq: true}, // not comparable: pkg_add refuses to order them
		{a: "1.0rc9", b: "1.0"},
		{a: "1.0", b: "1.0pl1"},
		{a: "1.0pl1", b: "1.0pl2"},
		{a: "1.0", b: "1.0p0"},
		{a: "1.0p0", b: "1.0p1"},
		{a: "1.0p9", b: "1.0p10"},
		{a: "1.0p1", b: "1.1"},
		{a: "9.9", b: "1.0v0"},
		{a: "2.0v0", b: "1.0v1"},
		{a: "1.0p3v0", b: "1.0p2v1"},
		{a: "2.9.8p0", b: "4.9.1v0"},
		{a: "3.11.10p1", b: "3.12.7"},
		{a: "1.0.x", b: "1.0.y"}, // non-numeric parts compare as strings
		{a: "99999999999999999999999", b: "100000000000000000000000"},
	}
	for _, tt := range tests {
		a, err := ParseVersion(tt.a)
		if err != nil {
			t.Fatalf("ParseVersion(%q): %v", tt.a, err)
		}
		b, err := ParseVersion(tt.b)
		if err != nil {
			t.Fatalf("ParseVersion(%q): %v", tt.b, err)
		}
		want := -1
		if tt.eq {
			want = 0
		}
		if got := a.Compare(b); got != want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tt.a, tt.b, got, want)
		}
		if got := b.Compare(a); got != -want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tt.b, tt.a, got, -want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	v, err := ParseVersion("1.2.3rc4p5v6")
	if err != nil {
		t.Fatal(err)
	}
	if v.Suffix != "rc" || v.SuffixValue != 4 || v.Patch != 5 || v.Epoch != 6 || len(v.Parts) != 3 || v.Parts[2] != "3" {
		t.Errorf("ParseVersion(1.2.3rc4p5v6) = %+v", v)
	}
	if got := v.String(); got != "1.2.3rc4p5v6" {
		t.Errorf("String() = %q", got)
	}
	for _, bad := range []string{"", "a1", "1-2", "1 2"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) = nil error", bad)
		}
	}
}
