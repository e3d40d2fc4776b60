package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"fugu/hardware"

	"github.com/spf13/cobra"
)

// defaultDmesg is where OpenBSD keeps the dmesg of the current boot.
const defaultDmesg = "/var/run/dmesg.boot"

const hwReportLong = `Report what a dmesg says about a machine: OpenBSD version and arch, CPUs,
memory, disks (size, model, SSD, USB), network interfaces (driver, MAC,
wireless), graphics, hypervisor, devices no driver took ("not configured"),
and the firmware packages fw_update would install, with the dmesg line
that asks for each.

FILE is a dmesg as saved from /var/run/dmesg.boot or the dmesg command, a
syslog excerpt, or a copy from a web page or a mail; - reads standard
input. Only the last boot in the file counts. Without FILE, fugu reads
/var/run/dmesg.boot.

--format text (the default) prints a summary to paste into a mail; json
prints the facts for scripts; markdown prints a section for a ticket.

EXIT STATUS
  0  success
  1  FILE cannot be read
  2  bad usage, or FILE is empty`

const hwFirmwareLong = `Print the firmware packages fw_update would install for a dmesg, one per
line (iwm-firmware, inteldrm-firmware, ...), decided by fw_update's own
rule: the last boot only, its pattern list in order, the first match per
driver. FILE and - are as for fugu hw report; the default is
/var/run/dmesg.boot.

EXIT STATUS
  0  success (also when no firmware is needed: then nothing is printed)
  1  FILE cannot be read
  2  bad usage, or FILE is empty`

func newHWCmd(s *Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hw",
		Short: "Report hardware and needed firmware from a dmesg; enrol machines",
	}
	cmd.AddCommand(newHWReportCmd(s), newHWFirmwareCmd(s), newHWEnrollCmd(s))
	return cmd
}

// hwFormat is the --format word of fugu hw report.
type hwFormat string

func (f *hwFormat) String() string {
	if *f == "" {
		return "text"
	}
	return string(*f)
}
func (f *hwFormat) Type() string { return "text|json|markdown" }
func (f *hwFormat) Set(s string) error {
	switch s {
	case "text", "json", "markdown":
		*f = hwFormat(s)
		return nil
	}
	return fmt.Errorf("%q: expected text, json or markdown", s)
}

type hwReportOptions struct {
	File   string
	Format hwFormat
}

func newHWReportCmd(s *Streams) *cobra.Command {
	opts := &hwReportOptions{}
	cmd := &cobra.Command{
		Use:     "report [FILE|-]",
		Short:   "Summarise what a dmesg says about the hardware",
		Long:    hwReportLong,
		Example: "  fugu hw report\n  fugu hw report --format json dmesg.txt\n  ssh puffy cat /var/run/dmesg.boot | fugu hw report -",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = fileArg(args)
			return runHWReport(cmd.Context(), opts, s)
		},
	}
	cmd.Flags().Var(&opts.Format, "format", "output format: text, json or markdown")
	return cmd
}

func runHWReport(_ context.Context, opts *hwReportOptions, s *Streams) error {
	facts, err := readFacts(opts.File, s.In)
	if err != nil {
		return err
	}
	switch opts.Format {
	case "json":
		err = hardware.WriteJSON(s.Out, facts)
	case "markdown":
		err = hardware.WriteMarkdown(s.Out, facts)
	default:
		err = hardware.WriteText(s.Out, facts)
	}
	if err != nil {
		return fmt.Errorf("hw report: write: %w", err)
	}
	return nil
}

type hwFirmwareOptions struct{ File string }

func newHWFirmwareCmd(s *Streams) *cobra.Command {
	opts := &hwFirmwareOptions{}
	return &cobra.Command{
		Use:     "firmware [FILE|-]",
		Short:   "List the firmware packages fw_update would install for a dmesg",
		Long:    hwFirmwareLong,
		Example: "  fugu hw firmware dmesg.txt",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = fileArg(args)
			return runHWFirmware(cmd.Context(), opts, s)
		},
	}
}

func runHWFirmware(_ context.Context, opts *hwFirmwareOptions, s *Streams) error {
	facts, err := readFacts(opts.File, s.In)
	if err != nil {
		return err
	}
	for _, fw := range facts.Firmware {
		if _, err := fmt.Fprintln(s.Out, fw.Package); err != nil {
			return fmt.Errorf("hw firmware: write: %w", err)
		}
	}
	return nil
}

func fileArg(args []string) string {
	if len(args) == 0 {
		return defaultDmesg
	}
	return args[0]
}

// readDmesg reads FILE, or standard input for "-", up to one byte more
// than a dmesg may hold (Parse then refuses it). An empty one is invalid.
func readDmesg(file string, stdin io.Reader) ([]byte, error) {
	in := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, dmesgError(file, err)
		}
		defer f.Close()
		in = f
	}
	data, err := io.ReadAll(io.LimitReader(in, hardware.MaxDmesgSize+1))
	if err != nil {
		return nil, dmesgError(file, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		// A failed copy or /dev/null, not a machine without hardware.
		return nil, invalid(fmt.Errorf("%s is empty: expected a dmesg", displayName(file)), "copy /var/run/dmesg.boot from the machine, or save what dmesg prints there")
	}
	return data, nil
}

func dmesgError(file string, err error) error {
	hint := "pass a dmesg file, or - to read standard input"
	if file == defaultDmesg {
		hint = "not on OpenBSD? " + hint
	}
	return withHint(fmt.Errorf("read dmesg: %w", err), hint)
}

func readFacts(file string, stdin io.Reader) (*hardware.Facts, error) {
	data, err := readDmesg(file, stdin)
	if err != nil {
		return nil, err
	}
	facts, err := hardware.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, invalid(fmt.Errorf("%s: %w", displayName(file), err), "")
	}
	return facts, nil
}

func displayName(file string) string {
	if file == "-" {
		return "standard input"
	}
	return file
}
