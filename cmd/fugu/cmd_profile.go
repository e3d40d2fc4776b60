package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"fugu/autoinstall/serve"
	"fugu/profiles"

	"github.com/spf13/cobra"
)

const profileLong = `Work with a site directory: machines.yaml, profiles/*.yaml, dmesg/*.txt.

Without --site (or FUGU_SITE), the commands use fugu's embedded example site.

EXIT STATUS
  0  success
  1  a failure (the site directory cannot be opened, a file cannot be
     written)
  2  bad usage, or an invalid site: every problem is printed as
     FILE:LINE:COL: key.path: message (a file in the site that cannot
     be read is one of them)`

// siteOptions are the flags every profile command shares.
type siteOptions struct {
	Site string // directory; "" means the embedded example site
}

func (o *siteOptions) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.Site, "site", os.Getenv("FUGU_SITE"), "site directory (default: the embedded example site; env FUGU_SITE)")
	_ = cmd.MarkFlagDirname("site") // cannot fail: the flag was just added
}

// complete offers the names names(site) returns for the site the command
// line names so far, for shell completion; nothing when it does not load.
func (o *siteOptions) complete(names func(*profiles.Site) []string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		site, _, err := o.load()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return names(site), cobra.ShellCompDirectiveNoFileComp
	}
}

// open returns the site's files and the name to show for it. The
// directory is opened as an os.Root, so no name in it reaches outside.
func (o *siteOptions) open() (fs.FS, string, error) {
	if o.Site == "" {
		return profiles.ExampleSite(), "(embedded example)", nil
	}
	root, err := os.OpenRoot(o.Site)
	if err != nil {
		return nil, "", withHint(fmt.Errorf("open site: %w", err), "run `fugu profile init DIR` for a starter site")
	}
	return root.FS(), o.Site, nil
}

// load opens and loads the site; problems come back as invalid input with
// their file names as the user would open them.
func (o *siteOptions) load() (*profiles.Site, string, error) {
	fsys, name, err := o.open()
	if err != nil {
		return nil, "", err
	}
	site, err := profiles.Load(fsys)
	var ps profiles.Problems
	if errors.As(err, &ps) {
		return nil, name, o.problems(name, ps)
	}
	if err != nil {
		return nil, name, fmt.Errorf("load site %s: %w", name, err)
	}
	return site, name, nil
}

// loadChecked is load that also renders every machine as fugu serve
// would answer its installer (at serverURL, "" for a placeholder), so that
// what only planning finds (no interface to fetch the sets over, a dmesg
// without the named disk) is refused as invalid too.
func (o *siteOptions) loadChecked(serverURL string) (*profiles.Site, string, error) {
	site, name, err := o.load()
	if err != nil {
		return nil, name, err
	}
	if ps := serve.CheckSite(site, serve.Autoinstall{}, serverURL); len(ps) > 0 {
		return nil, name, o.problems(name, ps)
	}
	return site, name, nil
}

// problems is an invalid site's error, with file names as the user would
// open them.
func (o *siteOptions) problems(name string, ps profiles.Problems) error {
	if o.Site != "" {
		for i := range ps {
			ps[i].File = filepath.Join(o.Site, filepath.FromSlash(ps[i].File))
		}
	}
	return invalid(fmt.Errorf("site %s: %s:\n%w", name, plural(len(ps), "problem"), ps), "")
}

func newProfileCmd(s *Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Check, show and start site profiles",
		Long:  profileLong,
	}
	cmd.AddCommand(
		newProfileValidateCmd(s),
		newProfileShowCmd(s),
		newProfileSchemaCmd(s),
		newProfileInitCmd(s),
	)
	return cmd
}

func newProfileValidateCmd(s *Streams) *cobra.Command {
	var opts siteOptions
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check every profile and machines.yaml, reporting every problem",
		Long: `Check every profile and machines.yaml of a site at once: unknown keys,
values OpenBSD would refuse, plaintext passwords, broken extends chains,
and every machine's plan as fugu serve would answer its installer (an
interface to fetch the sets over, disks and NICs its dmesg has).
Every problem is printed as FILE:LINE:COL: key.path: message.

EXIT STATUS
  0  the site is valid
  1  a failure (the site directory cannot be opened)
  2  bad usage, or the site has problems (a file of it that cannot be
     read is one)`,
		Example: "  fugu profile validate --site ./site",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runProfileValidate(cmd.Context(), &opts, s)
		},
	}
	opts.addFlags(cmd)
	return cmd
}

func runProfileValidate(_ context.Context, opts *siteOptions, s *Streams) error {
	site, name, err := opts.loadChecked("")
	if err != nil {
		return err
	}
	for _, w := range serve.SiteWarnings(site, serve.Autoinstall{}, "") {
		if opts.Site != "" {
			w.File = filepath.Join(opts.Site, filepath.FromSlash(w.File))
		}
		fmt.Fprintf(s.Err, "warning: %s\n", w)
	}
	fmt.Fprintf(s.Out, "site %s: %s, %s: ok\n", name, plural(len(site.Profiles), "profile"), plural(len(site.Machines), "machine"))
	return nil
}

// plural says "1 problem", "2 problems".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
