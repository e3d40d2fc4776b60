package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"fugu/autoinstall/serve"
	"fugu/hardware"
	"fugu/profiles"

	"github.com/spf13/cobra"
)

const hwEnrollLong = `Add a machine to a site from its dmesg: store the dmesg as
SITE/dmesg/NAME.txt and append NAME to SITE/machines.yaml with its profile,
its MAC and the dmesg path, keeping the file's comments and layout. The
facts in the dmesg then drive rendering (memory for swap sizing, SSDs for
the root disk, interface names).

The site must load with the new entry (the profile exists, the name and
MAC are free), or nothing is written. What only planning the machine with
its dmesg finds (a wireless interface the profile configures as wired, a
disk it lacks) is printed as a warning.

The MAC is --mac when given; otherwise the first wired interface in the
dmesg with a real (not masked) MAC, else the first interface with one.
Without any, the machine is added without a MAC (it can still be matched by
hostname) and a warning is printed.

Files are written to a temporary name and renamed into place: the dmesg
first, then machines.yaml, so the inventory never names a missing dmesg. An
existing SITE/dmesg/NAME.txt with other content is kept as NAME.txt.bak (or
.bak.1, .bak.2, ...), and the previous machines.yaml as machines.yaml.bak.
--dry-run prints what would be written.

EXIT STATUS
  0  success
  1  the dmesg could not be read, or a file could not be written
  2  bad usage, an empty dmesg, no site at --site, or an entry the
     site refuses (a bad name or MAC, a name or MAC already enrolled, an
     unknown profile)`

type hwEnrollOptions struct {
	File    string
	Site    string
	Name    string
	Profile string
	MAC     string
	DryRun  bool
}

func newHWEnrollCmd(s *Streams) *cobra.Command {
	opts := &hwEnrollOptions{}
	cmd := &cobra.Command{
		Use:     "enroll FILE --site DIR --name NAME --profile PROFILE [--mac MAC]",
		Short:   "Add a machine to the site from its dmesg",
		Long:    hwEnrollLong,
		Example: "  fugu hw enroll delilah.dmesg --site ./site --name delilah --profile laptop",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return runHWEnroll(cmd.Context(), opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Site, "site", os.Getenv("FUGU_SITE"), "the site directory, which holds machines.yaml (env FUGU_SITE)")
	f.StringVar(&opts.Name, "name", "", "the machine's name (becomes its hostname)")
	f.StringVar(&opts.Profile, "profile", "", "the profile the machine gets")
	f.StringVar(&opts.MAC, "mac", "", "the MAC the installer boots from (default: from the dmesg)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print what would be written, write nothing")
	return cmd
}

func runHWEnroll(_ context.Context, opts *hwEnrollOptions, s *Streams) error {
	for _, req := range []struct{ flag, value string }{{"--site", opts.Site}, {"--name", opts.Name}, {"--profile", opts.Profile}} {
		if req.value == "" {
			return usagef("hw enroll: %s is required", req.flag)
		}
	}
	dmesg, err := readDmesg(opts.File, s.In)
	if err != nil {
		return err
	}
	facts, err := hardware.Parse(bytes.NewReader(dmesg))
	if err != nil {
		return invalid(fmt.Errorf("%s: %w", displayName(opts.File), err), "")
	}
	mac := opts.MAC
	if mac == "" {
		mac = enrollMAC(facts)
		if mac == "" {
			fmt.Fprintf(s.Err, "fugu: warning: %s shows no real MAC (masked or absent); %s is added without one (use --mac)\n", displayName(opts.File), opts.Name)
		}
	}
	invPath := filepath.Join(opts.Site, profiles.InventoryFile)
	src, err := os.ReadFile(invPath)
	if err != nil {
		return invalid(fmt.Errorf("hw enroll: %w", err), "is --site the site directory? `fugu profile init DIR` starts one")
	}
	rel := "dmesg/" + opts.Name + ".txt"
	entry := profiles.MachineEntry{Name: opts.Name, MAC: mac, Profile: opts.Profile, Dmesg: rel}
	out, err := profiles.AddMachine(src, entry)
	if err != nil {
		return invalid(fmt.Errorf("hw enroll: %s: %w", invPath, err), "")
	}
	if err := checkEnrolledSite(opts, out, rel, dmesg, s); err != nil {
		return err
	}
	dmesgPath := filepath.Join(opts.Site, filepath.FromSlash(rel))
	if opts.DryRun {
		fmt.Fprintf(s.Out, "would write %s (%d bytes)\nwould write %s:\n%s", dmesgPath, len(dmesg), invPath, out)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dmesgPath), 0o755); err != nil {
		return fmt.Errorf("hw enroll: %w", err)
	}
	backup, err := keepOld(dmesgPath, dmesg)
	if err != nil {
		return fmt.Errorf("hw enroll: %w", err)
	}
	if err := writeFileAtomic(dmesgPath, dmesg, 0o644); err != nil {
		return fmt.Errorf("hw enroll: %w", err)
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(invPath); err == nil {
		mode = st.Mode().Perm()
	}
	// As fugu machine enroll does: a file that had to be re-indented
	// (a flow-style list) is still there as the user wrote it.
	if err := writeFileAtomic(invPath+".bak", src, mode); err != nil {
		return fmt.Errorf("hw enroll: back up machines.yaml: %w", err)
	}
	if err := writeFileAtomic(invPath, out, mode); err != nil {
		return fmt.Errorf("hw enroll: %w", err)
	}
	if backup != "" {
		fmt.Fprintf(s.Out, "kept the old %s as %s\n", dmesgPath, backup)
	}
	fmt.Fprintf(s.Out, "wrote %s\nadded %s to %s (profile %s, mac %s)\n", dmesgPath, opts.Name, invPath, opts.Profile, orDash(mac))
	fmt.Fprintf(s.Out, "kept the previous %s as %s.bak\n", invPath, invPath)
	return nil
}

// checkEnrolledSite loads the site as it would be with the new
// machines.yaml and dmesg, and refuses the enrolment when it would not
// load (an unknown profile, say): fugu serve and profile validate would
// then refuse the whole site. What only planning the new machine finds
// (a profile naming an interface the dmesg lacks) is printed as warnings.
func checkEnrolledSite(opts *hwEnrollOptions, inv []byte, rel string, dmesg []byte, s *Streams) error {
	root, err := os.OpenRoot(opts.Site)
	if err != nil {
		return invalid(fmt.Errorf("hw enroll: open site: %w", err), "`fugu profile init DIR` starts one")
	}
	defer root.Close()
	fsys := overlayFS{overlayFS{root.FS(), profiles.InventoryFile, inv}, rel, dmesg}
	site, err := profiles.Load(fsys)
	if err != nil {
		var ps profiles.Problems
		if errors.As(err, &ps) {
			for i := range ps {
				ps[i].File = filepath.Join(opts.Site, filepath.FromSlash(ps[i].File))
			}
			err = ps
		}
		return invalid(fmt.Errorf("hw enroll %s: the site would not load:\n%w", opts.Name, err), "")
	}
	for _, m := range site.Machines {
		if m.Name != opts.Name {
			continue
		}
		one := site.With(m)
		ps := serve.CheckSite(one, serve.Autoinstall{}, "")
		if len(ps) > 0 {
			fmt.Fprintf(s.Err, "fugu: warning: %s cannot be installed as its profile says; fugu profile validate and fugu serve refuse the site until this is fixed:\n", opts.Name)
		}
		for _, p := range ps {
			p.File = filepath.Join(opts.Site, filepath.FromSlash(p.File))
			fmt.Fprintf(s.Err, "  %s\n", p)
		}
	}
	return nil
}

// enrollMAC picks the MAC to enrol: the first wired interface with a real
// MAC, else the first interface with one.
func enrollMAC(f *hardware.Facts) string {
	for _, n := range f.Interfaces {
		if !n.Wireless && n.MAC != "" {
			return n.MAC
		}
	}
	for _, n := range f.Interfaces {
		if n.MAC != "" {
			return n.MAC
		}
	}
	return ""
}

// keepOld renames an existing file at path whose content differs from data
// to the first free path.bak, path.bak.1, ... and returns that name.
func keepOld(path string, data []byte) (string, error) {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && bytes.Equal(old, data) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	for i := 0; ; i++ {
		bak := path + ".bak"
		if i > 0 {
			bak += "." + strconv.Itoa(i)
		}
		if _, err := os.Lstat(bak); errors.Is(err, fs.ErrNotExist) {
			return bak, os.Rename(path, bak)
		}
	}
}

// writeFileAtomic writes data to a temporary file beside path, syncs it and
// renames it over path, so path is never half written.
func writeFileAtomic(path string, data []byte, mode fs.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
