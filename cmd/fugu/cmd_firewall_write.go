package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fugu/firewall"
)

// writeRoleFiles writes files under root the way a host must get them,
// since --out may well be / on the gateway itself: a file installed only
// if absent (nospamd, the table files) is never overwritten, and a
// changed file is replaced by rename after a dated copy of the old one.
// It returns one line per file for the listing.
func writeRoleFiles(root *os.Root, files firewall.Files, now time.Time) ([]string, error) {
	stamp := now.UTC().Format("20060102150405")
	var lines []string
	for _, p := range files.Paths() {
		f := files[p]
		rel := strings.TrimPrefix(p, "/")
		note, err := writeOne(root, rel, f, stamp)
		if err != nil {
			return lines, fmt.Errorf("render %s: %w", p, err)
		}
		lines = append(lines, fmt.Sprintf("%04o %s%s", f.Mode, p, note))
	}
	return lines, nil
}

func writeOne(root *os.Root, rel string, f firewall.File, stamp string) (string, error) {
	if err := root.MkdirAll(filepath.Dir(rel), 0o755); err != nil {
		return "", err
	}
	old, err := root.ReadFile(rel)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", err
	case exists && f.IfAbsent:
		return " (exists, kept)", nil
	case exists && bytes.Equal(old, f.Data):
		return " (unchanged)", root.Chmod(rel, f.Mode)
	}
	tmp := rel + ".fugu-new"
	if err := root.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := root.WriteFile(tmp, f.Data, f.Mode); err != nil {
		return "", err
	}
	note := ""
	if f.IfAbsent {
		note = " (install only if absent)"
	}
	if exists {
		backup := rel + ".fugu-" + stamp
		if err := root.WriteFile(backup, old, 0o600); err != nil {
			root.Remove(tmp)
			return "", fmt.Errorf("save the previous file: %w", err)
		}
		note = " (previous saved as /" + backup + ")"
	}
	if err := root.Rename(tmp, rel); err != nil {
		root.Remove(tmp)
		return "", err
	}
	return note, nil
}
