package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"fugu/autoinstall/serve"
	"fugu/profiles"

	"github.com/spf13/cobra"
)

const machineLong = `Look at and change the machines fugu serve installs.

  list    every machine of the site with its install state, and the unknown
          MACs that asked for answers
  rearm   allow an installed machine to install again: fugu serve answers
          its install.conf from its next request (or from its next start)
  enroll  add an unknown MAC to machines.yaml, keeping its comments; send
          fugu serve a SIGHUP to load it

State is read from SITE/state (or --state; with the embedded example site,
$XDG_STATE_HOME/fugu/example-site, as fugu serve uses).

EXIT STATUS
  0  success
  1  a failure (nothing to re-arm, a file that cannot be written)
  2  bad usage, or invalid input (a bad MAC, an unknown profile, a duplicate)`

type machineOptions struct {
	serveOptions // for --site and --state, resolved as fugu serve does
	Profile      string
	Name         string
	DryRun       bool
}

func newMachineCmd(s *Streams) *cobra.Command {
	cmd := &cobra.Command{Use: "machine", Short: "List, re-arm and enrol the machines fugu serve installs", Long: machineLong}
	flags := func(c *cobra.Command, o *machineOptions) {
		o.addFlags(c)
		c.Flags().StringVar(&o.State, "state", os.Getenv("FUGU_STATE"), "state directory (default: SITE/state; env FUGU_STATE)")
	}
	list := &machineOptions{}
	listCmd := &cobra.Command{Use: "list", Short: "Show every machine's install state and the unknown MACs", Args: cobra.NoArgs,
		Long: machineListLong, Example: machineListExample,
		RunE: func(cmd *cobra.Command, _ []string) error { return runMachineList(cmd.Context(), list, s) }}
	flags(listCmd, list)
	rearm := &machineOptions{}
	rearmCmd := &cobra.Command{Use: "rearm NAME", Short: "Allow an installed machine to install again", Args: cobra.ExactArgs(1),
		Long: machineRearmLong, Example: machineRearmExample,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMachineRearm(cmd.Context(), rearm, args[0], s)
		}}
	flags(rearmCmd, rearm)
	enroll := &machineOptions{}
	enrollCmd := &cobra.Command{Use: "enroll MAC --profile P --name N", Short: "Add a machine to machines.yaml", Args: cobra.ExactArgs(1),
		Long: machineEnrollLong, Example: machineEnrollExample,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMachineEnroll(cmd.Context(), enroll, args[0], s)
		}}
	// --state only names the pid file in the reload command it prints.
	flags(enrollCmd, enroll)
	enrollCmd.Flags().StringVar(&enroll.Profile, "profile", "", "profile of the new machine (a file in profiles/ without .yaml)")
	enrollCmd.Flags().StringVar(&enroll.Name, "name", "", "name of the new machine (its host name)")
	enrollCmd.Flags().BoolVar(&enroll.DryRun, "dry-run", false, "print the new machines.yaml instead of writing it")
	cmd.AddCommand(listCmd, rearmCmd, enrollCmd)
	return cmd
}

func runMachineList(_ context.Context, opts *machineOptions, s *Streams) error {
	site, _, err := opts.load()
	if err != nil {
		return err
	}
	dir, err := opts.stateDir()
	if err != nil {
		return err
	}
	states, pending, rearm, err := serve.ReadState(dir)
	if err != nil {
		return err
	}
	byName := map[string]serve.MachineState{}
	for _, st := range states {
		byName[st.Name] = st
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPROFILE\tMACS\tSTATE\tLAST STEP\tTIME")
	for _, m := range site.Machines {
		st := byName[m.Name]
		state := "armed"
		if !st.Armed() {
			state = "installed " + st.Installed.UTC().Format(time.DateTime)
			if rearm[m.Name] {
				state += " (re-arm requested)"
			}
		}
		step, when := "-", "-"
		if last := st.Last(); last.Step != "" {
			step, when = last.Step, last.Time.UTC().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.Name, m.ProfileName, strings.Join(m.MACs, ","), state, step, when)
	}
	tw.Flush()
	if len(pending) > 0 {
		// enroll needs a site to add them to (the embedded one cannot be
		// changed).
		siteArg := "DIR"
		if opts.Site != "" {
			siteArg = opts.Site
		}
		fmt.Fprintf(s.Out, "\nunknown MACs (fugu machine enroll MAC --profile P --name N --site %s):\n", siteArg)
		tw = tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MAC\tHOST\tFROM\tLAST SEEN\tREQUESTS")
		for _, p := range pending {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", p.MAC, p.Host, p.IP, p.LastSeen.UTC().Format(time.DateTime), p.Count)
		}
		tw.Flush()
	}
	return nil
}

// listHint names the command that lists the machines of the site (and
// state) this command was given; without --site, fugu machine list shows
// the embedded example site.
func (o *machineOptions) listHint() string {
	cmd := "fugu machine list"
	if o.Site != "" {
		cmd += " --site " + o.Site
	}
	if o.State != "" {
		cmd += " --state " + o.State
	}
	return "run `" + cmd + "`"
}

func runMachineRearm(_ context.Context, opts *machineOptions, name string, s *Streams) error {
	site, siteName, err := opts.load()
	if err != nil {
		return err
	}
	known := false
	for _, m := range site.Machines {
		known = known || m.Name == name
	}
	if !known {
		return invalid(fmt.Errorf("rearm: no machine %q in site %s", name, siteName), opts.listHint())
	}
	dir, err := opts.stateDir()
	if err != nil {
		return err
	}
	err = serve.RequestRearm(dir, name, time.Now())
	if errors.Is(err, serve.ErrNotInstalled) {
		return withHint(fmt.Errorf("rearm: %s has not finished an install; it is armed already", name), opts.listHint())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "re-arm of %s requested in %s: fugu serve answers its install.conf again from its next request\n", name, dir)
	return nil
}

func runMachineEnroll(_ context.Context, opts *machineOptions, macArg string, s *Streams) error {
	switch {
	case opts.Site == "":
		return usagef("enroll: --site DIR is required (the embedded example site cannot be changed)")
	case opts.Profile == "" || opts.Name == "":
		return usagef("enroll: --profile and --name are required")
	}
	mac, err := profiles.NormalizeMAC(macArg)
	if err != nil {
		return invalid(fmt.Errorf("enroll: %w", err), "")
	}
	path := filepath.Join(opts.Site, profiles.InventoryFile)
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	out, err := profiles.AddMachine(src, profiles.MachineEntry{Name: opts.Name, MAC: mac, Profile: opts.Profile})
	if err != nil {
		return invalid(fmt.Errorf("enroll %s: %w", mac, err), opts.listHint())
	}
	// The whole site must still load with the new entry (the profile
	// exists, the name is free), or nothing is written.
	root, err := os.OpenRoot(opts.Site)
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	defer root.Close()
	site, err := profiles.Load(overlayFS{root.FS(), profiles.InventoryFile, out})
	if err == nil {
		// fugu serve plans every machine before it takes a site (at
		// start and on SIGHUP): an entry it would refuse is refused here.
		if ps := serve.CheckSite(site, serve.Autoinstall{}, ""); len(ps) > 0 {
			err = ps
		}
	}
	if err != nil {
		var ps profiles.Problems
		if errors.As(err, &ps) {
			// Paths as the user named the site, as profile validate
			// prints them.
			for i := range ps {
				ps[i].File = filepath.Join(opts.Site, filepath.FromSlash(ps[i].File))
			}
			err = ps
		}
		return invalid(fmt.Errorf("enroll %s: the site would not load:\n%w", mac, err), "")
	}
	if opts.DryRun {
		_, err := s.Out.Write(out)
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	if err := serve.WriteFileAtomic(path+".bak", src, fi.Mode().Perm()); err != nil {
		return fmt.Errorf("enroll: back up machines.yaml: %w", err)
	}
	if err := serve.WriteFileAtomic(path, out, fi.Mode().Perm()); err != nil {
		return fmt.Errorf("enroll: %w", err)
	}
	fmt.Fprintf(s.Out, "enrolled %s as %s (profile %s) in %s (previous version in %s.bak)\n", mac, opts.Name, opts.Profile, path, filepath.Base(path))
	if dir, err := opts.stateDir(); err == nil {
		fmt.Fprintf(s.Out, "a running fugu serve of this site loads it on SIGHUP: %s\n", reloadCommand(dir))
	}
	return nil
}
