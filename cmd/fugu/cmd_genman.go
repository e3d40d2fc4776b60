package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newGenManCmd writes man pages for every command; `make man` runs it.
// It is hidden: it is a build step, not something users need.
func newGenManCmd(s *Streams) *cobra.Command {
	return &cobra.Command{
		Use:    "gen-man DIR",
		Short:  "Write man pages for every fugu command into DIR",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("gen-man: %w", err)
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			header := &doc.GenManHeader{Title: "FUGU", Section: "1", Source: "fugu " + version, Manual: "fugu manual"}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return fmt.Errorf("gen-man: %w", err)
			}
			fmt.Fprintf(s.Out, "man pages written to %s\n", dir)
			return nil
		},
	}
}
