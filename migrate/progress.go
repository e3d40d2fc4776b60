package migrate

// Outcome is how one item of an Apply run ended.
type Outcome string

const (
	Done    Outcome = "done"
	Skipped Outcome = "skipped"
	Failed  Outcome = "failed"
)

// Result is one item of an Apply run: a package, a crontab or a file.
type Result struct {
	Kind    string  `json:"kind"` // package, crontab, file
	Name    string  `json:"name"`
	Outcome Outcome `json:"outcome"`
	Detail  string  `json:"detail,omitempty"`
}

// Summary is the outcome of an Apply run.
type Summary struct {
	Results     []Result `json:"results"`
	Done        int      `json:"done"`
	Skipped     int      `json:"skipped"`
	Failed      int      `json:"failed"`
	NotStarted  int      `json:"not_started"` // left when the run was interrupted
	Interrupted bool     `json:"interrupted"`
}

func (s *Summary) add(r Result) {
	s.Results = append(s.Results, r)
	switch r.Outcome {
	case Done:
		s.Done++
	case Skipped:
		s.Skipped++
	case Failed:
		s.Failed++
	}
}

// Progress hears about an Apply run as it goes. Calls come from one
// goroutine, in order: Begin for each kind of item, then Start and Done
// for each item.
type Progress interface {
	Begin(kind string, total int)
	Start(kind, name string)
	Done(r Result)
}

// NoProgress is a Progress that ignores everything.
type NoProgress struct{}

func (NoProgress) Begin(string, int)    {}
func (NoProgress) Start(string, string) {}
func (NoProgress) Done(Result)          {}
