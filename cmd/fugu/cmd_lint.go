package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"fugu/autoinstall"

	"github.com/spf13/cobra"
)

const lintLong = `Check response files (install.conf, upgrade.conf) the way OpenBSD's
installer reads them: lines that match no question, keys an earlier
question takes or that fall into a known trap, answers the installer
refuses or silently replaces with its default, missing answers to
questions without a default, a site set without "Continue without
verification", CRLF line ends, inline comments and a missing final newline.
FILE - reads standard input.

Findings are printed as FILE:LINE: SEVERITY: MESSAGE (FILE: for the whole
file). The mode is taken from the file name (*upgrade.conf is an upgrade)
unless --mode says otherwise.

EXIT STATUS
  0  no errors (warnings may have been printed)
  1  a file could not be read
  2  bad usage, or a file has errors`

// lintMode is the --mode flag: auto, install or upgrade.
type lintMode string

func (m *lintMode) String() string { return string(*m) }
func (m *lintMode) Type() string   { return "auto|install|upgrade" }
func (m *lintMode) Set(s string) error {
	switch s {
	case "auto", "install", "upgrade":
		*m = lintMode(s)
		return nil
	}
	return fmt.Errorf("%q is not a mode (expected auto, install or upgrade)", s)
}

type lintOptions struct {
	Mode  lintMode
	Files []string
}

func newLintCmd(s *Streams) *cobra.Command {
	o := &lintOptions{Mode: "auto"}
	cmd := &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check install.conf and upgrade.conf files against the installer's rules",
		Long:  lintLong,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			return runLint(cmd.Context(), o, s)
		},
	}
	cmd.Flags().Var(&o.Mode, "mode", "kind of response file: auto (from the name), install or upgrade")
	return cmd
}

func runLint(ctx context.Context, o *lintOptions, s *Streams) error {
	if err := stdinOnce(o.Files); err != nil {
		return err
	}
	errs, warns, unread := 0, 0, 0
	for _, name := range o.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(s.In)
		} else {
			data, err = os.ReadFile(name)
		}
		if err != nil {
			// Said now; the other files are still checked.
			fmt.Fprintf(s.Err, "fugu: lint: %v\n", err)
			unread++
			continue
		}
		mode := autoinstall.ModeInstall
		if o.Mode == "upgrade" || o.Mode == "auto" && strings.HasSuffix(name, "upgrade.conf") {
			mode = autoinstall.ModeUpgrade
		}
		for _, f := range autoinstall.Lint(data, mode) {
			if f.Line > 0 {
				fmt.Fprintf(s.Out, "%s:%d: %s: %s\n", name, f.Line, f.Severity, f.Message)
			} else {
				fmt.Fprintf(s.Out, "%s: %s: %s\n", name, f.Severity, f.Message)
			}
			if f.Severity == autoinstall.Error {
				errs++
			} else {
				warns++
			}
		}
	}
	return checkOutcome("lint", errs, warns, unread)
}
