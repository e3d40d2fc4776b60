package serve

import (
	"context"
	"errors"
	"os"
	"time"

	"fugu/profiles"
)

// Reload loads the site again and swaps it in only if it loads and
// validates and every machine renders (CheckSite); otherwise it logs every
// problem and keeps answering from the current snapshot. It returns the
// load error or the machines' problems, if any.
func (s *Server) Reload(load func() (*profiles.Site, error)) error {
	site, err := load()
	if err == nil {
		if ps := CheckSite(site, s.cfg.Renderer, s.cfg.ServerURL); len(ps) > 0 {
			err = ps
		}
	}
	if err != nil {
		var ps profiles.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				s.cfg.Log.Error("reload refused: site problem", "problem", p.String())
			}
		} else {
			s.cfg.Log.Error("reload refused", "err", err)
		}
		return err
	}
	// CheckSite rendered every machine already: no status-page problems.
	s.Swap(NewSnapshot(site, time.Now()))
	s.cfg.Log.Info("reloaded site", "machines", len(site.Machines), "profiles", len(site.Profiles))
	return nil
}

// ReloadOn reloads the site each time a value arrives on c (SIGHUP) until
// ctx ends.
func (s *Server) ReloadOn(ctx context.Context, c <-chan os.Signal, load func() (*profiles.Site, error)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c:
			s.Reload(load)
		}
	}
}
