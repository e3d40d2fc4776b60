package serve

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
)

// Run writes changed state to disk until ctx ends, then writes once more.
func (s *Store) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			if err := s.Flush(); err != nil {
				s.log.Error("write state", "err", err)
			}
			return
		case <-s.kick:
		}
		select {
		case <-ctx.Done():
		case <-time.After(flushDelay):
		}
		if err := s.Flush(); err != nil {
			s.log.Error("write state", "err", err)
		}
	}
}

// Flush writes every changed machine and the pending list.
func (s *Store) Flush() error {
	if s.dir == nil {
		return nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	files := map[string][]byte{}
	var names []string
	for name := range s.dirty {
		files[name] = mustJSON(s.m[name])
		names = append(names, name)
	}
	clear(s.dirty)
	var pending []byte
	if s.pendingDirty {
		ps := make([]*Pending, 0, len(s.pen))
		for _, p := range s.pen {
			ps = append(ps, p)
		}
		slices.SortFunc(ps, func(a, b *Pending) int { return strings.Compare(a.MAC, b.MAC) })
		pending = mustJSON(ps)
		s.pendingDirty = false
	}
	s.mu.Unlock()
	var errs []error
	for _, name := range names {
		if err := s.dir.writeMachine(name, files[name]); err != nil {
			errs = append(errs, err)
			s.mu.Lock()
			s.dirty[name] = true
			s.mu.Unlock()
		}
	}
	if pending != nil {
		if err := s.dir.writePending(pending); err != nil {
			errs = append(errs, err)
			s.mu.Lock()
			s.pendingDirty = true
			s.mu.Unlock()
		}
	}
	return errors.Join(errs...)
}

// persist writes name's state now.
func (s *Store) persist(name string) error {
	if s.dir == nil {
		return nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	data := mustJSON(s.m[name])
	delete(s.dirty, name)
	s.mu.Unlock()
	if err := s.dir.writeMachine(name, data); err != nil {
		s.mu.Lock()
		s.dirty[name] = true
		s.mu.Unlock()
		return err
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // plain structs of strings and times always marshal
	}
	return append(b, '\n')
}
