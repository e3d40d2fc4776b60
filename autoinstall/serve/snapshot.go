package serve

import (
	"strings"
	"sync"
	"time"

	"fugu/profiles"
)

// FallbackName is the machine name under which the inventory's
// defaults.profile answers install.conf for machines it does not know.
const FallbackName = "default"

// Rendered entries kept per snapshot: a few per machine (releases, server
// URLs, prefixes, sets mirror listings) plus some slack. Keys include the server URL, which may
// come from the Host header; past the bound, files are rendered per
// request instead of growing memory.
const (
	cachePerMachine = 4
	cacheSlack      = 64
)

// Snapshot is an immutable, validated site with its machine indexes and a
// cache of rendered files. A reload builds a new Snapshot; requests in
// flight keep the one they started with.
type Snapshot struct {
	Site     *profiles.Site
	Loaded   time.Time
	byMAC    map[string]*profiles.Machine
	byHost   map[string]*profiles.Machine
	byName   map[string]*profiles.Machine
	fallback *profiles.Machine

	mu       sync.Mutex
	maxCache int
	cache    map[cacheKey]*rendered
	problems map[string]string // machine name -> why it cannot be rendered (CheckRenders)
}

type cacheKey struct {
	name, release, arch, serverURL, prefix string
	mirror                                 string // the sets mirror's files, joined by "/"
	generation                             int
}

type rendered struct {
	once  sync.Once
	files *Files
	err   error
}

// NewSnapshot indexes a loaded site's machines by MAC, hostname and name.
func NewSnapshot(site *profiles.Site, loaded time.Time) *Snapshot {
	s := &Snapshot{Site: site, Loaded: loaded, byMAC: map[string]*profiles.Machine{},
		byHost: map[string]*profiles.Machine{}, byName: map[string]*profiles.Machine{},
		cache: map[cacheKey]*rendered{}, maxCache: cachePerMachine*len(site.Machines) + cacheSlack}
	for _, m := range site.Machines {
		s.byName[m.Name] = m
		for _, mac := range m.MACs {
			s.byMAC[strings.ToLower(mac)] = m
		}
		host := strings.ToLower(m.Profile.System.Hostname)
		if host == "" {
			host = m.Name
		}
		s.byHost[host] = m
	}
	if s.fallback = fallbackMachine(site); s.fallback != nil {
		if _, taken := s.byName[FallbackName]; !taken {
			s.byName[FallbackName] = s.fallback
		}
	}
	return s
}

// fallbackMachine is the machine that answers installers fugu does not
// know, with defaults.profile (nil without one): no dmesg, memory or MACs.
func fallbackMachine(site *profiles.Site) *profiles.Machine {
	name := site.Inventory.Defaults.Profile
	if name == "" || site.Profiles[name] == nil {
		return nil
	}
	return site.ProfileMachine(name, FallbackName)
}

// ByMAC returns the machine with a normalised MAC, or nil.
func (s *Snapshot) ByMAC(mac string) *profiles.Machine { return s.byMAC[mac] }

// ByHost returns the machine with a lowercased hostname, or nil.
func (s *Snapshot) ByHost(host string) *profiles.Machine { return s.byHost[host] }

// ByName returns a machine by its inventory name (or FallbackName), or nil.
func (s *Snapshot) ByName(name string) *profiles.Machine { return s.byName[name] }

// Fallback is the machine answering install.conf, nil without
// defaults.profile.
func (s *Snapshot) Fallback() *profiles.Machine { return s.fallback }

// renderProblem is why name cannot be rendered, "" when it can (or was
// not checked).
func (s *Snapshot) renderProblem(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.problems[name]
}

// files renders m once per key and keeps the result (an error too: the
// site does not change inside a snapshot, so neither would the outcome).
func (s *Snapshot) files(r Renderer, m *profiles.Machine, key cacheKey, opts func() Options) (*Files, error) {
	s.mu.Lock()
	e := s.cache[key]
	if e == nil {
		e = &rendered{}
		if len(s.cache) < s.maxCache {
			s.cache[key] = e
		}
	}
	s.mu.Unlock()
	e.once.Do(func() { e.files, e.err = r.Render(m, opts()) })
	return e.files, e.err
}
