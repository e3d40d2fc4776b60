package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"fugu/firewall"
	"fugu/firewall/pfapply"

	"github.com/spf13/cobra"
)

type firewallApplyOptions struct {
	roleOptions
	ssh     migSSHFlags
	Host    string
	Timer   time.Duration
	NoSetup bool
	DryRun  bool
	Root    string
}

func newFirewallApplyCmd(s *Streams) *cobra.Command {
	var opts firewallApplyOptions
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Install the role on a host and load pf.conf with a rollback timer",
		Long: `Install the mail gateway role of a machine (or profile) on a running host
over SSH; commands that need root run through doas.

fugu uploads the files to a temporary directory, creates missing table
files and /etc/mail/nospamd, saves the current tables to their files, and
runs pfctl -nf on the new ruleset on the host: if pfctl refuses it, fugu
stops, shows pfctl's message and installs nothing. Otherwise it installs
the files (with dated backups), copies /etc/pf.conf to
/etc/pf.conf.fugu-YYYYmmddHHMMSS, starts a job on the host that restores
that copy after --timer, loads the new ruleset and runs the role's setup
(rcctl, crontab, syslog). Run 'fugu firewall confirm --host H' from a new
connection before the timer ends to keep the new ruleset.

--root prefixes every path on the host; it exists for tests, which cannot
write /etc, and is hidden.

EXIT STATUS
  0  the new ruleset is loaded (confirm it before --timer ends), or with
     --dry-run the commands were printed
  1  a failure: the host cannot be reached, a command on it failed, or an
     earlier apply still awaits confirmation
  2  bad usage, an invalid site or profile, or the host's pfctl refused
     the ruleset (nothing is installed then)`,
		Example: "  fugu firewall apply --host admin@mx1 --machine mx1 --site ./site\n  fugu firewall confirm --host admin@mx1",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runFirewallApply(cmd.Context(), &opts, s)
		},
	}
	opts.roleOptions.addFlags(cmd)
	opts.ssh.addFlags(cmd)
	cmd.Flags().StringVar(&opts.Host, "host", "", "target host: [user@]host[:port] or an ssh_config alias")
	cmd.Flags().DurationVar(&opts.Timer, "timer", pfapply.DefaultTimer, "restore the previous ruleset after this long unless confirmed")
	cmd.Flags().BoolVar(&opts.NoSetup, "no-setup", false, "install and load only; skip rcctl, crontab and syslog")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the commands and change nothing")
	cmd.Flags().StringVar(&opts.Root, "root", "", "prefix for every path on the host (tests only)")
	_ = cmd.Flags().MarkHidden("root")
	return cmd
}

func runFirewallApply(ctx context.Context, opts *firewallApplyOptions, s *Streams) error {
	if opts.Host == "" && !opts.DryRun {
		return usagef("--host is required (or use --dry-run to see the plan)")
	}
	if opts.Timer < 10*time.Second && opts.Root == "" {
		return usagef("--timer %s is too short to confirm in time (at least 10s)", opts.Timer)
	}
	files, err := opts.render()
	if err != nil {
		return err
	}
	// The role's pf.conf always passes Check (golden tests prove it); this
	// guards against a broken build before a host is touched.
	if fs := firewall.Check(bytes.NewReader(files[firewall.PFConf].Data)); firewall.HasErrors(fs) {
		return fmt.Errorf("the rendered pf.conf fails fugu's own check: %v", fs)
	}
	cfg := pfapply.Config{Timer: opts.Timer, Root: opts.Root, RunSetup: !opts.NoSetup, DryRun: opts.DryRun, Log: s.Out}
	if opts.DryRun {
		return pfapply.Apply(ctx, nil, files, cfg)
	}
	h, err := opts.ssh.dial(ctx, opts.Host, s)
	if err != nil {
		return err
	}
	defer h.Close()
	err = pfapply.Apply(ctx, h, files, cfg)
	switch {
	case errors.Is(err, pfapply.ErrRejected):
		return invalid(fmt.Errorf("apply to %s: %w", opts.Host, err), "fugu firewall check shows what fugu can see without the host")
	case errors.Is(err, pfapply.ErrPending):
		return withHint(fmt.Errorf("apply to %s: %w", opts.Host, err), "fugu firewall confirm --host "+opts.Host)
	case err != nil:
		return fmt.Errorf("apply to %s: %w", opts.Host, err)
	}
	fmt.Fprintf(s.Out, "run 'fugu firewall confirm --host %s' within %s to keep it\n", opts.Host, opts.Timer)
	return nil
}

type firewallConfirmOptions struct {
	ssh    migSSHFlags
	Host   string
	DryRun bool
	Root   string
}

func newFirewallConfirmCmd(s *Streams) *cobra.Command {
	var opts firewallConfirmOptions
	cmd := &cobra.Command{
		Use:   "confirm",
		Short: "Keep the ruleset that apply loaded (stops the rollback timer)",
		Long: `Connect to the host anew, which proves the new ruleset still lets you in,
stop the rollback job of the last 'fugu firewall apply', and install the
loaded ruleset as /etc/pf.conf (until then the host boots the previous
one).

EXIT STATUS
  0  the ruleset is kept: it is /etc/pf.conf now, or with --dry-run the
     command was printed
  1  a failure: the host cannot be reached, no load awaits confirmation
     (it was confirmed or already rolled back), or the host rebooted
     before it was confirmed
  2  bad usage`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runFirewallConfirm(cmd.Context(), &opts, s)
		},
	}
	opts.ssh.addFlags(cmd)
	cmd.Flags().StringVar(&opts.Host, "host", "", "target host: [user@]host[:port] or an ssh_config alias")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the command and change nothing")
	cmd.Flags().StringVar(&opts.Root, "root", "", "prefix for every path on the host (tests only)")
	_ = cmd.Flags().MarkHidden("root")
	return cmd
}

func runFirewallConfirm(ctx context.Context, opts *firewallConfirmOptions, s *Streams) error {
	cfg := pfapply.Config{Root: opts.Root, DryRun: opts.DryRun, Log: s.Out}
	if opts.DryRun {
		return pfapply.Confirm(ctx, nil, cfg)
	}
	if opts.Host == "" {
		return usagef("--host is required")
	}
	h, err := opts.ssh.dial(ctx, opts.Host, s)
	if err != nil {
		return err
	}
	defer h.Close()
	err = pfapply.Confirm(ctx, h, cfg)
	if errors.Is(err, pfapply.ErrPendingGone) {
		return withHint(fmt.Errorf("confirm on %s: %w", opts.Host, err), "fugu firewall apply --host "+opts.Host+" loads it again")
	}
	if err != nil {
		return fmt.Errorf("confirm on %s: %w", opts.Host, err)
	}
	return nil
}
