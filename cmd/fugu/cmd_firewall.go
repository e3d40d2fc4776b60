package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fugu/firewall"
	"fugu/profiles"

	"github.com/spf13/cobra"
)

const firewallLong = `Lay down and check the spamd/PF mail gateway role (roles.mailgw).

  check FILE...    lint any pf.conf (fugu's or hand-written)
  render           print or write the role's files for a machine
  apply            install the role on a host with a rollback timer
  confirm          keep a ruleset that apply loaded

EXIT STATUS
  0  success (check: no errors; warnings are printed)
  1  a failure (a host cannot be reached, a file cannot be read)
  2  bad usage, invalid input, a ruleset the host's pfctl refuses, or
     check found errors`

func newFirewallCmd(s *Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "firewall",
		Short: "Render, check and apply the PF + spamd mail gateway role",
		Long:  firewallLong,
	}
	cmd.AddCommand(newFirewallCheckCmd(s), newFirewallRenderCmd(s), newFirewallApplyCmd(s), newFirewallConfirmCmd(s))
	return cmd
}

func newFirewallCheckCmd(s *Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE...",
		Short: "Lint pf.conf files: pfctl errors decidable offline and the spamd gateway traps",
		Long: `Check pf.conf files for what pfctl would reject without needing a kernel
(macros and queues used before definition, queue trees, table names, state
options, divert-to direction, obsolete nat/rdr/scrub/altq syntax) and for
what pfctl accepts but breaks a spamd gateway (undefined tables, table
files under /tmp, quick on the divert rule, whitelist rules before it,
missing log for spamlogd). FILE - reads standard input.

Findings are printed as FILE:LINE: SEVERITY: message, and a summary line
(fugu: firewall check: N errors, M warnings) when there is an error.

EXIT STATUS
  0  no errors (warnings are printed)
  1  a failure (a file cannot be read)
  2  bad usage, or the check found errors`,
		Example: "  fugu firewall check /etc/pf.conf\n  fugu firewall render --machine mx1 --site ./site | fugu firewall check -",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFirewallCheck(cmd.Context(), args, s)
		},
	}
}

func runFirewallCheck(_ context.Context, files []string, s *Streams) error {
	if err := stdinOnce(files); err != nil {
		return err
	}
	errs, warns, unread := 0, 0, 0
	for _, name := range files {
		var r io.Reader
		if name == "-" {
			r = s.In
		} else {
			data, err := os.ReadFile(name)
			if err != nil {
				// Said now; the other files are still checked.
				fmt.Fprintf(s.Err, "fugu: firewall check: %v\n", err)
				unread++
				continue
			}
			r = bytes.NewReader(data)
		}
		for _, f := range firewall.Check(r) {
			fmt.Fprintf(s.Out, "%s:%d: %s: %s\n", name, f.Line, f.Severity, f.Message)
			if f.Severity == firewall.SevError {
				errs++
			} else {
				warns++
			}
		}
	}
	return checkOutcome("firewall check", errs, warns, unread)
}

// roleOptions select the roles.mailgw section to work with: a machine of
// a site, or a single profile file.
type roleOptions struct {
	siteOptions
	Machine string
	Profile string
}

func (o *roleOptions) addFlags(cmd *cobra.Command) {
	o.siteOptions.addFlags(cmd)
	cmd.Flags().StringVar(&o.Machine, "machine", "", "machine of the site whose profile has roles.mailgw")
	cmd.Flags().StringVar(&o.Profile, "profile", "", "a single profile FILE instead of a site")
}

// load returns the role and the render options (the host's FQDN).
func (o *roleOptions) load() (*firewall.MailGW, firewall.Options, error) {
	var p *profiles.Profile
	var name string
	switch {
	case o.Profile != "" && o.Machine != "":
		return nil, firewall.Options{}, usagef("--profile and --machine cannot be used together")
	case o.Profile != "":
		data, err := os.ReadFile(o.Profile)
		if err != nil {
			return nil, firewall.Options{}, fmt.Errorf("read profile: %w", err)
		}
		p, err = profiles.LoadProfileFile(o.Profile, data)
		var ps profiles.Problems
		if errors.As(err, &ps) {
			return nil, firewall.Options{}, invalid(fmt.Errorf("profile %s: %s:\n%w", o.Profile, plural(len(ps), "problem"), ps), "")
		}
		if err != nil {
			return nil, firewall.Options{}, err
		}
		name = o.Profile
	case o.Machine != "":
		site, siteName, err := o.siteOptions.load()
		if err != nil {
			return nil, firewall.Options{}, err
		}
		for _, m := range site.Machines {
			if m.Name == o.Machine {
				p = &m.Profile
			}
		}
		if p == nil {
			hint := "run `fugu machine list` to list the machines"
			if o.Site != "" {
				hint = "run `fugu machine list --site " + o.Site + "` to list the machines"
			}
			return nil, firewall.Options{}, invalid(fmt.Errorf("site %s has no machine %q", siteName, o.Machine), hint)
		}
		name = "machine " + o.Machine
	default:
		return nil, firewall.Options{}, usagef("give --machine NAME (with --site DIR) or --profile FILE")
	}
	if p.Roles.MailGW == nil {
		return nil, firewall.Options{}, invalid(fmt.Errorf("%s has no roles.mailgw section", name), "")
	}
	var opts firewall.Options
	if h := p.System.Hostname; h != "" && p.System.Domain != "" && !strings.Contains(h, ".") {
		opts.Hostname = h + "." + p.System.Domain
	} else {
		opts.Hostname = h
	}
	return p.Roles.MailGW, opts, nil
}

// renderRole loads and renders the role, reporting invalid values as
// invalid input.
func (o *roleOptions) render() (firewall.Files, error) {
	g, opts, err := o.load()
	if err != nil {
		return nil, err
	}
	files, err := firewall.Render(g, opts)
	if errors.Is(err, firewall.ErrInvalid) {
		return nil, invalid(err, "fugu profile validate reports each problem with its line")
	}
	return files, err
}

type firewallRenderOptions struct {
	roleOptions
	File string
	Out  string
}

func newFirewallRenderCmd(s *Streams) *cobra.Command {
	var opts firewallRenderOptions
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Print one file of the role, or write them all under a directory",
		Long: `Render the mail gateway role of a machine or profile. Without -o it
prints one file (--file, default /etc/pf.conf); with -o DIR it writes
every file under DIR (DIR/etc/pf.conf, ...) and lists them. DIR may be /
on the gateway itself: files installed only if absent (nospamd, the table
files) are kept when they exist, and a changed file is replaced by rename
after a copy of the old one is saved as FILE.fugu-YYYYmmddHHMMSS.

EXIT STATUS
  0  the file was printed, or the files were written
  1  a failure (the site or the profile file cannot be read, a file
     cannot be written)
  2  bad usage, a machine without roles.mailgw, a file the role does not
     have, or an invalid site or profile`,
		Example: "  fugu firewall render --machine mx1\n  fugu firewall render --profile mailgw.yaml --file /etc/mail/spamd.conf",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Out != "" && cmd.Flags().Changed("file") {
				return usagef("firewall render: give --file FILE (print one file) or -o DIR (write every file), not both")
			}
			return runFirewallRender(cmd.Context(), &opts, s)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().StringVar(&opts.File, "file", firewall.PFConf, "the file to print")
	cmd.Flags().StringVarP(&opts.Out, "output", "o", "", "write every file under this directory")
	// --out was the flag's first name; -o and --output are fugu render's.
	cmd.Flags().StringVar(&opts.Out, "out", "", "the same as --output")
	_ = cmd.Flags().MarkHidden("out") // cannot fail: the flag was just added
	return cmd
}

func runFirewallRender(_ context.Context, opts *firewallRenderOptions, s *Streams) error {
	files, err := opts.render()
	if err != nil {
		return err
	}
	if opts.Out == "" {
		f, ok := files[opts.File]
		if !ok {
			return invalid(fmt.Errorf("the role has no file %s; it has:\n  %s", opts.File, strings.Join(files.Paths(), "\n  ")), "")
		}
		_, err := s.Out.Write(f.Data)
		return err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	root, err := os.OpenRoot(opts.Out)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	defer root.Close()
	lines, err := writeRoleFiles(root, files, time.Now())
	for _, l := range lines {
		fmt.Fprintln(s.Out, l)
	}
	return err
}
