package autoinstall

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
	"testing"
)

// listSiteSet lists a site set as a golden file shows it: each entry with
// type, mode, owner, mtime and size, then the contents of text files.
// Secrets stay in (the example's are demo values).
func listSiteSet(t *testing.T, tgz []byte, skip map[string]bool) string {
	t.Helper()
	var head, body strings.Builder
	for _, e := range readSiteSet(t, tgz) {
		h := e.h
		if skip[h.Name] {
			fmt.Fprintf(&head, "%c %04o %s:%s %d:%d %s  (role) %s\n", typeChar(h.Typeflag), h.Mode, h.Uname, h.Gname, h.Uid, h.Gid, h.ModTime.UTC().Format("2006-01-02T15:04:05Z"), h.Name)
			continue
		}
		fmt.Fprintf(&head, "%c %04o %s:%s %d:%d %s %6d %s\n", typeChar(h.Typeflag), h.Mode, h.Uname, h.Gname, h.Uid, h.Gid, h.ModTime.UTC().Format("2006-01-02T15:04:05Z"), h.Size, h.Name)
		if h.Typeflag == tar.TypeReg {
			fmt.Fprintf(&body, "==== %s\n%s", h.Name, e.data)
			if len(e.data) > 0 && !bytes.HasSuffix(e.data, []byte("\n")) {
				body.WriteString("\n(no final newline)\n")
			}
		}
	}
	return head.String() + "\n" + body.String()
}

type tarEntry struct {
	h    *tar.Header
	data []byte
}

func readSiteSet(t testing.TB, tgz []byte) []tarEntry {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatalf("site set is not gzip: %v", err)
	}
	tr := tar.NewReader(zr)
	var out []tarEntry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("site set: %v", err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("site set: %s: %v", h.Name, err)
		}
		out = append(out, tarEntry{h, data})
	}
	return out
}

func typeChar(b byte) byte {
	switch b {
	case tar.TypeDir:
		return 'd'
	case tar.TypeReg:
		return '-'
	}
	return '?'
}
