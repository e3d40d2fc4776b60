package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fugu/profiles"

	"github.com/spf13/cobra"
)

// roleValue is the --role flag: one of profiles.StarterRoles.
type roleValue string

func (r *roleValue) String() string { return string(*r) }
func (r *roleValue) Type() string   { return "role" }
func (r *roleValue) Set(s string) error {
	for _, ok := range profiles.StarterRoles {
		if s == ok {
			*r = roleValue(s)
			return nil
		}
	}
	return fmt.Errorf("%q is not a role (expected one of: %s)", s, strings.Join(profiles.StarterRoles, ", "))
}

type profileInitOptions struct {
	Role roleValue
	Dir  string
}

// The schemas are written next to machines.yaml so that the starter's
// yaml-language-server lines find them.
const (
	schemaFile          = "profile.schema.json"
	inventorySchemaFile = "machines.schema.json"
)

func newProfileInitCmd(s *Streams) *cobra.Command {
	opts := profileInitOptions{Role: "laptop", Dir: "."}
	cmd := &cobra.Command{
		Use:   "init [--role laptop|mailgw|server] [DIR]",
		Short: "Write a commented starter site",
		Long: `Write a starter site into DIR (default: the current directory):
machines.yaml, profiles/ROLE.yaml, and the JSON Schemas their
yaml-language-server lines name (profile.schema.json, machines.schema.json),
every key commented. It refuses to overwrite any file that exists.

EXIT STATUS
  0  the starter site was written
  1  a file could not be written
  2  bad usage (an unknown --role), or a file of the starter exists
     already (nothing is written then)`,
		Example: "  fugu profile init --role mailgw ./site\n  fugu profile validate --site ./site",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runProfileInit(cmd.Context(), &opts, s)
		},
	}
	cmd.Flags().Var(&opts.Role, "role", "starter role: "+strings.Join(profiles.StarterRoles, ", "))
	_ = cmd.RegisterFlagCompletionFunc("role", cobra.FixedCompletions(profiles.StarterRoles, cobra.ShellCompDirectiveNoFileComp))
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
	return cmd
}

func runProfileInit(_ context.Context, opts *profileInitOptions, s *Streams) error {
	starter, err := profiles.Starter(string(opts.Role))
	if err != nil {
		return usagef("profile init: %v", err)
	}
	files := map[string][]byte{schemaFile: profiles.Schema(), inventorySchemaFile: profiles.InventorySchema()}
	err = fs.WalkDir(starter, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[p], err = fs.ReadFile(starter, p)
		return err
	})
	if err != nil {
		return fmt.Errorf("profile init: read starter: %w", err)
	}
	// Check everything first, so that a refusal writes nothing.
	var exists []string
	for name := range files {
		target := filepath.Join(opts.Dir, filepath.FromSlash(name))
		if _, err := os.Lstat(target); err == nil {
			exists = append(exists, target)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("profile init: %w", err)
		}
	}
	if len(exists) > 0 {
		return invalid(fmt.Errorf("profile init: will not overwrite %s", strings.Join(slices.Sorted(slices.Values(exists)), ", ")), "choose an empty directory: fugu profile init DIR")
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		target := filepath.Join(opts.Dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return fmt.Errorf("profile init: %w", err)
		}
		// O_EXCL: a file that appeared since the check is still not overwritten.
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return fmt.Errorf("profile init: %w", err)
		}
		_, werr := f.Write(files[name])
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("profile init: write %s: %w", target, werr)
		}
		fmt.Fprintf(s.Out, "wrote %s\n", target)
	}
	fmt.Fprintf(s.Out, "next: edit %s, then run: fugu profile validate --site %s\n", filepath.Join(opts.Dir, "profiles", string(opts.Role)+".yaml"), opts.Dir)
	return nil
}

func newProfileSchemaCmd(s *Streams) *cobra.Command {
	var inventory bool
	cmd := &cobra.Command{
		Use:   "schema [--inventory]",
		Short: "Print the JSON Schema of profiles (or of machines.yaml)",
		Long: `Print the JSON Schema (draft 2020-12) of a profile file, for editors with
yaml-language-server: put "# yaml-language-server: $schema=PATH" at the top
of a profile. With --inventory, print the schema of machines.yaml.`,
		Example: "  fugu profile schema > profile.schema.json",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			out := profiles.Schema()
			if inventory {
				out = profiles.InventorySchema()
			}
			_, err := s.Out.Write(out)
			return err
		},
	}
	cmd.Flags().BoolVar(&inventory, "inventory", false, "print the schema of machines.yaml instead")
	return cmd
}
