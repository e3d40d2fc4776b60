package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"fugu/hardware"
	"fugu/migrate"
	"fugu/migrate/remote"
	"fugu/packages"

	"github.com/spf13/cobra"
)

const migrateFlagsHelp = `
The old machine is --from ([user@]host[:port] or an ssh alias); the new one
is --to, "local" (the default: run fugu on the new machine) or a host. Root
commands run through doas -n, so doas.conf on each machine must permit the
login user without a password prompt (nopass, or persist after a recent
doas). Host keys are checked against known_hosts; --accept-new-host-key adds
an unknown key (printed), a changed key is always refused.

Interfaces: hostname.if files follow the interfaces. By default both
machines' /var/run/dmesg.boot are read (or --dmesg-from/--dmesg-to files) and
wired interfaces map to wired, wireless to wireless, in dmesg order;
--map iwn0=iwm0 decides one explicitly.`

// migrateOptions are the flags of migrate plan and apply.
type migrateOptions struct {
	From, To           string
	DmesgFrom, DmesgTo string
	Map                []string
	Include            []string
	Index              string
	JSON               bool
	DryRun             bool
	SSH                migSSHFlags
}

func (o *migrateOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.From, "from", "", "the old machine: [user@]host[:port] or an ssh alias (required)")
	f.StringVar(&o.To, "to", "local", `the new machine: [user@]host[:port], an ssh alias, or "local"`)
	f.StringVar(&o.DmesgFrom, "dmesg-from", "", "dmesg of the old machine (default: its /var/run/dmesg.boot)")
	f.StringVar(&o.DmesgTo, "dmesg-to", "", "dmesg of the new machine (default: its /var/run/dmesg.boot)")
	f.StringArrayVar(&o.Map, "map", nil, "interface rename OLD=NEW, e.g. iwn0=iwm0 (repeatable)")
	f.StringArrayVar(&o.Include, "include", nil, "another absolute path to copy, with the old file's mode and its owner and group by name (root:wheel where the new machine lacks them; repeatable)")
	f.StringVar(&o.Index, "index", "", "the new release's packages index.txt or SHA256 (file or URL): rewrite or report packages it lacks")
	f.BoolVar(&o.JSON, "json", false, "print JSON")
	o.SSH.addFlags(cmd)
}

func newMigrateCmd(s *Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Move packages and configuration from an old OpenBSD machine to a new one",
	}
	cmd.AddCommand(newMigratePlanCmd(s), newMigrateApplyCmd(s), newMigrateHomeCmd(s))
	return cmd
}

func newMigratePlanCmd(s *Streams) *cobra.Command {
	var opts migrateOptions
	cmd := &cobra.Command{
		Use:   "plan --from [user@]OLD [--to [user@]NEW|local] [flags]",
		Short: "Show what migrate apply would do",
		Long: `Inventory both machines and print the plan: packages to add (rewritten or
reported when --index says the new release lacks them), files to write with a
unified diff each (secrets redacted), hostname.if files renamed to the new
machine's interfaces, crontabs, and what is not copied and why.
` + migrateFlagsHelp + `

EXIT STATUS
  0  the plan was printed
  1  a machine could not be reached or read
  2  bad usage or invalid input (a flag, a dmesg, the index)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMigratePlan(cmd.Context(), opts, s)
		},
	}
	opts.addFlags(cmd)
	return cmd
}

func runMigratePlan(ctx context.Context, opts migrateOptions, s *Streams) error {
	plan, target, err := buildMigratePlan(ctx, opts, s)
	if err != nil {
		return err
	}
	target.Close()
	return printMigratePlan(plan, opts, s)
}

func printMigratePlan(plan *migrate.Plan, opts migrateOptions, s *Streams) error {
	if opts.JSON {
		return writeJSON(s.Out, plan)
	}
	return plan.WriteText(s.Out)
}

// buildMigratePlan connects to both machines, inventories them and makes
// the plan. The returned host is the new machine, still open.
func buildMigratePlan(ctx context.Context, opts migrateOptions, s *Streams) (*migrate.Plan, remote.Host, error) {
	if opts.From == "" {
		return nil, nil, usagef("migrate: --from is required")
	}
	if opts.From == "local" && opts.To == "local" {
		return nil, nil, usagef("migrate: --from and --to are both the local machine")
	}
	ifmap, err := migrate.ParseIfMap(opts.Map)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	var ix *packages.Index
	if opts.Index != "" {
		if ix, err = loadPkgIndex(ctx, opts.Index); err != nil {
			return nil, nil, err
		}
	}
	old, err := openMigrateHost(ctx, opts.From, opts.SSH, s)
	if err != nil {
		return nil, nil, err
	}
	defer old.Close()
	cur, err := openMigrateHost(ctx, opts.To, opts.SSH, s)
	if err != nil {
		return nil, nil, err
	}
	fix := migrateFixtureFrom(ctx)
	oldM, curM := migrate.NewHostMachine(old, fix.FromRoot), migrate.NewHostMachine(cur, fix.ToRoot)
	oldInv, err := migrate.Collect(ctx, oldM, opts.Include)
	if err != nil {
		cur.Close()
		return nil, nil, fmt.Errorf("inventory of %s: %w", opts.From, err)
	}
	curInv, err := migrate.Collect(ctx, curM, opts.Include)
	if err != nil {
		cur.Close()
		return nil, nil, fmt.Errorf("inventory of %s: %w", opts.To, err)
	}
	var notes []string
	oldFacts, n1, err := migrateFacts(ctx, oldM, opts.DmesgFrom)
	if err != nil {
		cur.Close()
		return nil, nil, err
	}
	curFacts, n2, err := migrateFacts(ctx, curM, opts.DmesgTo)
	if err != nil {
		cur.Close()
		return nil, nil, err
	}
	notes = append(notes, n1...)
	notes = append(notes, n2...)
	ifmap, ifnotes := migrate.MapInterfaces(oldFacts, curFacts, ifmap, migrate.ConfiguredInterfaces(oldInv))
	plan := migrate.NewPlan(oldInv, curInv, migrate.Options{
		Index: ix, IfMap: ifmap, IfNotes: ifnotes, OldFacts: oldFacts, NewFacts: curFacts, Include: opts.Include,
		Root: fix.ToRoot,
	})
	plan.Notes = append(plan.Notes, notes...)
	return plan, cur, nil
}

// openMigrateHost returns the local machine for "local", else dials.
func openMigrateHost(ctx context.Context, target string, sshf migSSHFlags, s *Streams) (remote.Host, error) {
	if target == "local" {
		return &remote.LocalHost{AlwaysDoas: migrateFixtureFrom(ctx).AlwaysDoas}, nil
	}
	return sshf.dial(ctx, target, s)
}

// migrateFacts parses a dmesg from file, or the machine's
// /var/run/dmesg.boot; a machine without one gives nil facts and a note.
func migrateFacts(ctx context.Context, m *migrate.HostMachine, file string) (*hardware.Facts, []string, error) {
	var data []byte
	if file != "" {
		d, err := os.ReadFile(file)
		if err != nil {
			return nil, nil, invalid(err, "")
		}
		data = d
	} else {
		d, err := m.ReadFile(ctx, "/var/run/dmesg.boot")
		if err != nil {
			return nil, []string{fmt.Sprintf("%s: no dmesg (%v): interfaces are mapped only by --map", m.Name(), err)}, nil
		}
		data = d
	}
	f, err := hardware.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil, invalid(fmt.Errorf("dmesg of %s: %w", m.Name(), err), "")
	}
	return f, nil, nil
}

// migrateFixture lets package main's tests run migrate plan and apply end
// to end against directories standing in for the two machines' roots
// (migrate.HostMachine.Root), with root commands through a stub doas even
// when the test runs as root. It travels only in the context that
// Execute is given: no flag or environment variable sets it, so the fugu
// binary always works on the machines' real roots.
type migrateFixture struct {
	FromRoot, ToRoot string
	AlwaysDoas       bool
}

type migrateFixtureKey struct{}

func withMigrateFixture(ctx context.Context, f migrateFixture) context.Context {
	return context.WithValue(ctx, migrateFixtureKey{}, f)
}

// migrateFixtureFrom returns the fixture in ctx; outside tests it is the
// zero value, whose roots are "/".
func migrateFixtureFrom(ctx context.Context) migrateFixture {
	f, _ := ctx.Value(migrateFixtureKey{}).(migrateFixture)
	return f
}
