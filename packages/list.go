package packages

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// LineError is a problem on one line of a list or index.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// scanError is a failure to read line n of what: a line longer than
// maxLine, or the reader's own error.
func scanError(n int, what string, err error) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return &LineError{n, fmt.Errorf("longer than %d bytes; is this a %s?", maxLine, what)}
	}
	return fmt.Errorf("read %s: %w", what, err)
}

// maxLine bounds one line of pkg_info output or an index; longer lines
// are an error rather than an unbounded allocation.
const maxLine = 64 * 1024

// ParseList reads what pkg_info prints for a list of packages: -mz
// (stem--flavors[%branch]), -m (full name, blanks, a comment) or -mq (full
// names), one package a line. Like pkg_add -l it keeps only the first
// word of a line; unlike pkg_add it skips blank lines instead of reading
// them as an empty name. Every bad line is reported, as "line N: ...",
// joined in one error; the names that did parse are returned as well,
// each once (two listings joined with cat repeat names).
//
// Firmware packages (stem driver-firmware, intel-firmware-20240312v0) are
// left out, as pkg_info -z leaves them out: fw_update installs them and
// marks them "manual installation", so pkg_info -m and -mq list them, but
// they live on the firmware mirror only and pkg_add cannot find them.
func ParseList(r io.Reader) ([]Name, error) {
	var (
		names []Name
		errs  []error
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // a Windows editor's byte-order mark
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if text[0] == ' ' || text[0] == '\t' {
			errs = append(errs, &LineError{line, errors.New("starts with a blank (pkg_add -l would read an empty name)")})
			continue
		}
		word, _, _ := strings.Cut(strings.ReplaceAll(text, "\t", " "), " ")
		n, err := ParseName(word)
		if err != nil {
			errs = append(errs, &LineError{line, err})
			continue
		}
		if isFirmware(n) {
			continue
		}
		names = append(names, n)
	}
	names = uniqueNames(names)
	if err := sc.Err(); err != nil {
		errs = append(errs, scanError(line+1, "package list", err))
	}
	return names, errors.Join(errs...)
}

// isFirmware reports whether n names a firmware package: ports'
// sysutils/firmware names every package it builds driver-firmware-VERSION
// (Makefile.inc), and only those.
func isFirmware(n Name) bool {
	return strings.HasSuffix(strings.ToLower(n.Stem), "-firmware")
}

// WriteList writes names as a pkg_add -l file: one name a line in the
// first column, nothing else, a final newline, no blank or comment lines
// (pkg_add -l has no comment syntax and reads a blank line as an empty
// name). Every name is validated first; nothing is written if one fails.
func WriteList(w io.Writer, names []Name) error {
	var b strings.Builder
	var errs []error
	for i, n := range names {
		if err := n.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("entry %d: %w", i+1, err))
			continue
		}
		b.WriteString(n.String())
		b.WriteByte('\n')
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
