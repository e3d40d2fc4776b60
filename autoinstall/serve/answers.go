package serve

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"fugu/profiles"
)

// answers serves install.conf or upgrade.conf. Unknown machines get 404
// (an empty 200 would start an install with no answers); an installed
// machine's install.conf is 404 until it is re-armed, and so is the
// generic install.conf its installer asks for next.
func (s *Server) answers(w http.ResponseWriter, r *http.Request, snap *Snapshot, req Request, rl *reqLog) {
	rl.mac, rl.file = req.MAC, req.Mode+".conf"
	ip := rl.ip.String()
	var m *profiles.Machine
	switch {
	case req.MAC != "":
		if m = snap.ByMAC(req.MAC); m == nil {
			s.seeUnknown(rl, req.MAC, "")
		}
	case req.Host != "":
		// A full name from DHCP (puffy.example.org) names the machine
		// by its first label, as the installer's own hostname -s does.
		short, _, _ := strings.Cut(req.Host, ".")
		if m = snap.ByHost(req.Host); m == nil {
			m = snap.ByHost(short)
		}
		if m == nil {
			s.seeUnknown(rl, "", short)
		}
	case req.Mode == "install" && snap.Fallback() != nil:
		if name, why, ok := s.refused.recent(rl.ip, time.Now()); ok {
			// The installer of a machine that is installed already, or
			// whose answers failed: its own were just refused (see
			// refusals.go).
			rl.machine = name
			if name != "" {
				s.record(rl, name, StepRefused, rl.file)
			} else {
				s.cfg.Log.Warn("install.conf refused", "ip", ip, "why", why)
			}
			http.Error(w, why, http.StatusNotFound)
			return
		}
		m = snap.Fallback()
	}
	if m == nil {
		http.Error(w, "no such machine", http.StatusNotFound)
		return
	}
	rl.machine = m.Name
	release, arch := m.Profile.Release, m.Profile.Arch
	if v := r.URL.Query().Get("path"); v != "" {
		rel, ar, err := ParseSetDir(v)
		if err != nil {
			http.Error(w, "bad path parameter", http.StatusBadRequest)
			return
		}
		if (release != "" && rel != release) || (arch != "" && ar != arch) {
			msg := fmt.Sprintf("installer runs %s/%s, profile %s says %s/%s", rel, ar, m.ProfileName, release, arch)
			s.cfg.Log.Warn("release mismatch", "machine", m.Name, "problem", msg)
			if m != snap.Fallback() {
				s.cfg.Store.Problem(m.Name, msg)
			}
		}
		release, arch = rel, ar
	}
	step := StepAnswers
	if req.Mode == "upgrade" {
		step = StepUpgradeAnswers
	}
	var t Ticket
	fallback := m == snap.Fallback()
	if !fallback {
		t = s.cfg.Store.Lookup(m.Name)
		if req.Mode == "install" && !t.Armed {
			s.noteRefusal(rl, m.Name, whyInstalled)
			s.record(rl, m.Name, StepRefused, rl.file)
			http.Error(w, whyInstalled, http.StatusNotFound)
			return
		}
	}
	f, ok := s.render(w, r, snap, m, req.Prefix, release, arch, t, fallback)
	if !ok {
		if !fallback {
			// The installer asks for the generic install.conf next: a
			// machine fugu knows must not get defaults.profile's answers.
			s.noteRefusal(rl, m.Name, whyFailed)
		}
		return
	}
	body := f.InstallConf
	if req.Mode == "upgrade" {
		body = f.UpgradeConf
	}
	if len(body) == 0 {
		s.cfg.Log.Error("render gave an empty answers file", "machine", m.Name, "mode", req.Mode)
		if !fallback {
			s.noteRefusal(rl, m.Name, whyFailed)
		}
		http.Error(w, "no answers rendered", http.StatusInternalServerError)
		return
	}
	if !fallback {
		s.record(rl, m.Name, step, rl.file)
	}
	writeBytes(w, "text/plain; charset=utf-8", body)
}

// render returns m's files for this request, from the snapshot's cache.
// On failure it has answered 500 (a render error is fugu's bug or a gap in
// validation, never the installer's fault) and returns false.
func (s *Server) render(w http.ResponseWriter, r *http.Request, snap *Snapshot, m *profiles.Machine,
	prefix, release, arch string, t Ticket, fallback bool) (*Files, bool) {
	base, err := s.serverURL(r)
	if err != nil {
		http.Error(w, "bad Host header", http.StatusBadRequest)
		return nil, false
	}
	// The profile's release and arch win over the installer's in the sets
	// directory the render names; list that directory's files. They are
	// listed at every request and are part of the cache key, so index.txt
	// follows the mirror as an admin fills it.
	mrel, march := release, arch
	if m.Profile.Release != "" {
		mrel = m.Profile.Release
	}
	if m.Profile.Arch != "" {
		march = m.Profile.Arch
	}
	mirror := s.mirrorFiles(mrel, march)
	key := cacheKey{name: m.Name, release: release, arch: arch, serverURL: base, prefix: prefix,
		mirror: strings.Join(mirror, "/"), generation: t.Generation}
	f, err := snap.files(s.cfg.Renderer, m, key, func() Options {
		opts := Options{ServerURL: base, PathPrefix: prefix, Release: release, Arch: arch,
			MirrorFiles: mirror, Unknown: fallback}
		if s.firmware != nil && release != "" {
			opts.FirmwareURL = base + "/" + prefix + "firmware/" + release
		}
		if !fallback {
			opts.InstallSiteCallback = base + "/" + prefix + "callback/" + StepInstallSite + "/" + t.InstallToken
			opts.FirstBootCallback = base + "/" + prefix + "callback/" + StepFirstBoot + "/" + t.FirstBootToken
		}
		return opts
	})
	if err != nil {
		s.cfg.Log.Error("render", "machine", m.Name, "err", err)
		http.Error(w, "render failed; see the server log", http.StatusInternalServerError)
		return nil, false
	}
	return f, true
}

// machineOf finds the machine a template or set request names, with its
// install ticket; fallback is true for the defaults.profile machine,
// which has no trail. It answers 404 itself when there is none.
func (s *Server) machineOf(w http.ResponseWriter, snap *Snapshot, req Request, rl *reqLog) (m *profiles.Machine, t Ticket, fallback bool) {
	rl.file = req.File
	m = snap.ByName(req.Machine)
	if m == nil {
		http.Error(w, "no such machine", http.StatusNotFound)
		return nil, t, false
	}
	rl.machine = m.Name
	fallback = m == snap.Fallback()
	if !fallback {
		t = s.cfg.Store.Lookup(m.Name)
	}
	return m, t, fallback
}

// template serves the disk template the rendered install.conf names.
func (s *Server) template(w http.ResponseWriter, r *http.Request, snap *Snapshot, req Request, rl *reqLog) {
	m, t, fallback := s.machineOf(w, snap, req, rl)
	if m == nil {
		return
	}
	f, ok := s.render(w, r, snap, m, req.Prefix, m.Profile.Release, m.Profile.Arch, t, fallback)
	if !ok {
		return
	}
	if f.TemplateName != req.File || len(f.DiskTemplate) == 0 {
		http.Error(w, "no template for this machine", http.StatusNotFound)
		return
	}
	if !fallback {
		s.record(rl, m.Name, StepTemplate, req.File)
	}
	writeBytes(w, "text/plain; charset=utf-8", f.DiskTemplate)
}

// set serves a file of the machine's sets directory: its site set and
// index.txt from the render, anything else from the sets mirror.
func (s *Server) set(w http.ResponseWriter, r *http.Request, snap *Snapshot, req Request, rl *reqLog) {
	m, t, fallback := s.machineOf(w, snap, req, rl)
	if m == nil {
		return
	}
	record := func(step string) {
		if !fallback {
			s.record(rl, m.Name, step, req.File)
		}
	}
	f, ok := s.render(w, r, snap, m, req.Prefix, req.Release, req.Arch, t, fallback)
	if !ok {
		return
	}
	switch {
	case req.File == "index.txt" && len(f.IndexTxt) > 0:
		record(StepIndex)
		writeBytes(w, "text/plain; charset=utf-8", f.IndexTxt)
	case req.File == f.SiteSetName && len(f.SiteSet) > 0:
		record(StepSiteSet)
		writeBytes(w, "application/x-gzip", f.SiteSet)
	default:
		if serveFromRoot(w, r, s.sets, req.Release+"/"+req.Arch+"/"+req.File) {
			record(StepSets)
		}
	}
}

// callback consumes a one-time token sent by install.site or rc.firsttime.
func (s *Server) callback(w http.ResponseWriter, r *http.Request, req Request, rl *reqLog) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rl.file = req.Step
	name, err := s.cfg.Store.Callback(req.Step, req.Token, rl.ip.String())
	rl.machine = name
	switch {
	case errors.Is(err, ErrUnknownToken):
		http.Error(w, "unknown or used token", http.StatusNotFound)
	case err != nil:
		s.cfg.Log.Error("record callback", "machine", name, "err", err)
		http.Error(w, "could not record; see the server log", http.StatusInternalServerError)
	default:
		writeBytes(w, "text/plain; charset=utf-8", []byte("ok\n"))
	}
}

func writeBytes(w http.ResponseWriter, ctype string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

// record, seeUnknown and noteRefusal track what an installer fetched;
// a HEAD fetches nothing (reqLog.look).
func (s *Server) record(rl *reqLog, name, step, file string) {
	if !rl.look {
		s.cfg.Store.Record(name, step, file, rl.ip.String())
	}
}

func (s *Server) seeUnknown(rl *reqLog, mac, host string) {
	if !rl.look {
		s.cfg.Store.SeeUnknown(mac, host, rl.ip.String())
	}
}

func (s *Server) noteRefusal(rl *reqLog, name, why string) {
	if !rl.look {
		s.refused.note(rl.ip, name, why, time.Now())
	}
}
