package main

import (
	"fmt"
	"os"
	"path/filepath"

	"fugu/autoinstall"
)

// writeRendered writes each file under a temporary name in dir and renames
// it into place, so a reader never sees half a file.
func writeRendered(dir string, f *autoinstall.Files, s *Streams) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	type out struct {
		name string
		data []byte
		mode os.FileMode
	}
	// install.conf and the site set carry password hashes and WPA keys.
	outs := []out{
		{"install.conf", f.InstallConf, 0o600},
		{"upgrade.conf", f.UpgradeConf, 0o600},
		{f.SiteSetName, f.SiteSet, 0o600},
		{"index.txt", f.IndexTxt, 0o644},
	}
	if f.TemplateName != "" {
		outs = append(outs, out{f.TemplateName, f.DiskTemplate, 0o644})
	}
	for _, o := range outs {
		if err := writeAtomic(filepath.Join(dir, o.name), o.data, o.mode); err != nil {
			return err
		}
		fmt.Fprintf(s.Out, "wrote %s (%d bytes)\n", filepath.Join(dir, o.name), len(o.data))
	}
	return nil
}

func writeAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	n, err := tmp.Write(data)
	if err == nil && n != len(data) {
		err = fmt.Errorf("short write (%d of %d bytes)", n, len(data))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
