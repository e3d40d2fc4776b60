package serve

import (
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"
)

//go:embed status.html
var statusHTML string

var statusTmpl = template.Must(template.New("status").Option("missingkey=error").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04:05Z")
	},
}).Parse(statusHTML))

// MachineStatus is one machine as the status page and /api/machines show
// it. It carries no secrets: no tokens, hashes or keys.
type MachineStatus struct {
	Name       string    `json:"name"`
	Profile    string    `json:"profile"`
	MACs       []string  `json:"macs"`
	Hostname   string    `json:"hostname"`
	Armed      bool      `json:"armed"`
	Generation int       `json:"generation"`
	Installed  time.Time `json:"installed,omitzero"`
	FirstBoot  time.Time `json:"first_boot,omitzero"`
	Last       *Event    `json:"last,omitempty"`
	Trail      []Event   `json:"trail"`
	Problems   []string  `json:"problems"`
}

// Status is the whole status page's data.
type Status struct {
	Loaded   time.Time       `json:"loaded"`
	Default  string          `json:"default_profile,omitempty"`
	Machines []MachineStatus `json:"machines"`
	Pending  []Pending       `json:"pending"`
	CSRF     string          `json:"-"`
}

// Status gathers every machine of the current site with its install state.
func (s *Server) Status() Status {
	snap := s.snap.Load()
	states := map[string]MachineState{}
	for _, st := range s.cfg.Store.Machines() {
		states[st.Name] = st
	}
	out := Status{Loaded: snap.Loaded, Default: snap.Site.Inventory.Defaults.Profile,
		Pending: s.cfg.Store.Pending(), Machines: []MachineStatus{}, CSRF: s.csrf}
	missing := s.MissingSets()
	for _, m := range snap.Site.Machines {
		st, ok := states[m.Name]
		if !ok {
			st = MachineState{Name: m.Name}
		}
		host := m.Profile.System.Hostname
		if host == "" {
			host = m.Name
		}
		ms := MachineStatus{Name: m.Name, Profile: m.ProfileName, MACs: m.MACs, Hostname: host,
			Armed: st.Armed(), Generation: st.Generation, Installed: st.Installed, FirstBoot: st.FirstBoot,
			Trail: st.Trail, Problems: st.Problems}
		if ms.MACs == nil {
			ms.MACs = []string{}
		}
		if ms.Trail == nil {
			ms.Trail = []Event{}
		}
		if p := missing[m.Name]; p != "" {
			ms.Problems = append([]string{p}, ms.Problems...)
		}
		if p := snap.renderProblem(m.Name); p != "" {
			ms.Problems = append([]string{p}, ms.Problems...)
		}
		if ms.Problems == nil {
			ms.Problems = []string{}
		}
		if len(st.Trail) > 0 {
			last := st.Last()
			ms.Last = &last
		}
		out.Machines = append(out.Machines, ms)
	}
	return out
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var b strings.Builder
	if err := statusTmpl.Execute(&b, s.Status()); err != nil {
		s.cfg.Log.Error("status page", "err", err)
		http.Error(w, "status page failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	writeBytes(w, "text/html; charset=utf-8", []byte(b.String()))
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	b, err := json.MarshalIndent(s.Status(), "", "  ")
	if err != nil {
		http.Error(w, "encode status", http.StatusInternalServerError)
		return
	}
	writeBytes(w, "application/json", append(b, '\n'))
}

// rearm handles the status page's re-arm button. It refuses cross-site
// requests twice over: the browser's Origin (or Referer) must be this
// page's, and the form must carry this server's token.
func (s *Server) rearm(w http.ResponseWriter, r *http.Request, rl *reqLog) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !sameOrigin(r) {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(s.csrf)) != 1 {
		http.Error(w, "stale or missing form token; reload the page", http.StatusForbidden)
		return
	}
	name := r.PostForm.Get("name")
	rl.machine = name
	if !nameRE.MatchString(name) || s.snap.Load().ByName(name) == nil || name == FallbackName {
		http.Error(w, "no such machine", http.StatusNotFound)
		return
	}
	err := s.cfg.Store.Rearm(name, "status page, "+rl.ip.String())
	switch {
	case errors.Is(err, ErrNotInstalled):
		http.Error(w, "machine is already armed", http.StatusConflict)
	case err != nil:
		s.cfg.Log.Error("re-arm", "machine", name, "err", err)
		http.Error(w, "could not record the re-arm; see the server log", http.StatusInternalServerError)
	default:
		s.cfg.Log.Info("re-armed", "machine", name, "by", rl.ip.String())
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}
}

// sameOrigin accepts a request whose Origin, or else Referer, names this
// very server, and which the browser does not flag as cross-site.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	self := "http://" + r.Host
	if o := r.Header.Get("Origin"); o != "" {
		return o == self
	}
	ref := r.Header.Get("Referer")
	return ref == self || strings.HasPrefix(ref, self+"/")
}
