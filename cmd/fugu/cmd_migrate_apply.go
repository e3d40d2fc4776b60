package main

import (
	"context"
	"fmt"

	"fugu/migrate"

	"github.com/spf13/cobra"
)

func newMigrateApplyCmd(s *Streams) *cobra.Command {
	var opts migrateOptions
	cmd := &cobra.Command{
		Use:   "apply --from [user@]OLD [--to [user@]NEW|local] [--dry-run] [flags]",
		Short: "Carry out the migration plan on the new machine",
		Long: `Make the plan (see fugu migrate plan) and carry it out on the new machine:
packages first (pkg_add -I -x -l with a list of one package at a time, so
each has its own outcome and progress, checked with pkg_info -mz
afterwards), then crontabs (crontab -u USER), then files. A replaced file is
first copied to FILE.fugu-YYYYmmddHHMMSS; each file is installed with its
owner and mode as FILE.fugu-new and renamed over FILE; doas.conf is checked
with doas -C on the new machine first and written last.

A failed item is reported and the run goes on. Anything already in place is
skipped, so running apply again after an interruption (Ctrl-C, a dropped
link) finishes the job and a run after a complete one changes nothing.
` + migrateFlagsHelp + `

EXIT STATUS
  0  everything done or already in place (or --dry-run)
  1  some item failed, the run was interrupted, or a machine was unreachable
  2  bad usage or invalid input`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMigrateApply(cmd.Context(), opts, s)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	return cmd
}

func runMigrateApply(ctx context.Context, opts migrateOptions, s *Streams) error {
	plan, target, err := buildMigratePlan(ctx, opts, s)
	if err != nil {
		return err
	}
	defer target.Close()
	if opts.DryRun {
		return printMigratePlan(plan, opts, s)
	}
	progress := newMigrateProgress(s, opts.JSON)
	sum := migrate.Apply(ctx, plan, target, progress)
	progress.finish()
	if opts.JSON {
		if err := writeJSON(s.Out, sum); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(s.Out, "%d done, %d skipped, %d failed", sum.Done, sum.Skipped, sum.Failed)
		if sum.Interrupted {
			fmt.Fprintf(s.Out, ", %d not started (interrupted: run apply again to finish)", sum.NotStarted)
		}
		fmt.Fprintln(s.Out)
	}
	switch {
	case sum.Interrupted:
		return context.Canceled
	case sum.Failed > 0:
		return failed("%d item(s) failed", sum.Failed)
	}
	return nil
}
