package profiles

import (
	"bytes"
	"errors"
	"io"

	"go.yaml.in/yaml/v3"
)

// syntaxErrorLine returns the line of a YAML syntax error in data, given
// the line yaml.v3 names (0 for none). For most errors yaml.v3 counts
// lines from 0 there, and names none on the first line, so the line
// names is one too small; the error is on the line whose addition makes
// the text stop parsing. If neither candidate is that line, hint stays.
func syntaxErrorLine(data []byte, hint int) int {
	// prefix(n) is data's first n lines.
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	parses := func(n int) bool {
		if n == 0 {
			return true
		}
		dec := yaml.NewDecoder(bytes.NewReader(data[:ends[n-1]]))
		for {
			var doc yaml.Node
			if err := dec.Decode(&doc); err != nil {
				return errors.Is(err, io.EOF)
			}
		}
	}
	for _, n := range []int{hint + 1, hint} {
		if n >= 1 && n <= len(ends) && !parses(n) && parses(n-1) {
			return n
		}
	}
	return hint
}
