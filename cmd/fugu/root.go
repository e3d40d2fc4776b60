package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

const rootLong = `fugu provisions OpenBSD machines from YAML profiles.

It renders the answers OpenBSD's unattended installer reads (install.conf,
disklabel templates, site sets) and serves them per MAC address, reports
what a dmesg says about the hardware and which firmware fw_update will
fetch, moves packages, configuration and /home from an old machine to a
new one, and lays down a PF + spamd mail gateway.

EXIT STATUS
  0  success
  1  the command ran and something failed: a host could not be reached, a
     file could not be read or written, an item could not be done
  2  bad usage, or invalid input: a profile, a file or a flag value fugu
     refuses; a check (profile validate, lint, firewall check) exits 2
     when it finds errors in what it checks

Each command's --help lists what its codes mean for it.`

// newRootCmd builds the whole command tree. It is a function, not package
// state, so every test gets a fresh tree.
func newRootCmd(s *Streams) *cobra.Command {
	root := &cobra.Command{
		Use:           "fugu",
		Short:         "Provision OpenBSD machines from YAML profiles",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{plainNumberError(err)}
	})
	// One line per command group; each lives in its own cmd_<verb>.go.
	root.AddCommand(
		newVersionCmd(s),
		newCompletionCmd(s),
		newGenManCmd(s),
		newPkgCmd(s),
		newMigrateCmd(s),
		newProfileCmd(s),
		newPasswdCmd(s),
		newServeCmd(s),
		newMachineCmd(s),
		newDHCPDConfCmd(s),
		newFirewallCmd(s),
		newSpamdCmd(s),
		newRenderCmd(s),
		newLintCmd(s),
		newHWCmd(s),
	)
	markArgErrorsAsUsage(root)
	helpTopicsAsUsage(root)
	return root
}

// helpTopicsAsUsage makes "fugu help WORD" for a WORD that names no
// command bad usage (exit 2), as "fugu WORD" is; cobra's own help command
// prints "Unknown help topic" and exits 0.
func helpTopicsAsUsage(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() != "help" || c.Run == nil {
			continue
		}
		show := c.Run
		c.Run = nil
		c.RunE = func(cmd *cobra.Command, args []string) error {
			// Command groups take arbitrary arguments (markArgErrorsAsUsage),
			// so a word that names no subcommand is left over, not an error.
			if target, rest, err := cmd.Root().Find(args); target == nil || err != nil || len(rest) > 0 {
				return usagef("no help topic %q", strings.Join(args, " "))
			}
			show(cmd, args)
			return nil
		}
	}
}

// plainNumberError says what is wrong with a number flag's value in
// words, instead of the strconv.ParseInt: parsing "x": invalid syntax
// that pflag passes on.
func plainNumberError(err error) error {
	var ne *strconv.NumError
	if !errors.As(err, &ne) {
		return err
	}
	what := "not a number"
	if errors.Is(ne.Err, strconv.ErrRange) {
		what = "out of range"
	}
	msg, _, _ := strings.Cut(err.Error(), ne.Error())
	return errors.New(msg + what)
}

// markArgErrorsAsUsage wraps every command's argument validator so that a
// wrong number or kind of arguments is reported as bad usage (exit 2),
// without guessing from error text.
func markArgErrorsAsUsage(c *cobra.Command) {
	if c.HasSubCommands() && !c.Runnable() {
		// A command group: cobra would print help and exit 0 for an
		// unknown subcommand.
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		}
	}
	if validate := c.Args; validate != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := validate(cmd, args); err != nil {
				return &usageError{noArgsError(cmd, args, err)}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markArgErrorsAsUsage(sub)
	}
}

// noArgsError rewrites cobra.NoArgs' "unknown command" for a command that
// has no subcommands, where it is not true: the command takes no
// arguments. A site directory given as one (as fugu profile init takes
// it) gets the --site form to use instead.
func noArgsError(cmd *cobra.Command, args []string, err error) error {
	if cmd.HasSubCommands() || len(args) == 0 || !strings.HasPrefix(err.Error(), "unknown command ") {
		return err
	}
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	msg := fmt.Sprintf("%s takes no arguments (found %q)", name, args[0])
	if fi, serr := os.Stat(args[0]); serr == nil && fi.IsDir() && cmd.Flags().Lookup("site") != nil {
		msg += "; give the site directory as --site " + args[0]
	}
	return errors.New(msg)
}

// Execute runs fugu with args and returns the exit code.
func Execute(ctx context.Context, args []string, s *Streams) int {
	root := newRootCmd(s)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && strings.HasPrefix(err.Error(), "unknown command ") {
		// cobra's own error for a word that names no subcommand; it has
		// no type to test for.
		err = &usageError{err}
	}
	path := root.CommandPath()
	if cmd != nil {
		// The command that failed, so the usage pointer names its help.
		path = cmd.CommandPath()
	}
	return exitCode(err, path, s)
}
