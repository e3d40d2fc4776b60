package etcfiles

import (
	"fmt"
	"strings"
)

// LineError is a problem on one line of a file, as "line N: message".
type LineError struct {
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

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
