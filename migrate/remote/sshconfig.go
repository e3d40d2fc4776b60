package remote

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SSHConfig is a parsed ssh_config(5) file: its Host blocks in file order.
// Only the keywords fugu uses are interpreted (see HostSettings); others
// are kept but have no effect, as fugu does not need them.
type SSHConfig struct {
	Name   string // the file name given to ParseSSHConfig
	Blocks []SSHConfigBlock
	// Ignored lists, as "file:line: why", the directives fugu does not
	// follow (Include, Match), so a command can say so instead of silently
	// resolving a host differently from ssh(1).
	Ignored []string
}

// SSHConfigBlock is one Host block. Options before the first Host line
// form a block with the pattern "*", as they apply to every host.
type SSHConfigBlock struct {
	Patterns []string // as written; "!" negates; empty for a Match block
	Line     int
	Options  []SSHOption
}

// SSHOption is one "Keyword value..." line; Key is lowercased.
type SSHOption struct {
	Key  string
	Args []string
	Line int
}

// ParseSSHConfig parses ssh_config text. name is used in error messages.
// Errors name the file, line and column.
func ParseSSHConfig(r io.Reader, name string) (*SSHConfig, error) {
	cfg := &SSHConfig{Name: name}
	cur := &SSHConfigBlock{Patterns: []string{"*"}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		key, args, err := splitConfigLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%w", name, lineNo, err)
		}
		if key == "" {
			continue
		}
		switch key {
		case "host":
			if len(args) == 0 {
				return nil, fmt.Errorf("%s:%d: Host: expected at least one pattern, found none", name, lineNo)
			}
			cfg.Blocks = append(cfg.Blocks, *cur)
			cur = &SSHConfigBlock{Patterns: args, Line: lineNo}
			continue
		case "match":
			cfg.Blocks = append(cfg.Blocks, *cur)
			cur = &SSHConfigBlock{Line: lineNo}
			cfg.Ignored = append(cfg.Ignored, fmt.Sprintf("%s:%d: Match blocks are not supported; their options are ignored", name, lineNo))
			continue
		case "include":
			cfg.Ignored = append(cfg.Ignored, fmt.Sprintf("%s:%d: Include is not supported; %s not read", name, lineNo, strings.Join(args, " ")))
			continue
		}
		if err := checkOption(key, args); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, lineNo, err)
		}
		cur.Options = append(cur.Options, SSHOption{Key: key, Args: args, Line: lineNo})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	cfg.Blocks = append(cfg.Blocks, *cur)
	return cfg, nil
}

// checkOption validates the values of the keywords fugu interprets.
func checkOption(key string, args []string) error {
	switch key {
	case "hostname", "user", "port", "identityfile", "identitiesonly":
		if len(args) != 1 {
			return fmt.Errorf("keyword %s: expected one value, found %d", key, len(args))
		}
	}
	switch key {
	case "port":
		if _, err := parsePort(args[0]); err != nil {
			return fmt.Errorf("keyword Port: %w", err)
		}
	case "identitiesonly":
		if _, err := parseYesNo(args[0]); err != nil {
			return fmt.Errorf("keyword IdentitiesOnly: %w", err)
		}
	}
	return nil
}

func parsePort(s string) (int, error) {
	p, err := strconv.Atoi(s)
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("expected a port number 1-65535, found %q", s)
	}
	return p, nil
}

func parseYesNo(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "yes", "true":
		return true, nil
	case "no", "false":
		return false, nil
	}
	return false, fmt.Errorf("expected yes or no, found %q", s)
}

// splitConfigLine splits one line into a lowercased keyword and its
// arguments, as ssh does: "Key value", "Key=value" or "Key = value";
// arguments split on blanks, with "double" or 'single' quotes and the
// backslash escapes of ssh's argv_split (\\, \", \' anywhere, \ and a
// blank outside quotes; any other backslash is kept); a word starting
// with # ends the line. The error for an unterminated quote starts with
// the column of the quote.
func splitConfigLine(line string) (string, []string, error) {
	const blanks = " \t\r"
	i := skip(line, 0, blanks)
	if i == len(line) || line[i] == '#' {
		return "", nil, nil
	}
	start := i
	for i < len(line) && !strings.ContainsRune(blanks+"=", rune(line[i])) {
		i++
	}
	key := strings.ToLower(line[start:i])
	i = skip(line, i, blanks)
	if i < len(line) && line[i] == '=' {
		i = skip(line, i+1, blanks)
	}
	var args []string
	for i < len(line) && line[i] != '#' {
		var w strings.Builder
		var quote byte
		qcol := 0
	word:
		for ; i < len(line); i++ {
			c := line[i]
			switch {
			case c == '\\' && i+1 < len(line) && (strings.IndexByte(`'"\\`, line[i+1]) >= 0 || quote == 0 && line[i+1] == ' '):
				i++
				w.WriteByte(line[i])
			case quote == 0 && strings.IndexByte(blanks, c) >= 0:
				break word
			case quote == 0 && (c == '"' || c == '\''):
				quote, qcol = c, i+1
			case quote != 0 && c == quote:
				quote = 0
			default:
				w.WriteByte(c)
			}
		}
		if quote != 0 {
			return "", nil, fmt.Errorf("%d: %s: unterminated %c quote", qcol, key, quote)
		}
		args = append(args, w.String())
		i = skip(line, i, blanks)
	}
	return key, args, nil
}

// skip returns the first index at or after i whose byte is not in set.
func skip(s string, i int, set string) int {
	for i < len(s) && strings.IndexByte(set, s[i]) >= 0 {
		i++
	}
	return i
}
