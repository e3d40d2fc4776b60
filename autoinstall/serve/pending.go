package serve

import (
	"slices"
	"strings"
	"time"
)

// SeeUnknown remembers an unknown MAC (mac set) or attaches a hostname to
// the pending MAC last seen from the same address (host set).
func (s *Store) SeeUnknown(mac, host, ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if mac == "" {
		// The installer asks for HOST-install.conf right after
		// MAC-install.conf: the host belongs to the MAC last seen from
		// the same address, not to every MAC that address asked for.
		var last *Pending
		for _, p := range s.pen {
			if p.IP == ip && now.Sub(p.LastSeen) < time.Minute && (last == nil || p.LastSeen.After(last.LastSeen)) {
				last = p
			}
		}
		if last != nil && last.Host != host {
			last.Host = host
			s.markPendingDirty()
		}
		return
	}
	p := s.pen[mac]
	if p == nil {
		if len(s.pen) >= maxPending {
			s.forgetOldestPending()
		}
		p = &Pending{MAC: mac, FirstSeen: now}
		s.pen[mac] = p
	}
	p.IP, p.LastSeen = ip, now
	p.Count++
	s.markPendingDirty()
}

// markPendingDirty has the pending list written soon. Callers hold mu.
func (s *Store) markPendingDirty() {
	s.pendingDirty = true
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func (s *Store) forgetOldestPending() {
	var oldest *Pending
	for _, p := range s.pen {
		if oldest == nil || p.LastSeen.Before(oldest.LastSeen) {
			oldest = p
		}
	}
	delete(s.pen, oldest.MAC)
}

// Enrolled forgets pending MACs that now belong to a known machine.
func (s *Store) Enrolled(known func(mac string) bool) {
	s.mu.Lock()
	for mac := range s.pen {
		if known(mac) {
			delete(s.pen, mac)
			s.markPendingDirty()
		}
	}
	s.mu.Unlock()
}

// Pending returns the unknown MACs, most recently seen first.
func (s *Store) Pending() []Pending {
	s.mu.Lock()
	out := make([]Pending, 0, len(s.pen))
	for _, p := range s.pen {
		out = append(out, *p)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Pending) int {
		if c := b.LastSeen.Compare(a.LastSeen); c != 0 {
			return c
		}
		return strings.Compare(a.MAC, b.MAC)
	})
	return out
}
