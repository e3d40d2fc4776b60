package serve

import (
	"slices"
	"time"
)

// Steps of an install as the server sees them.
const (
	StepAnswers        = "answers"         // install.conf served
	StepUpgradeAnswers = "upgrade-answers" // upgrade.conf served
	StepTemplate       = "template"        // disk template served
	StepIndex          = "index"           // index.txt served
	StepSiteSet        = "site-set"        // the machine's site set served
	StepSets           = "sets"            // an official set file served
	StepInstallSite    = "install-site"    // install.site reported success: installed
	StepFirstBoot      = "first-boot"      // rc.firsttime reported the first boot
	StepRefused        = "refused"         // install.conf asked for after the install
	StepRearmed        = "rearmed"         // an admin allowed a new install
)

// maxTrail bounds a machine's trail; repeats of a step fold into one event,
// so even a machine stuck in a loop keeps a short, readable trail.
const maxTrail = 64

// maxProblems bounds the problems kept per machine.
const maxProblems = 8

// Event is one step in a machine's trail.
type Event struct {
	Step  string    `json:"step"`
	File  string    `json:"file,omitempty"`
	IP    string    `json:"ip,omitempty"`
	Time  time.Time `json:"time"`
	Count int       `json:"count,omitempty"` // times seen in a row (1 when 0)
}

// MachineState is what the server knows of one machine's installs. The
// tokens are secrets: they authorise the callbacks and are never shown.
type MachineState struct {
	Name       string    `json:"name"`
	Generation int       `json:"generation"` // bumped by every re-arm
	Installed  time.Time `json:"installed,omitzero"`
	FirstBoot  time.Time `json:"first_boot,omitzero"`
	Trail      []Event   `json:"trail,omitempty"`
	Problems   []string  `json:"problems,omitempty"`

	InstallToken   string `json:"install_token,omitempty"`
	FirstBootToken string `json:"first_boot_token,omitempty"`
	InstallUsed    bool   `json:"install_token_used,omitempty"`
	FirstBootUsed  bool   `json:"first_boot_token_used,omitempty"`
}

// Armed reports whether the machine may be (re)installed.
func (m *MachineState) Armed() bool { return m.Installed.IsZero() }

// Last is the newest event, or the zero Event.
func (m *MachineState) Last() Event {
	if len(m.Trail) == 0 {
		return Event{}
	}
	return m.Trail[len(m.Trail)-1]
}

// add appends ev, folding it into the last event when it repeats it.
func (m *MachineState) add(ev Event) {
	if n := len(m.Trail); n > 0 {
		last := &m.Trail[n-1]
		if last.Step == ev.Step && last.File == ev.File && last.IP == ev.IP {
			last.Count = max(last.Count, 1) + 1
			last.Time = ev.Time
			return
		}
	}
	m.Trail = append(m.Trail, ev)
	if len(m.Trail) > maxTrail {
		m.Trail = slices.Delete(m.Trail, 0, len(m.Trail)-maxTrail)
	}
}

// problem records msg once.
func (m *MachineState) problem(msg string) bool {
	if slices.Contains(m.Problems, msg) {
		return false
	}
	m.Problems = append(m.Problems, msg)
	if len(m.Problems) > maxProblems {
		m.Problems = slices.Delete(m.Problems, 0, len(m.Problems)-maxProblems)
	}
	return true
}

// public is a copy without the secrets, for the status page and API.
func (m *MachineState) public() MachineState {
	c := *m
	c.Trail = slices.Clone(m.Trail)
	c.Problems = slices.Clone(m.Problems)
	c.InstallToken, c.FirstBootToken = "", ""
	return c
}

// Pending is an unknown MAC that asked for answers: a machine to enrol.
type Pending struct {
	MAC       string    `json:"mac"`
	Host      string    `json:"host,omitempty"` // from a HOST-install.conf request by the same IP
	IP        string    `json:"ip"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Count     int       `json:"count"`
}
