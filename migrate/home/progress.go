package home

import (
	"io/fs"
	"time"
)

// Kind says what happened to one entry.
type Kind string

// The kinds of Event.
const (
	Copied    Kind = "copied"    // content copied and verified
	Linked    Kind = "linked"    // a symlink or hard link created
	Unchanged Kind = "unchanged" // already identical on the target
	Excluded  Kind = "excluded"  // skipped by an exclude rule (Rule)
	Skipped   Kind = "skipped"   // skipped for a reason (Err): special file, vanished
	Failed    Kind = "failed"    // could not be copied (Err)
	Warning   Kind = "warning"   // copied, but with a remark (Err): a symlink out of the tree
	Planned   Kind = "planned"   // --dry-run: would be copied
)

// Event is one entry's outcome.
type Event struct {
	Kind Kind
	Path string
	Size int64
	Rule string // the exclude pattern, for Excluded
	Err  error  // why, for Skipped, Failed and Warning

	// For Planned: what the entry is (only the type bits of a mode), a
	// symlink's target, and for a second name of a hard-linked file the
	// name it will share its content with.
	Type   fs.FileMode
	Target string
	LinkTo string
}

// Progress receives a run's progress. Calls come from several goroutines
// at once; implementations must be safe for that. NopProgress is the
// default.
type Progress interface {
	// Total is called once the pre-pass has counted the source.
	Total(files, bytes int64)
	// Bytes is called as file content is transferred (n may be negative
	// when a changed file is sent again).
	Bytes(n int64)
	// Event is called once per entry.
	Event(Event)
}

// NopProgress ignores everything.
type NopProgress struct{}

func (NopProgress) Total(int64, int64) {}
func (NopProgress) Bytes(int64)        {}
func (NopProgress) Event(Event)        {}

// Summary counts a run's outcome.
type Summary struct {
	Copied, Linked, Unchanged, Excluded, Skipped, Failed, Warnings int64
	// Bytes is the file content read from the source and sent to the
	// target in this run, including bytes re-sent after a change.
	Bytes int64
	// Resumed is the number of bytes not sent again because a partial
	// file resumed from its journal.
	Resumed  int64
	Duration time.Duration
}

func (s *Summary) count(k Kind) {
	switch k {
	case Copied:
		s.Copied++
	case Linked:
		s.Linked++
	case Unchanged:
		s.Unchanged++
	case Excluded:
		s.Excluded++
	case Skipped:
		s.Skipped++
	case Failed:
		s.Failed++
	case Warning:
		s.Warnings++
	}
}
