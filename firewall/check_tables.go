package firewall

import (
	"path"
	"strings"
)

// table checks: table <name> [persist] [const] [counters] [file "p"]... [{ list }].
func (c *checker) table(line int, toks []token) {
	if len(toks) < 2 {
		c.errorf(line, "syntax error: table without a name")
		return
	}
	name, ok := tableName(toks[1])
	if !ok {
		c.errorf(line, "syntax error: table name must be written <name>, found %q", toks[1].s)
		return
	}
	if len(name) > 31 {
		c.errorf(line, "table name too long, max 31 chars: <%s> has %d", name, len(name))
	}
	if isDigits(name) {
		c.errorf(line, "syntax error: table name <%s> is a number", name)
	}
	if pfKeywords[name] {
		c.errorf(line, "syntax error: table name <%s> is a pf.conf keyword", name)
	}
	if prev, dup := c.tables[name]; dup {
		c.errorf(line, "table <%s> is already defined on line %d", name, prev.line)
	}
	def := &tableDef{line: line}
	c.tables[name] = def
	for i := 2; i < len(toks); i++ {
		t := toks[i]
		switch t.s {
		case "persist", "counters":
		case "const":
			def.isConst = true
		case "file":
			if i+1 >= len(toks) || !toks[i+1].quoted {
				c.errorf(line, "syntax error: file needs a quoted path")
				continue
			}
			i++
			c.tableFile(line, name, toks[i].s)
		case "{":
			for i++; i < len(toks) && toks[i].s != "}"; i++ {
				if inner, ok := tableName(toks[i]); ok {
					c.errorf(line, "table <%s> lists table <%s>: tables cannot contain other tables", name, inner)
				}
			}
		default:
			c.errorf(line, "invalid table option '%s'", t.s)
		}
	}
}

func (c *checker) tableFile(line int, table, file string) {
	// Clean first: /var/../tmp/x and //tmp/x are files in /tmp too.
	clean := path.Clean(file)
	for _, bad := range []string{"/tmp", "/var/tmp"} {
		if clean == bad || strings.HasPrefix(clean, bad+"/") {
			c.errorf(line, "table <%s> loads %q: %s is cleaned at boot and by daily(8), and a missing table file aborts the whole pf load (use /var/db/pf)", table, file, bad)
		}
	}
	if !strings.HasPrefix(file, "/") {
		c.warnf(line, "table <%s> file %q is relative: pfctl resolves it against its working directory", table, file)
	}
}

func (c *checker) collectTableRefs(line int, toks []token) {
	for _, t := range toks {
		if name, ok := tableName(t); ok {
			c.tableRefs = append(c.tableRefs, tableRef{line: line, name: name})
		}
	}
}
