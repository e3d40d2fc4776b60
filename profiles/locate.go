package profiles

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// machinePos keeps the YAML nodes a machine was built from, so that a
// problem found after Load (by planning the machine with its hardware) is
// reported where the value was written.
type machinePos struct {
	origin  origin
	entry   *locator // the machine's entry in machines.yaml; nil for a single profile file
	at      string   // its key path there: machines[2]
	machine *locator // the profile with the machine's set: laid over it
	profile *locator // the profile alone, after extends
}

// Locate returns a Problem (without Message) for the value at key path of
// m's resolved profile, e.g. network.interfaces[0].name: in the profile
// file (or a profile it extends) that sets it, or in machines.yaml when
// the machine's set: does, with the path then starting machines[N].set.
// A key that is set nowhere is located at its nearest parent in the
// profile, so that the user adds it where the profile's keys live. The
// path "" names the machine's entry in machines.yaml. Machines not made
// by Load are located at machines.yaml without a line.
func (m *Machine) Locate(path string) Problem {
	pos := m.pos
	if pos == nil {
		return Problem{File: InventoryFile, Path: path}
	}
	if pos.entry == nil {
		// A single profile file: no machines.yaml, no set:.
		n, _ := pos.profile.find(path)
		if path != "" && strings.HasSuffix(path, `"]`) {
			n = pos.profile.keyNode(path)
		}
		return Problem{File: pos.origin[n], Line: n.Line, Col: n.Column, Path: path}
	}
	if path == "" {
		return pos.at0(pos.entry.root, pos.at)
	}
	loc := pos.machine
	n, found := loc.find(path)
	if !found {
		loc = pos.profile
		n, found = loc.find(path)
	}
	if found && strings.HasSuffix(path, `"]`) {
		// A files: path is wrong in itself: point at the key.
		n = loc.keyNode(path)
	}
	file := pos.origin[n]
	if file == "" || file == InventoryFile {
		return pos.at0(n, pathKey(pos.at, "set")+"."+path)
	}
	return Problem{File: file, Line: n.Line, Col: n.Column, Path: path}
}

// LocateEntry returns a Problem (without Message) for key of m's entry in
// machines.yaml, e.g. dmesg; a key the entry lacks is located at the
// entry.
func (m *Machine) LocateEntry(key string) Problem {
	if m.pos == nil {
		return Problem{File: InventoryFile, Path: key}
	}
	if m.pos.entry == nil {
		// A single profile file: its top stands for the entry.
		return m.Locate("")
	}
	n, _ := m.pos.entry.find(key)
	return m.pos.at0(n, pathKey(m.pos.at, key))
}

func (pos *machinePos) at0(n *yaml.Node, path string) Problem {
	return Problem{File: InventoryFile, Line: n.Line, Col: n.Column, Path: path}
}
