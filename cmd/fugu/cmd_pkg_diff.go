package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fugu/packages"

	"github.com/spf13/cobra"
)

// pkgDiffOptions are the flags of fugu pkg diff.
type pkgDiffOptions struct {
	Old, New string
	JSON     bool
	Full     bool
	SSH      migSSHFlags
}

func newPkgDiffCmd(s *Streams) *cobra.Command {
	var opts pkgDiffOptions
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two package lists (files or host:TARGET)",
		Long: `Compare two package lists. OLD and NEW are pkg_info -mz (or -m, -mq)
listings in files ("-" is standard input), or host:TARGET to run pkg_info -mz
on [user@]host[:port] over SSH. Packages are matched by stem.

Output, one line each, sorted by stem, with every name in pkg_info -z
form (stem--flavors%branch, as fugu pkg list prints them) whatever form
the listing used; --full keeps full names (stem-version-flavors) where the
listing has them:
  + NAME                 only in NEW
  - NAME                 only in OLD
  ~ OLD -> NEW (what)    same stem, other flavors or branch
  ~ NAME (version A -> B)  same package, another version (two -m listings)

EXIT STATUS
  0  compared (whether or not the lists differ)
  1  a file could not be read, a host could not be reached or pkg_info
     failed
  2  bad usage, or a listing has a line that is not a package name`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			return runPkgDiff(cmd.Context(), opts, s)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: added, removed, changed")
	cmd.Flags().BoolVar(&opts.Full, "full", false, "print full names (with versions) where the listings have them")
	opts.SSH.addFlags(cmd)
	return cmd
}

func runPkgDiff(ctx context.Context, opts pkgDiffOptions, s *Streams) error {
	if opts.Old == "-" && opts.New == "-" {
		return usagef("pkg diff: only one of OLD and NEW can be standard input")
	}
	old, err := readPkgSource(ctx, opts.Old, opts.SSH, s)
	if err != nil {
		return err
	}
	cur, err := readPkgSource(ctx, opts.New, opts.SSH, s)
	if err != nil {
		return err
	}
	d := packages.DiffLists(old, cur)
	if opts.JSON {
		return writeJSON(s.Out, d)
	}
	_, err = fmt.Fprint(s.Out, renderPkgDiff(d, opts.Full))
	return err
}

// renderPkgDiff writes d one line per package. Names are in pkg_info -z
// form unless full is set, so that a -m listing and a -mz listing read
// alike; a version change, which that form cannot show, is spelled out.
func renderPkgDiff(d packages.Diff, full bool) string {
	name := func(n packages.Name) string {
		if full {
			return n.String()
		}
		return n.Fuzzy().String()
	}
	var b strings.Builder
	for _, n := range d.Removed {
		fmt.Fprintf(&b, "- %s\n", name(n))
	}
	for _, n := range d.Added {
		fmt.Fprintf(&b, "+ %s\n", name(n))
	}
	for _, c := range d.Changed {
		what := slices.Clone(c.Changed)
		if i := slices.Index(what, "version"); i >= 0 && !full {
			what[i] = "version " + c.Old.Version + " -> " + c.New.Version
		}
		if o, n := name(c.Old), name(c.New); o == n {
			fmt.Fprintf(&b, "~ %s (%s)\n", o, strings.Join(what, ", "))
		} else {
			fmt.Fprintf(&b, "~ %s -> %s (%s)\n", o, n, strings.Join(what, ", "))
		}
	}
	return b.String()
}
