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
// the client's address, remembered here for a short while.
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
)

// refusals remembers which installed machine was last refused its answers
// from each client address. It is safe for concurrent use.
type refusals struct {
	mu sync.Mutex
	m  map[netip.Addr]refusal
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
			return // a flood of addresses: forget nothing, remember no more
		}
	}
	r.m[ip] = refusal{name: name, why: why, at: now}
}

// recent returns the machine refused to ip within the window, and why.
func (r *refusals) recent(ip netip.Addr, now time.Time) (name, why string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.m[ip]
	if !ok || now.Sub(v.at) >= refusalWindow {
		return "", "", false
	}
	return v.name, v.why, true
}
