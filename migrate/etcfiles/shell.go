package etcfiles

// shellToken is a word of a line as netstart's read and eval see it.
type shellToken struct {
	start, end int    // byte span in the line, quotes included
	value      string // quotes removed, backslashes applied
	quoted     bool   // contains a quoted part
	expands    bool   // has $ or ` outside single quotes
}

// splitShell splits a line into words the way sh does for simple words:
// blanks separate, '...' and "..." group, a backslash outside single
// quotes takes the next character literally. Shell operators (; | & < >
// ( )) outside quotes are reported, as are unbalanced quotes, in msg.
func splitShell(line string) (toks []shellToken, msg string) {
	i := 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return toks, msg
		}
		t := shellToken{start: i}
		var val []byte
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			c := line[i]
			switch c {
			case '\'':
				t.quoted = true
				j := i + 1
				for j < len(line) && line[j] != '\'' {
					j++
				}
				if j >= len(line) {
					msg = "unbalanced single quote"
				}
				val = append(val, line[i+1:min(j, len(line))]...)
				i = min(j+1, len(line))
				continue
			case '"':
				t.quoted = true
				j := i + 1
				for j < len(line) && line[j] != '"' {
					if line[j] == '$' || line[j] == '`' {
						t.expands = true
					}
					if line[j] == '\\' && j+1 < len(line) {
						j++
					}
					j++
				}
				if j >= len(line) {
					msg = "unbalanced double quote"
				}
				val = append(val, line[i+1:min(j, len(line))]...)
				i = min(j+1, len(line))
				continue
			case '\\':
				if i+1 < len(line) {
					val = append(val, line[i+1])
					i += 2
				} else {
					i++
				}
				continue
			case '$', '`':
				t.expands = true
			case ';', '|', '&', '<', '>', '(', ')':
				if msg == "" {
					msg = "unquoted " + string(c) + " is shell syntax: netstart evals the line"
				}
			}
			val = append(val, c)
			i++
		}
		t.end = i
		t.value = string(val)
		toks = append(toks, t)
	}
}
