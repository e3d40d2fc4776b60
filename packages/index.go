package packages

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Index is the list of packages a release offers: what a packages
// directory's index.txt or SHA256 file names.
type Index struct {
	Packages []Name // Full names, in file order
	byKey    map[string][]Name
}

// sha256Re is a line of a SHA256 file; the digest is in hex (sha256) or
// in base64 (sha256 -b).
var sha256Re = regexp.MustCompile(`^SHA256 \(([^()]+)\) = [0-9A-Za-z+/]+=*$`)

// ParseIndex reads a packages directory listing: either index.txt (ls -l
// style lines whose last field is NAME.tgz) or a SHA256 file
// ("SHA256 (NAME.tgz) = DIGEST", the digest in hex or base64). Lines that
// name no .tgz (SHA256.sig, index.txt itself, blank lines) are skipped; a
// .tgz whose name is not a full package name is an error naming its line.
func ParseIndex(r io.Reader) (*Index, error) {
	ix := &Index{byKey: make(map[string][]Name)}
	var errs []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		var file string
		if !strings.HasSuffix(text, ".tgz") && !strings.HasPrefix(text, "SHA256 (") {
			continue
		}
		if m := sha256Re.FindStringSubmatch(text); strings.HasPrefix(text, "SHA256 (") && m != nil {
			file = m[1]
		} else if f := strings.Fields(text); len(f) > 0 {
			file = f[len(f)-1]
		}
		if !strings.HasSuffix(file, ".tgz") {
			continue
		}
		n, err := ParseName(file)
		if err == nil && n.Kind != Full {
			err = fmt.Errorf("package file %q: no version in the name", file)
		}
		if err == nil && n.Branch != "" {
			err = fmt.Errorf("package file %q: %% is not allowed in a package file name", file)
		}
		if err != nil {
			errs = append(errs, &LineError{line, err})
			continue
		}
		ix.add(n)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, scanError(line+1, "package index", err))
	}
	if len(ix.Packages) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("no packages found: expected index.txt lines ending in NAME.tgz or SHA256 lines"))
	}
	return ix, errors.Join(errs...)
}

// NewIndex builds an index from full package names.
func NewIndex(names []Name) *Index {
	ix := &Index{byKey: make(map[string][]Name)}
	for _, n := range names {
		ix.add(n)
	}
	return ix
}

func (ix *Index) add(n Name) {
	ix.Packages = append(ix.Packages, n)
	ix.byKey[n.Key()] = append(ix.byKey[n.Key()], n)
}

// Lookup returns the packages with stem (case-insensitive, as pkg_add
// indexes stems).
func (ix *Index) Lookup(stem string) []Name {
	return ix.byKey[strings.ToLower(stem)]
}
