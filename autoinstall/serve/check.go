package serve

import (
	"fmt"
	"strings"
)

// checkToken stands in for a callback token in trial renders.
var checkToken = strings.Repeat("0", 32)

// CheckRenders renders every machine of the current site for its own
// release and arch, so a machine that cannot be rendered shows up at
// start-up and on the status page rather than in the middle of an install.
// It returns one error per failing machine. A site that passed CheckSite
// (as fugu serve requires at start and reload) has none.
func (s *Server) CheckRenders() []error {
	snap := s.snap.Load()
	base := s.cfg.ServerURL
	if base == "" {
		base = CheckServerURL
	}
	problems := map[string]string{}
	var errs []error
	for _, m := range snap.Site.Machines {
		f, err := s.cfg.Renderer.Render(m, checkOptions(m, base))
		if err == nil && (f == nil || len(f.InstallConf) == 0) {
			err = fmt.Errorf("render gave no install.conf")
		}
		if err != nil {
			problems[m.Name] = "cannot render: " + err.Error()
			errs = append(errs, fmt.Errorf("machine %s cannot be rendered: %w", m.Name, err))
			s.cfg.Log.Warn("machine cannot be rendered", "machine", m.Name, "err", err)
		}
	}
	snap.mu.Lock()
	snap.problems = problems
	snap.mu.Unlock()
	return errs
}
