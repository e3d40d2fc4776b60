package main

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
)

// deviceCall is one print_devices call in patterns.c's main.
type deviceCall struct {
	Driver string // first argument
	Array  string // the pci_matchid array
	After  string // the fixed line printed just before it
}

// patternsC is what the generator needs from patterns.c.
type patternsC struct {
	ID      string   // the $OpenBSD$ line, without the dollars
	Headers []string // the "*_devlist.h" files it includes, in order
	Calls   []deviceCall
}

var (
	rcsID          = regexp.MustCompile(`\$(OpenBSD: [^$]*)\$`)
	includeRe      = regexp.MustCompile(`(?m)^#include "([^"]+_devlist\.h)"`)
	printfRe       = regexp.MustCompile(`^\s*printf\("%s\\n", "((?:[^"\\]|\\.)*)"\);`)
	printDevicesRe = regexp.MustCompile(`^\s*print_devices\("([^"]+)",\s*(\w+),\s*nitems\((\w+)\)\);`)
)

// printDevicesFormat is the printf in print_devices this generator
// reproduces; another format means the generator needs review.
const printDevicesFormat = `printf("%s \"%s %s\"\n", driver, v ? v : "", p ? p : "");`

// parsePatternsC reads the print_devices calls of patterns.c and the fixed
// line each follows.
func parsePatternsC(src string) (*patternsC, error) {
	if !strings.Contains(src, printDevicesFormat) {
		return nil, fmt.Errorf("patterns.c: print_devices no longer prints with %s", printDevicesFormat)
	}
	if !strings.Contains(src, "if ( v && p )") {
		return nil, errors.New("patterns.c: print_devices no longer skips devices without names (if ( v && p ))")
	}
	pc := &patternsC{}
	if m := rcsID.FindStringSubmatch(src); m != nil {
		pc.ID = strings.TrimSpace(m[1])
	}
	for _, m := range includeRe.FindAllStringSubmatch(src, -1) {
		pc.Headers = append(pc.Headers, m[1])
	}
	last := ""
	for i, line := range strings.Split(src, "\n") {
		if m := printfRe.FindStringSubmatch(line); m != nil {
			s, err := strconv.Unquote(`"` + m[1] + `"`)
			if err != nil {
				return nil, fmt.Errorf("patterns.c:%d: %v", i+1, err)
			}
			last = s
			continue
		}
		if m := printDevicesRe.FindStringSubmatch(line); m != nil {
			if m[2] != m[3] {
				return nil, fmt.Errorf("patterns.c:%d: print_devices counts %s but prints %s", i+1, m[3], m[2])
			}
			if last == "" {
				return nil, fmt.Errorf("patterns.c:%d: print_devices before any fixed line", i+1)
			}
			pc.Calls = append(pc.Calls, deviceCall{Driver: m[1], Array: m[2], After: last})
		}
	}
	if len(pc.Calls) == 0 {
		return nil, errors.New("patterns.c: no print_devices calls")
	}
	return pc, nil
}

// matchID is one { vendor, product } entry of a pci_matchid array.
type matchID struct{ Vendor, Product uint16 }

var (
	cComment   = regexp.MustCompile(`(?s)/\*.*?\*/`)
	arrayStart = regexp.MustCompile(`pci_matchid\s+(\w+)\s*\[\s*\]\s*=\s*\{`)
	entryRe    = regexp.MustCompile(`^\{\s*(0[xX][0-9a-fA-F]+)\s*,\s*(0[xX][0-9a-fA-F]+)\s*\}\s*,?`)
)

// parseDevlist reads the pci_matchid arrays of a drm *_devlist.h.
func parseDevlist(name, src string) (map[string][]matchID, error) {
	src = cComment.ReplaceAllString(src, " ")
	arrays := map[string][]matchID{}
	for _, loc := range arrayStart.FindAllStringSubmatchIndex(src, -1) {
		array := src[loc[2]:loc[3]]
		rest := src[loc[1]:]
		var ids []matchID
		for {
			rest = strings.TrimLeft(rest, " \t\r\n")
			if strings.HasPrefix(rest, "}") {
				break
			}
			m := entryRe.FindStringSubmatch(rest)
			if m == nil {
				return nil, fmt.Errorf("%s: %s: cannot read entry at %.30q", name, array, rest)
			}
			v, err1 := strconv.ParseUint(m[1], 0, 16)
			p, err2 := strconv.ParseUint(m[2], 0, 16)
			if err := errors.Join(err1, err2); err != nil {
				return nil, fmt.Errorf("%s: %s: %v", name, array, err)
			}
			ids = append(ids, matchID{uint16(v), uint16(p)})
			rest = rest[len(m[0]):]
		}
		arrays[array] = ids
	}
	if len(arrays) == 0 {
		return nil, fmt.Errorf("%s: no pci_matchid array", name)
	}
	return arrays, nil
}

// pciNames is pcidevs as devlist2h.awk turns it into pcidevs_data.h:
// vendors and products in file order, each with its description.
type pciNames struct {
	ID       string // the first line, without the dollars
	vendors  []pciVendor
	products []pciProduct
}

type pciVendor struct {
	Sym  string
	ID   uint16
	Name string
}

type pciProduct struct {
	Vendor string // the vendor's symbol
	ID     uint16
	Name   string
}

// parsePcidevs reads the vendor and product lines of pcidevs the way
// devlist2h.awk does: fields split at blanks; the description is the
// fields after the id up to a lone "#" (what follows is a comment),
// joined by single spaces. The first line is the version, not data.
func parsePcidevs(src string) (*pciNames, error) {
	n := &pciNames{}
	seen := map[string]bool{}
	for i, line := range strings.Split(src, "\n") {
		if i == 0 {
			n.ID = strings.TrimSpace(strings.ReplaceAll(line, "$", ""))
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "vendor":
			if len(f) < 3 {
				return nil, fmt.Errorf("pcidevs:%d: vendor line with %d fields", i+1, len(f))
			}
			if seen[f[1]] {
				return nil, fmt.Errorf("pcidevs:%d: duplicate vendor name %s", i+1, f[1])
			}
			seen[f[1]] = true
			id, err := strconv.ParseUint(f[2], 0, 16)
			if err != nil {
				return nil, fmt.Errorf("pcidevs:%d: vendor %s: %v", i+1, f[1], err)
			}
			n.vendors = append(n.vendors, pciVendor{f[1], uint16(id), description(f[3:])})
		case "product":
			if len(f) < 4 {
				return nil, fmt.Errorf("pcidevs:%d: product line with %d fields", i+1, len(f))
			}
			id, err := strconv.ParseUint(f[3], 0, 16)
			if err != nil {
				return nil, fmt.Errorf("pcidevs:%d: product %s %s: %v", i+1, f[1], f[2], err)
			}
			n.products = append(n.products, pciProduct{f[1], uint16(id), description(f[4:])})
		}
	}
	for _, p := range n.products {
		if !seen[p.Vendor] {
			return nil, fmt.Errorf("pcidevs: product of unknown vendor %s", p.Vendor)
		}
	}
	return n, nil
}

func description(fields []string) string {
	for i, f := range fields {
		if f == "#" {
			fields = fields[:i]
			break
		}
	}
	return strings.Join(fields, " ")
}

// vendor is patterns.c's pci_findvendor: the first vendor with the id.
func (n *pciNames) vendor(id uint16) (string, bool) {
	for _, v := range n.vendors {
		if v.ID == id {
			return v.Name, true
		}
	}
	return "", false
}

// product is patterns.c's pci_findproduct: the first product, in file
// order, of a vendor symbol whose value is vendor and with the id.
func (n *pciNames) product(vendor, id uint16) (string, bool) {
	for _, p := range n.products {
		if p.ID != id {
			continue
		}
		for _, v := range n.vendors {
			if v.Sym == p.Vendor && v.ID == vendor {
				return p.Name, true
			}
		}
	}
	return "", false
}

// readSources reads patterns.c, its devlist headers and pcidevs from dir.
func readSources(dir fs.FS) (*patternsC, map[string][]matchID, *pciNames, error) {
	read := func(name string) (string, error) {
		b, err := fs.ReadFile(dir, name)
		return string(b), err
	}
	src, err := read("patterns.c")
	if err != nil {
		return nil, nil, nil, err
	}
	pc, err := parsePatternsC(src)
	if err != nil {
		return nil, nil, nil, err
	}
	arrays := map[string][]matchID{}
	for _, h := range pc.Headers {
		src, err := read(h)
		if err != nil {
			return nil, nil, nil, err
		}
		a, err := parseDevlist(h, src)
		if err != nil {
			return nil, nil, nil, err
		}
		for k, v := range a {
			arrays[k] = v
		}
	}
	src, err = read("pcidevs")
	if err != nil {
		return nil, nil, nil, err
	}
	names, err := parsePcidevs(src)
	if err != nil {
		return nil, nil, nil, err
	}
	return pc, arrays, names, nil
}
