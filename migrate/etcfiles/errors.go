package etcfiles

import (
	"fmt"
	"strings"
)

// LineError is a problem on one line of a file, as "line N: message",
// or "line N, column C: message" when it is at a word.
type LineError struct {
	Line int
	Col  int // 1-based; 0 when the problem is the whole line
	Msg  string
}

func (e *LineError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Errors are all the problems found in one file, in line order.
type Errors []*LineError

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
