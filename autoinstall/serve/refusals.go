package serve

import (
	"net/netip"
	"sync"
	"time"
)

// The installer asks for MAC-install.conf, then HOST-install.conf, then
// install.conf, one right after the other. When an installed machine's
// own answers are refused, the generic install.conf that follows must be
// refused too, or defaults.profile would reinstall the machine (with the
// wrong profile) on every network boot; so must it when a known machine's
// own answers failed to render. The only link between the requests is
// the client's address, remembered here for a short while. When more
// addresses were refused within that while than can be remembered, no
// address is known to be safe: every generic install.conf is refused until
// the flood has aged out, rather than one installed machine being
// reinstalled with defaults.profile.
const (
	refusalWindow = time.Minute
	maxRefusals   = 1024
)

type refusal struct {
	name, why string // why: the 404's text
	at        time.Time
}

// The reasons a machine's answers were refused.
const (
	whyInstalled = "installed; re-arm to install again"
	whyFailed    = "this machine's answers failed to render; see the server log"
	whyFlood     = "more installers were refused within a minute than fugu serve can tell apart; install.conf is withheld until that has passed"
)

// refusals remembers which installed machine was last refused its answers
// from each client address. It is safe for concurrent use.
type refusals struct {
	mu       sync.Mutex
	m        map[netip.Addr]refusal
	overflow time.Time // when a refusal last could not be remembered
}

// note records that ip was just refused name's answers, and why.
func (r *refusals) note(ip netip.Addr, name, why string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[netip.Addr]refusal{}
	}
	if _, ok := r.m[ip]; !ok && len(r.m) >= maxRefusals {
		for k, v := range r.m {
			if now.Sub(v.at) >= refusalWindow {
				delete(r.m, k)
			}
		}
		if len(r.m) >= maxRefusals {
			// A flood of addresses: forget nothing, remember no more,
			// and refuse every address for a while (see recent).
			r.overflow = now
			return
		}
	}
	r.m[ip] = refusal{name: name, why: why, at: now}
}

// recent returns the machine refused to ip within the window, and why.
// After a refusal that could not be remembered, within the window, it
// reports every address as refused, with no machine name.
func (r *refusals) recent(ip netip.Addr, now time.Time) (name, why string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.m[ip]; ok && now.Sub(v.at) < refusalWindow {
		return v.name, v.why, true
	}
	if !r.overflow.IsZero() && now.Sub(r.overflow) < refusalWindow {
		return "", whyFlood, true
	}
	return "", "", false
}
