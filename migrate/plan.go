package migrate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"

	"fugu/hardware"
	"fugu/packages"
)

// Options are the choices NewPlan takes besides the two inventories.
type Options struct {
	// Index is the target release's package index; nil skips the check.
	Index *packages.Index
	// IfMap maps old interface names to new ones (MapInterfaces).
	IfMap map[string]string
	// OldFacts and NewFacts come from the machines' dmesgs; either may be
	// nil. They tell physical interfaces from pseudo ones and give MACs
	// for hostname.<lladdr> files.
	OldFacts, NewFacts *hardware.Facts
	// IfNotes are MapInterfaces' notes, shown in the plan.
	IfNotes []string
	// Include are extra absolute paths to copy (--include).
	Include []string
	// Root is a path prefix on both machines for tests (see HostMachine);
	// "" or "/" on real machines.
	Root string
}

// Action is what happens to a file or crontab.
type Action string

const (
	Create    Action = "create"
	Replace   Action = "replace"
	Unchanged Action = "unchanged"
)

// FileChange is a file the plan writes on the new machine.
type FileChange struct {
	Path      string   `json:"path"`
	From      string   `json:"from,omitempty"` // the old machine's path when it differs
	Action    Action   `json:"action"`
	Mode      FileMode `json:"mode"`
	CheckDoas bool     `json:"check_doas,omitempty"` // doas -C on the target first
	Secret    bool     `json:"secret,omitempty"`     // may hold secrets: diffs are redacted, or not shown for files others may not read
	Diff      string   `json:"diff,omitempty"`       // unified, target -> planned, redacted
	Notes     []string `json:"notes,omitempty"`
	Data      []byte   `json:"-"`
	// TargetSum is the SHA-256 of the target's file when the plan was
	// made ("" if absent): Apply will not overwrite a file that changed
	// since.
	TargetSum string `json:"-"`
}

// CrontabChange is a user's crontab the plan installs.
type CrontabChange struct {
	User      string   `json:"user"`
	Action    Action   `json:"action"`
	Diff      string   `json:"diff,omitempty"`
	Notes     []string `json:"notes,omitempty"`
	Data      []byte   `json:"-"`
	TargetSum string   `json:"-"`
}

// Skip is something on the old machine that the plan does not copy.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Replacement is a package name rewritten for the target release.
type Replacement struct {
	From   packages.Name `json:"from"`
	To     packages.Name `json:"to"`
	Reason string        `json:"reason"`
}

// PackagePlan says what happens to the old machine's manual packages.
type PackagePlan struct {
	Add      []packages.Name    `json:"add"`      // installed by Apply, in this order
	Present  []packages.Name    `json:"present"`  // already on the new machine
	Replaced []Replacement      `json:"replaced"` // rewritten names (included in Add or Present)
	Missing  []packages.Finding `json:"missing"`  // not installable from the index; not in Add
	Notes    []string           `json:"notes,omitempty"`
}

// Plan is everything Apply will do, and what it will not.
type Plan struct {
	From       string          `json:"from"`
	To         string          `json:"to"`
	Root       string          `json:"-"`
	Packages   PackagePlan     `json:"packages"`
	Crontabs   []CrontabChange `json:"crontabs"`
	Files      []FileChange    `json:"files"`
	Skipped    []Skip          `json:"skipped"`
	Interfaces []string        `json:"interfaces,omitempty"`
	Notes      []string        `json:"notes,omitempty"`
}

// MarshalJSON writes the mode as an octal string ("0600").
func (m FileMode) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Owner string `json:"owner"`
		Group string `json:"group"`
		Mode  string `json:"mode"`
	}{m.Owner, m.Group, fmt.Sprintf("%04o", uint32(m.Perm))})
}

func (m FileMode) String() string { return fmt.Sprintf("%s:%s %04o", m.Owner, m.Group, uint32(m.Perm)) }

var (
	rootWheel = func(perm fs.FileMode) FileMode { return FileMode{Owner: "root", Group: "wheel", Perm: perm} }
)

// NewPlan decides the migration from the old machine's inventory to the
// new one's. It is pure: the same inventories and options give the same
// plan, byte for byte.
func NewPlan(old, cur *Inventory, opts Options) *Plan {
	p := &Plan{From: old.Host, To: cur.Host, Root: opts.Root, Interfaces: opts.IfNotes}
	p.Packages = planPackages(old.Packages, cur.Packages, opts.Index)
	planFiles(p, old, cur, opts)
	planCrontabs(p, old, cur)
	planUsers(p, old, cur)
	for _, pr := range old.Problems {
		p.Notes = append(p.Notes, fmt.Sprintf("%s: %s", old.Host, pr))
	}
	for _, pr := range cur.Problems {
		p.Notes = append(p.Notes, fmt.Sprintf("%s: %s", cur.Host, pr))
	}
	return p
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Empty reports whether applying the plan would change nothing.
func (p *Plan) Empty() bool {
	if len(p.Packages.Add) > 0 {
		return false
	}
	for _, f := range p.Files {
		if f.Action != Unchanged {
			return false
		}
	}
	for _, c := range p.Crontabs {
		if c.Action != Unchanged {
			return false
		}
	}
	return true
}
