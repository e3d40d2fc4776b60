package profiles

import "testing"

// BenchmarkLoadExampleSite measures a full load of the example site: the
// cost of a server start or reload for a small site.
func BenchmarkLoadExampleSite(b *testing.B) {
	fsys := ExampleSite()
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadProfileFile measures decoding and validating one
// commented profile (the laptop starter).
func BenchmarkLoadProfileFile(b *testing.B) {
	starter, err := Starter("laptop")
	if err != nil {
		b.Fatal(err)
	}
	data, err := readFS(starter, "profiles/laptop.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := LoadProfileFile("laptop.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSyntaxErrorColumnLargeFile: locating a syntax error's column
// in a 800 KB file takes a few parses, not one per character of the line.
func BenchmarkSyntaxErrorColumnLargeFile(b *testing.B) {
	in := []byte(largeFileSyntaxError())
	for b.Loop() {
		parseYAML("p.yaml", in, origin{})
	}
}
