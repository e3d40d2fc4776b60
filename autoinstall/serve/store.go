package serve

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// Store errors callers branch on.
var (
	ErrUnknownToken = errors.New("serve: unknown or used callback token")
	ErrNotInstalled = errors.New("serve: machine is not installed, nothing to re-arm")
)

// maxPending bounds the remembered unknown MACs; the oldest is forgotten.
const maxPending = 256

// flushDelay gathers repeats of a step (and problems) into one write per
// machine; a new step is written at once (see Record).
const flushDelay = 200 * time.Millisecond

type tokenRef struct{ name, step string }

// Ticket is what a request needs to know about a machine's arming.
type Ticket struct {
	Armed          bool
	Generation     int
	InstallToken   string
	FirstBootToken string
}

// Store holds every machine's install state in memory and mirrors it to a
// state directory (see doc.go). It is safe for concurrent use. With an
// empty directory it keeps state in memory only.
type Store struct {
	dir *stateDir
	now func() time.Time
	log *slog.Logger

	wmu sync.Mutex // serialises disk writes, so a newer file is never overwritten by an older one
	mu  sync.Mutex // guards everything below
	m   map[string]*MachineState
	pen map[string]*Pending
	tok map[string]tokenRef

	dirty        map[string]bool
	pendingDirty bool
	kick         chan struct{}
}

// OpenStore loads the state in dir (created if missing) and applies any
// re-arm requests left there by `fugu machine rearm`.
func OpenStore(dir string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{now: time.Now, log: log, m: map[string]*MachineState{}, pen: map[string]*Pending{},
		tok: map[string]tokenRef{}, dirty: map[string]bool{}, kick: make(chan struct{}, 1)}
	if dir == "" {
		return s, nil
	}
	d, err := openStateDir(dir)
	if err != nil {
		return nil, err
	}
	s.dir = d
	states, pending, err := d.load()
	if err != nil {
		return nil, err
	}
	for _, st := range states {
		s.m[st.Name] = st
		s.index(st)
	}
	for _, p := range pending {
		if p == nil {
			continue // a hand-edited file's null
		}
		s.pen[p.MAC] = p
	}
	for name := range s.m {
		if s.applyRearmRequest(name) {
			if err := s.persistRearm(name); err != nil {
				log.Error("write state", "machine", name, "err", err)
			}
		}
	}
	return s, nil
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

func (s *Store) index(st *MachineState) {
	if st.InstallToken != "" && !st.InstallUsed {
		s.tok[st.InstallToken] = tokenRef{st.Name, StepInstallSite}
	}
	if st.FirstBootToken != "" && !st.FirstBootUsed {
		s.tok[st.FirstBootToken] = tokenRef{st.Name, StepFirstBoot}
	}
}

// get returns name's state, creating it with fresh tokens. Callers hold mu.
func (s *Store) get(name string) *MachineState {
	st := s.m[name]
	if st == nil {
		st = &MachineState{Name: name}
		s.m[name] = st
	}
	if st.InstallToken == "" {
		st.InstallToken, st.FirstBootToken = newToken(), newToken()
		st.InstallUsed, st.FirstBootUsed = false, false
		s.index(st)
		s.markDirty(name)
	}
	return st
}

func (s *Store) markDirty(name string) {
	s.dirty[name] = true
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Lookup returns name's arming. An installed machine for which a re-arm
// was requested on disk is re-armed here.
func (s *Store) Lookup(name string) Ticket {
	s.mu.Lock()
	st := s.get(name)
	if !st.Armed() && s.applyRearmRequest(name) {
		s.mu.Unlock()
		if err := s.persistRearm(name); err != nil {
			s.log.Error("write state", "machine", name, "err", err)
		}
		s.mu.Lock()
	}
	t := Ticket{Armed: st.Armed(), Generation: st.Generation, InstallToken: st.InstallToken, FirstBootToken: st.FirstBootToken}
	s.mu.Unlock()
	return t
}

// applyRearmRequest re-arms name if a request newer than its install is
// on disk, and removes a request it does not apply. Callers hold mu; when
// it returns true they call persistRearm, which removes the request once
// the re-arm is on disk, so a server that stops first does not lose it.
func (s *Store) applyRearmRequest(name string) bool {
	if s.dir == nil {
		return false
	}
	at, ok := s.dir.rearmRequest(name)
	if !ok {
		return false
	}
	st := s.m[name]
	if st == nil || st.Armed() || !at.After(st.Installed) {
		s.dir.removeRearmRequest(name)
		return false
	}
	s.rearm(st, "fugu machine rearm")
	return true
}

// persistRearm writes name's state after applyRearmRequest re-armed it,
// then removes the request it applied. Callers do not hold mu.
func (s *Store) persistRearm(name string) error {
	if err := s.persist(name); err != nil {
		return err
	}
	s.dir.removeRearmRequest(name)
	return nil
}

func (s *Store) rearm(st *MachineState, by string) {
	delete(s.tok, st.InstallToken)
	delete(s.tok, st.FirstBootToken)
	st.Generation++
	st.Installed, st.FirstBoot = time.Time{}, time.Time{}
	st.InstallToken = ""
	st.add(Event{Step: StepRearmed, IP: by, Time: s.now()})
	s.get(st.Name) // new tokens
}

// Record adds a step to name's trail. A new step (another step, file or
// address than the last) is on disk before Record returns, so that
// `fugu machine list`, which reads the state directory, shows the latest
// step at once; a repeat of the last step only updates its count and time,
// which reach the disk within flushDelay, so a machine fetching the same
// file in a loop costs no write per request.
func (s *Store) Record(name, step, file, ip string) {
	s.mu.Lock()
	st := s.get(name)
	before := st.Last()
	st.add(Event{Step: step, File: file, IP: ip, Time: s.now()})
	repeat := before.Step == step && before.File == file && before.IP == ip
	if repeat {
		s.markDirty(name)
	}
	s.mu.Unlock()
	if !repeat {
		if err := s.persist(name); err != nil {
			s.log.Error("write state", "machine", name, "err", err)
		}
	}
}

// Problem notes something wrong with name (shown on the status page).
func (s *Store) Problem(name, msg string) {
	s.mu.Lock()
	if s.get(name).problem(msg) {
		s.markDirty(name)
	}
	s.mu.Unlock()
}

// Callback consumes a one-time token: install-site marks the machine
// installed (its install.conf is refused from now on), first-boot records
// the first boot. The change is on disk before Callback returns.
func (s *Store) Callback(step, token, ip string) (string, error) {
	s.mu.Lock()
	ref, ok := s.tok[token]
	if !ok || ref.step != step {
		s.mu.Unlock()
		return "", ErrUnknownToken
	}
	delete(s.tok, token)
	st := s.m[ref.name]
	now := s.now()
	if step == StepInstallSite {
		st.InstallUsed, st.Installed = true, now
	} else {
		st.FirstBootUsed, st.FirstBoot = true, now
		if st.Installed.IsZero() { // install.site could not call back; the first boot proves it
			st.Installed = now
			st.InstallUsed = true
			delete(s.tok, st.InstallToken)
		}
	}
	st.add(Event{Step: step, IP: ip, Time: now})
	s.mu.Unlock()
	return ref.name, s.persist(ref.name)
}

// Rearm allows name to be installed again; by says who asked.
func (s *Store) Rearm(name, by string) error {
	s.mu.Lock()
	st := s.get(name)
	if st.Armed() {
		s.mu.Unlock()
		return fmt.Errorf("re-arm %s: %w", name, ErrNotInstalled)
	}
	s.rearm(st, by)
	s.mu.Unlock()
	return s.persist(name)
}

// Machines returns copies of every machine's state without the tokens,
// sorted by name. Re-arm requests left by `fugu machine rearm` are applied
// first, so the status page shows them at once.
func (s *Store) Machines() []MachineState {
	s.mu.Lock()
	var rearmed []string
	for name, st := range s.m {
		if !st.Armed() && s.applyRearmRequest(name) {
			rearmed = append(rearmed, name)
		}
	}
	out := make([]MachineState, 0, len(s.m))
	for _, st := range s.m {
		out = append(out, st.public())
	}
	s.mu.Unlock()
	for _, name := range rearmed {
		if err := s.persistRearm(name); err != nil {
			s.log.Error("write state", "machine", name, "err", err)
		}
	}
	slices.SortFunc(out, func(a, b MachineState) int { return strings.Compare(a.Name, b.Name) })
	return out
}
