package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"fugu/autoinstall/serve"

	"github.com/spf13/cobra"
)

const dhcpdLong = `Print dhcpd.conf host stanzas that send every machine of the site to
fugu serve: hardware ethernet (each MAC), filename "auto_install" (the BOOTP
file field, which tells the installer to install unattended), next-server
(the BOOTP siaddr: fugu's IPv4 address; the installer fetches from port 80)
and option host-name.

--format openbsd writes OpenBSD dhcpd(8) host blocks; --format isc writes
one ISC dhcpd group with the shared statements. --prefix fugu makes the
filename "fugu/auto_install", so the installer asks for /fugu/... (the TFTP
root needs the same fugu/auto_install for PXE).

EXIT STATUS
  0  success
  1  the site directory cannot be opened
  2  bad usage, a bad --server address, or an invalid site`

type dhcpdOptions struct {
	siteOptions
	Server string
	Format dhcpdFormat
	Prefix string
}

// dhcpdFormat is the --format word.
type dhcpdFormat struct{ v serve.DHCPDFormat }

func (f *dhcpdFormat) String() string {
	if f.v == "" {
		return string(serve.FormatOpenBSD)
	}
	return string(f.v)
}
func (f *dhcpdFormat) Type() string { return "openbsd|isc" }
func (f *dhcpdFormat) Set(s string) error {
	switch v := serve.DHCPDFormat(s); v {
	case serve.FormatOpenBSD, serve.FormatISC:
		f.v = v
		return nil
	}
	return fmt.Errorf("%q: expected openbsd or isc", s)
}

func newDHCPDConfCmd(s *Streams) *cobra.Command {
	opts := &dhcpdOptions{}
	cmd := &cobra.Command{
		Use:     "dhcpd-conf --server ADDR",
		Short:   "Print dhcpd.conf host stanzas pointing the site's machines at fugu serve",
		Long:    dhcpdLong,
		Example: "  fugu dhcpd-conf --site ./site --server 192.0.2.10 >> /etc/dhcpd.conf",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDHCPDConf(cmd.Context(), opts, s)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().StringVar(&opts.Server, "server", "", "fugu serve's IPv4 address (next-server)")
	cmd.Flags().Var(&opts.Format, "format", "dhcpd.conf dialect: openbsd or isc")
	cmd.Flags().StringVar(&opts.Prefix, "prefix", "", "directory before auto_install in filename (fugu: \"fugu/auto_install\")")
	return cmd
}

func runDHCPDConf(_ context.Context, opts *dhcpdOptions, s *Streams) error {
	if opts.Server == "" {
		return usagef("dhcpd-conf: --server ADDR is required (fugu serve's IPv4 address)")
	}
	addr, err := netip.ParseAddr(opts.Server)
	if err != nil {
		return usagef("--server %q: expected an IPv4 address like 192.0.2.10", opts.Server)
	}
	if err := serve.CheckNextServer(addr); err != nil {
		return usagef("--server: %v", err)
	}
	site, name, err := opts.load()
	if err != nil {
		return err
	}
	source := name // the directory as the user named it
	if opts.Site == "" {
		source = "the embedded example site"
	}
	// fugu render's --prefix ends in /: the same value works here.
	prefix := strings.TrimSuffix(opts.Prefix, "/")
	cfg := serve.DHCPDConfig{Server: addr, Format: opts.Format.v, Prefix: prefix, Source: source}
	if err := serve.WriteDHCPD(s.Out, site, cfg); err != nil {
		return invalid(err, "")
	}
	return nil
}
