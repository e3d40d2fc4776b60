package serve

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"fugu/profiles"
)

// CheckServerURL stands in for fugu's address when a site is checked
// without a fixed --server-url: the renders differ only in that address.
const CheckServerURL = "http://127.0.0.1"

// CheckSite renders every machine of site with r, as the server would
// answer its installer (placeholder callbacks, the machine's own release
// and arch), and returns every problem that stops one, located in the
// site's files: validation at load time cannot see what only shows with a
// machine's hardware or the planner's own rules, and a server must refuse
// such a site at start rather than answer its installer with a 500.
// serverURL is fugu's fixed address, or "" for CheckServerURL.
func CheckSite(site *profiles.Site, r Renderer, serverURL string) profiles.Problems {
	if serverURL == "" {
		serverURL = CheckServerURL
	}
	var found byMachine
	for _, m := range site.Machines {
		_, err := r.Render(m, checkOptions(m, serverURL))
		for _, p := range machineProblems(m, err) {
			found.add(p, m.Name)
		}
	}
	var ps profiles.Problems
	if fb := fallbackMachine(site); fb != nil {
		// defaults.profile answers machines fugu knows nothing of: what
		// needs a machine's dmesg or memory fails for every one of them.
		opts := checkOptions(fb, serverURL)
		opts.Unknown = true
		_, err := r.Render(fb, opts)
		for _, p := range machineProblems(fb, err) {
			p.Message += fmt.Sprintf(" (defaults.profile %s answers machines fugu does not know: no dmesg, memory or MACs)", fb.ProfileName)
			ps = append(ps, p)
		}
	}
	ps = append(ps, found.problems()...)
	return append(ps, nameClashes(site)...)
}

// SiteWarnings renders every machine of site as CheckSite does and
// returns the plans' warnings (a dmesg that contradicts the profile, a
// disk size fugu had to guess), located in the site's files like
// problems, each naming its machines. Warnings stop nothing.
func SiteWarnings(site *profiles.Site, r Renderer, serverURL string) profiles.Problems {
	if serverURL == "" {
		serverURL = CheckServerURL
	}
	var found byMachine
	for _, m := range site.Machines {
		f, err := r.Render(m, checkOptions(m, serverURL))
		if err != nil || f == nil {
			continue // CheckSite's business
		}
		for _, w := range f.Warnings {
			path, msg := splitKeyPath(w)
			at := m.Locate(path)
			at.Path, at.Message = path, msg
			found.add(at, m.Name)
		}
	}
	return found.problems()
}

// byMachine gathers the problems of several machines: each once, in the
// order first seen, with the machines it holds for.
type byMachine struct {
	order    []profiles.Problem
	machines map[profiles.Problem][]string
}

func (b *byMachine) add(p profiles.Problem, machine string) {
	if b.machines == nil {
		b.machines = map[profiles.Problem][]string{}
	}
	if b.machines[p] == nil {
		b.order = append(b.order, p)
	}
	b.machines[p] = append(b.machines[p], machine)
}

// problems says which machines each problem in a profile holds for (it
// may hold for some of them only: their dmesgs differ); one in
// machines.yaml is at the machine's own entry already.
func (b *byMachine) problems() profiles.Problems {
	var ps profiles.Problems
	for _, p := range b.order {
		if p.File != profiles.InventoryFile {
			names := b.machines[p]
			sort.Strings(names)
			p.Message += fmt.Sprintf(" (%s %s)", plural(len(names), "machine"), strings.Join(names, ", "))
		}
		ps = append(ps, p)
	}
	return ps
}

// nameClashes finds machines the server could not tell apart: two with
// one host name (HOST-install.conf and site<NN>-HOST.tgz would name
// either), and a machine named like defaults.profile's answers, whose
// template and site set URLs would then serve that machine's files.
func nameClashes(site *profiles.Site) profiles.Problems {
	var ps profiles.Problems
	owner := map[string]string{}
	for _, m := range site.Machines {
		if m.Name == FallbackName && site.Inventory.Defaults.Profile != "" {
			p := m.LocateEntry("name")
			p.Message = fmt.Sprintf("%q is the name fugu serve gives the answers of defaults.profile; rename this machine", FallbackName)
			ps = append(ps, p)
		}
		// The host name is the machine's name unless a profile or the
		// machine's set: gives another; point at whichever gave it.
		host, at := strings.ToLower(m.Profile.System.Hostname), m.LocateEntry("name")
		if host == "" {
			host = m.Name
		} else if host != m.Name {
			at = m.Locate("system.hostname")
		}
		if other, ok := owner[host]; ok {
			at.Message = fmt.Sprintf("host name %q is machine %s's too (machine %s): the installer's %s-install.conf and the site set would name either", host, other, m.Name, host)
			ps = append(ps, at)
			continue
		}
		owner[host] = m.Name
	}
	return ps
}

func checkOptions(m *profiles.Machine, base string) Options {
	return Options{ServerURL: base, Release: m.Profile.Release, Arch: m.Profile.Arch,
		InstallSiteCallback: base + "/callback/" + StepInstallSite + "/" + checkToken,
		FirstBootCallback:   base + "/callback/" + StepFirstBoot + "/" + checkToken}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// planPrefix starts the error autoinstall.NewPlan returns; what it wraps
// joins one error per problem, each "key.path: message".
const planPrefix = "plan for machine "

// keyPathRE is a profile key path as autoinstall names it:
// network.interfaces[0].name, files["/etc/x"].mode.
var keyPathRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*|\[[0-9]+\]|\["(?:[^"\\]|\\.)*"\])*$`)

// machineProblems turns a render error for m into located problems: one per
// problem the plan names, at the key path it names.
func machineProblems(m *profiles.Machine, err error) profiles.Problems {
	if err == nil {
		return nil
	}
	var parts []error
	if strings.HasPrefix(err.Error(), planPrefix) {
		if j, ok := errors.Unwrap(err).(interface{ Unwrap() []error }); ok {
			parts = j.Unwrap()
		}
	}
	if len(parts) == 0 {
		// Not the planner's list (a dmesg that cannot be read, a render
		// failure): report it with the machine's entry.
		at := m.Locate("")
		if strings.HasPrefix(err.Error(), "read dmesg") {
			at = m.LocateEntry("dmesg")
		}
		at.Message = "cannot be rendered: " + err.Error()
		return profiles.Problems{at}
	}
	var ps profiles.Problems
	for _, e := range parts {
		path, msg := splitKeyPath(e.Error())
		var at profiles.Problem
		switch path {
		case "":
			at = m.Locate("")
		case "name":
			// The machine's name comes from machines.yaml, not a profile.
			at = m.LocateEntry("name")
		default:
			at = m.Locate(path)
		}
		at.Message = msg
		if path == "" {
			at.Message = "cannot be rendered: " + msg
		}
		ps = append(ps, at)
	}
	return ps
}

// splitKeyPath splits "key.path: message" at the first ": " outside a
// quoted map key. It returns "" and s when s does not start with a key
// path.
func splitKeyPath(s string) (path, msg string) {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			q, err := strconv.QuotedPrefix(s[i:])
			if err != nil {
				return "", s
			}
			i += len(q) - 1
		case strings.HasPrefix(s[i:], ": "):
			if keyPathRE.MatchString(s[:i]) {
				return s[:i], s[i+2:]
			}
			return "", s
		}
	}
	return "", s
}
