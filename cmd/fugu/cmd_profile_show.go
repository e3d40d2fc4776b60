package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"fugu/profiles"

	"github.com/spf13/cobra"
)

type profileShowOptions struct {
	siteOptions
	Name    string
	Machine string
}

func newProfileShowCmd(s *Streams) *cobra.Command {
	var opts profileShowOptions
	cmd := &cobra.Command{
		Use:   "show [NAME] [--machine M]",
		Short: "Print a fully resolved profile as YAML, secrets redacted",
		Long: `Print a profile after its extends chain is applied, or with --machine the
profile a machine gets (its profile, then its set: overrides, with its
name as host name). Password hashes, WPA keys and passphrases are shown
as <redacted>.

EXIT STATUS
  0  the profile was printed
  1  a failure (the site directory cannot be opened)
  2  bad usage, no such profile or machine, or an invalid site (every
     problem is printed as FILE:LINE:COL: key.path: message)`,
		Example: "  fugu profile show laptop\n  fugu profile show --machine delilah --site ./site",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			return runProfileShow(cmd.Context(), &opts, s)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().StringVar(&opts.Machine, "machine", "", "show the profile this machine of machines.yaml gets")
	cmd.ValidArgsFunction = func(c *cobra.Command, args []string, word string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return opts.complete(func(site *profiles.Site) []string {
			return slices.Sorted(maps.Keys(site.Profiles))
		})(c, args, word)
	}
	_ = cmd.RegisterFlagCompletionFunc("machine", opts.complete(func(site *profiles.Site) []string {
		var names []string
		for _, m := range site.Machines {
			names = append(names, m.Name)
		}
		return names
	}))
	return cmd
}

func runProfileShow(_ context.Context, opts *profileShowOptions, s *Streams) error {
	if opts.Name == "" && opts.Machine == "" {
		return usagef("profile show: give a profile NAME or --machine M")
	}
	site, _, err := opts.load()
	if err != nil {
		return err
	}
	var p *profiles.Profile
	if opts.Machine != "" {
		var names []string
		for _, m := range site.Machines {
			names = append(names, m.Name)
			if m.Name == opts.Machine {
				if opts.Name != "" && opts.Name != m.ProfileName {
					return usagef("profile show: machine %s has profile %s, not %s", m.Name, m.ProfileName, opts.Name)
				}
				p = &m.Profile
			}
		}
		if p == nil {
			return invalid(fmt.Errorf("profile show: no machine %q in machines.yaml", opts.Machine), "machines: "+strings.Join(names, ", "))
		}
	} else {
		p = site.Profiles[opts.Name]
		if p == nil {
			var names []string
			for n := range site.Profiles {
				names = append(names, n)
			}
			sort.Strings(names)
			return invalid(fmt.Errorf("profile show: no profile %q", opts.Name), "profiles: "+strings.Join(names, ", "))
		}
	}
	if err := p.Redacted().WriteYAML(s.Out); err != nil {
		return fmt.Errorf("profile show: %w", err)
	}
	return nil
}
