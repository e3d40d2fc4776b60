package packages

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// bigIndex is an index shaped like a full amd64 packages directory
// (about 11,000 packages).
func bigIndex() []byte {
	var b bytes.Buffer
	for i := range 11000 {
		fmt.Fprintf(&b, "-rw-r--r--  1 1001  1001  123456 Oct  9 12:00:01 2025 pkg%d-%d.%d.%dp%d-flav%d.tgz\n", i, i%7, i%13, i%17, i%3, i%5)
	}
	return b.Bytes()
}

func BenchmarkParseIndex(b *testing.B) {
	data := bigIndex()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseIndex(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck checks a 500-package list against the big index.
func BenchmarkCheck(b *testing.B) {
	ix, err := ParseIndex(bytes.NewReader(bigIndex()))
	if err != nil {
		b.Fatal(err)
	}
	var list strings.Builder
	for i := range 500 {
		fmt.Fprintf(&list, "pkg%d--flav%d\n", i*20, i%5)
	}
	names, err := ParseList(strings.NewReader(list.String()))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ix.Check(names)
	}
}

func BenchmarkParseName(b *testing.B) {
	for b.Loop() {
		if _, err := ParseName("vim-9.1.0707p2v1-gtk3-lua-perl"); err != nil {
			b.Fatal(err)
		}
	}
}
