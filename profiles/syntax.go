package profiles

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

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

// syntaxErrorCol returns the column (1-based, in characters) of a YAML
// syntax error on line of data, or 0. yaml.v3 names no column, so this
// finds the shortest prefix of the line that, after the lines before it,
// already fails with the same problem: the character that ends it is
// where the parser could first tell (the tab, the colon, the opening
// quote that is never closed). Long lines are not searched.
func syntaxErrorCol(data []byte, line int, problem string) int {
	start, end, ok := lineBounds(data, line)
	if !ok || end-start > maxColSearch {
		return 0
	}
	for k := start + 1; k <= end; k++ {
		if p, failed := decodeProblem(data[:k]); failed && p == problem {
			return utf8.RuneCount(data[start:k])
		}
	}
	return 0
}

const maxColSearch = 400

// lineBounds gives the byte offsets of line n (1-based) of data, without
// its newline.
func lineBounds(data []byte, n int) (start, end int, ok bool) {
	if n < 1 {
		return 0, 0, false
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data[start:], '\n')
		if j < 0 {
			return 0, 0, false
		}
		start += j + 1
	}
	end = len(data)
	if j := bytes.IndexByte(data[start:], '\n'); j >= 0 {
		end = start + j
	}
	return start, end, true
}

// decodeProblem decodes every document of data and returns the problem
// of the first syntax error, without yaml.v3's "yaml: line N: " prefix.
func decodeProblem(data []byte) (string, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return "", false
		}
		if err != nil {
			return yamlProblem(err), true
		}
	}
}

// yamlProblem is err's message without "yaml: " and "line N: ".
func yamlProblem(err error) string {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return m[2]
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
