package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// pkgCheckOptions are the flags of fugu pkg check.
type pkgCheckOptions struct {
	List  string
	Index string
	JSON  bool
	SSH   migSSHFlags
}

func newPkgCheckCmd(s *Streams) *cobra.Command {
	var opts pkgCheckOptions
	cmd := &cobra.Command{
		Use:   "check LIST --index FILE|URL",
		Short: "Check that a package list can be installed from a release",
		Long: `Check every entry of LIST (a pkg_info -mz listing, "-" for standard input,
or host:TARGET) against a release's package index: the index.txt or SHA256
file of a packages directory, as a file or an http(s) URL (a URL ending in /
is the directory; its index.txt is fetched), e.g.
https://cdn.openbsd.org/pub/OpenBSD/7.8/packages/amd64/

Each entry that pkg_add -I -l could not install is printed with the reason
and, where one is known, a replacement: renamed stems (letsencrypt is now
certbot), flavors or branches the release does not have (python--%3.11 when
it ships 3.12), stems now in the base system, bare stems that are ambiguous.

EXIT STATUS
  0  every entry can be installed
  1  some entry cannot be installed (each is printed), or LIST or the
     index could not be read or fetched
  2  bad usage, or LIST is not a package listing or the index not an index`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.List = args[0]
			return runPkgCheck(cmd.Context(), opts, s)
		},
	}
	cmd.Flags().StringVar(&opts.Index, "index", "", "the release's packages index.txt or SHA256: a file or URL (required)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print every entry's verdict as JSON")
	opts.SSH.addFlags(cmd)
	return cmd
}

func runPkgCheck(ctx context.Context, opts pkgCheckOptions, s *Streams) error {
	if opts.Index == "" {
		return usagef("pkg check: --index FILE|URL is required")
	}
	list, err := readPkgSource(ctx, opts.List, opts.SSH, s)
	if err != nil {
		return err
	}
	ix, err := loadPkgIndex(ctx, opts.Index)
	if err != nil {
		return err
	}
	findings := ix.Check(list)
	bad := 0
	for _, f := range findings {
		if !f.Installable() {
			bad++
		}
	}
	if opts.JSON {
		if err := writeJSON(s.Out, findings); err != nil {
			return err
		}
	} else {
		var b strings.Builder
		for _, f := range findings {
			if f.Status == "ok" {
				continue
			}
			fmt.Fprintf(&b, "%s: %s: %s", f.Name, f.Status, f.Reason)
			if f.Suggestion != "" {
				fmt.Fprintf(&b, "; use %s", f.Suggestion)
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d of %d entries can be installed\n", len(findings)-bad, len(findings))
		if _, err := fmt.Fprint(s.Out, b.String()); err != nil {
			return err
		}
	}
	if bad > 0 {
		return failed("%d package(s) cannot be installed from %s", bad, opts.Index)
	}
	return nil
}
