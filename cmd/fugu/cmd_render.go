package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fugu/autoinstall"
	"fugu/autoinstall/serve"
	"fugu/hardware"
	"fugu/profiles"

	"github.com/spf13/cobra"
)

const renderLong = `Render the files OpenBSD's installer fetches for one machine: install.conf,
upgrade.conf, the disklabel template (when the profile lays out the root
disk), the site set site<NN>-<host>.tgz and the index.txt that lists it.
Each file is written to OUTDIR under a temporary name and renamed into place.

The machine comes from the site (--machine NAME or --mac MAC), or from a
single profile file (--profile FILE, with --machine naming it). A dmesg
(--dmesg, or the one machines.yaml names) tells fugu the memory, disks and
interfaces; --server is fugu's address as the installer reaches it.

EXIT STATUS
  0  the files were written
  1  a file could not be read (--dmesg, --profile, --site, --sets) or written
  2  bad usage, or an invalid site, profile or value`

type renderOptions struct {
	siteOptions
	Machine  string
	MAC      string
	Profile  string
	Dmesg    string
	Memory   string
	Server   string
	Prefix   string
	Firmware string
	Sets     string
	Out      string
	SiteFlag bool // --site was given on the command line, not only in FUGU_SITE
}

func newRenderCmd(s *Streams) *cobra.Command {
	o := &renderOptions{}
	cmd := &cobra.Command{
		Use:   "render -o OUTDIR (--machine NAME | --mac MAC | --profile FILE)",
		Short: "Write install.conf, upgrade.conf, template and site set for a machine",
		Long:  renderLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// FUGU_SITE fills in --site too; only the flag itself
			// conflicts with --profile.
			o.SiteFlag = cmd.Flags().Changed("site")
			return runRender(cmd.Context(), o, s)
		},
	}
	o.addFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.Machine, "machine", "", "machine name in machines.yaml (with --profile: the machine's name)")
	f.StringVar(&o.MAC, "mac", "", "select the machine by a MAC address")
	f.StringVar(&o.Profile, "profile", "", "render a single profile file instead of a site machine")
	f.StringVar(&o.Dmesg, "dmesg", "", "the machine's dmesg (overrides the one machines.yaml names)")
	f.StringVar(&o.Memory, "memory", "", "the machine's memory, like 16G (with --profile and no dmesg)")
	server := os.Getenv("FUGU_SERVER")
	if server == "" {
		server = os.Getenv("FUGU_SERVER_URL") // fugu serve's name for it
	}
	f.StringVar(&o.Server, "server", server, "fugu as the installer reaches it, like http://192.0.2.10 (env FUGU_SERVER or FUGU_SERVER_URL)")
	// fugu serve calls it --server-url.
	f.StringVar(&o.Server, "server-url", server, "the same as --server")
	_ = f.MarkHidden("server-url") // cannot fail: the flag was just added
	f.StringVar(&o.Prefix, "prefix", os.Getenv("FUGU_PREFIX"), "URL path prefix from the DHCP filename, like fugu/ (env FUGU_PREFIX)")
	f.StringVar(&o.Firmware, "firmware-url", os.Getenv("FUGU_FIRMWARE_URL"), "firmware mirror for fw_update -p (env FUGU_FIRMWARE_URL)")
	f.StringVar(&o.Sets, "sets", os.Getenv("FUGU_SETS"), "mirror laid out like pub/OpenBSD (RELEASE/ARCH/base78.tgz), as for fugu serve; its files are listed in index.txt (env FUGU_SETS)")
	f.StringVarP(&o.Out, "output", "o", "", "directory to write the files to (created if missing)")
	return cmd
}

func runRender(ctx context.Context, o *renderOptions, s *Streams) error {
	switch {
	case o.Out == "":
		return usagef("render: -o OUTDIR is required")
	case o.Server == "":
		return usagef("render: --server is required (fugu's address as the installer reaches it, like http://192.0.2.10)")
	case o.Profile != "" && (o.SiteFlag || o.MAC != ""):
		return usagef("render: --profile renders one file: it cannot be combined with --site or --mac")
	case o.Profile == "" && (o.Machine == "") == (o.MAC == ""):
		return usagef("render: give exactly one of --machine NAME and --mac MAC")
	case o.Profile != "" && o.Memory != "" && o.Dmesg != "":
		return usagef("render: give --memory or --dmesg, not both")
	case o.Profile == "" && o.Memory != "":
		return usagef("render: --memory is for --profile; a site machine's memory is in machines.yaml")
	}
	if o.Prefix != "" && !strings.HasSuffix(o.Prefix, "/") {
		o.Prefix += "/"
	}
	opts := autoinstall.Options{ServerURL: strings.TrimSuffix(o.Server, "/"), PathPrefix: o.Prefix, FirmwareURL: o.Firmware}
	if err := opts.Validate(); err != nil {
		// --server, --prefix or --firmware-url, not the machine.
		return usagef("render: %v", err)
	}
	m, err := o.machine()
	if err != nil {
		return err
	}
	facts, err := o.facts(m)
	if err != nil {
		return err
	}
	if o.Sets != "" {
		// Laid out like pub/OpenBSD, as fugu serve --sets takes it.
		rel := firstNonEmptyString(m.Profile.Release, profiles.DefaultRelease)
		arch := firstNonEmptyString(m.Profile.Arch, profiles.DefaultArch)
		entries, err := os.ReadDir(filepath.Join(o.Sets, rel, arch))
		if err != nil {
			return fmt.Errorf("read sets directory: %w", err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && e.Name() != "index.txt" && !strings.HasPrefix(e.Name(), "site") {
				opts.MirrorFiles = append(opts.MirrorFiles, e.Name())
			}
		}
	}
	plan, err := autoinstall.NewPlan(m, facts, opts)
	if err != nil {
		return invalid(o.located(m, err), o.validateHint(m))
	}
	for _, w := range plan.Warnings {
		fmt.Fprintf(s.Err, "fugu: warning: %s\n", w)
	}
	files, err := autoinstall.Render(plan)
	if err != nil {
		return fmt.Errorf("render %s: %w", m.Name, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return writeRendered(o.Out, files, s)
}

// machine finds the machine in the site, or wraps the single profile.
func (o *renderOptions) machine() (*profiles.Machine, error) {
	if o.Profile != "" {
		data, err := os.ReadFile(o.Profile)
		if err != nil {
			return nil, fmt.Errorf("read profile: %w", err)
		}
		name := o.Machine
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(o.Profile), filepath.Ext(o.Profile))
		}
		m, err := profiles.LoadProfileMachine(o.Profile, data, name)
		if err != nil {
			return nil, invalid(err, "")
		}
		if o.Memory != "" {
			b, err := profiles.ParseSize(o.Memory)
			if err != nil {
				return nil, invalid(fmt.Errorf("--memory: %w", err), "")
			}
			m.MemoryBytes = b
		}
		return m, nil
	}
	site, _, err := o.load()
	if err != nil {
		return nil, err
	}
	if o.MAC != "" {
		mac, err := profiles.NormalizeMAC(o.MAC)
		if err != nil {
			return nil, invalid(fmt.Errorf("--mac: %w", err), "")
		}
		for _, m := range site.Machines {
			for _, x := range m.MACs {
				if x == mac {
					return m, nil
				}
			}
		}
		return nil, invalid(fmt.Errorf("no machine in the site has MAC %s", mac), o.listHint())
	}
	for _, m := range site.Machines {
		if m.Name == o.Machine {
			return m, nil
		}
	}
	return nil, invalid(fmt.Errorf("no machine named %q in the site", o.Machine), o.listHint())
}

// located turns the plan's error for a single --profile machine into
// problems located in the file, as fugu profile validate locates a site
// machine's (a site machine's plan was checked when the site loaded). An
// error the check does not find (one of render's own options) is kept.
func (o *renderOptions) located(m *profiles.Machine, err error) error {
	if o.Profile == "" {
		return err
	}
	one := &profiles.Site{Profiles: map[string]*profiles.Profile{m.ProfileName: &m.Profile}, Machines: []*profiles.Machine{m}}
	ps := serve.CheckSite(one, serve.Autoinstall{}, "")
	if len(ps) == 0 {
		return err
	}
	for i := range ps {
		// There is only the one machine.
		ps[i].Message = strings.TrimSuffix(ps[i].Message, " (machine "+m.Name+")")
	}
	return ps
}

// validateHint names the command that reports every problem of the site
// a machine came from. A single --profile file has none to point at, nor
// a machines.yaml for what needs the machine's memory.
func (o *renderOptions) validateHint(m *profiles.Machine) string {
	_, mult, _ := profiles.ParseSwap(m.Profile.Disks.Root.Swap)
	switch {
	case o.Profile != "" && m.MemoryBytes == 0 && len(m.Dmesg) == 0 && mult > 0:
		return "a single profile has no machines.yaml: give the machine's memory with --memory SIZE, or its dmesg with --dmesg FILE"
	case o.Profile != "":
		return ""
	case o.Site != "":
		return fmt.Sprintf("run `fugu profile validate --site %s` to see every problem of the site", o.Site)
	}
	return "run `fugu profile validate` to see every problem of the site"
}

// listHint names the command that lists the site's machines.
func (o *renderOptions) listHint() string {
	if o.Site != "" {
		return fmt.Sprintf("run `fugu machine list --site %s` to list the machines", o.Site)
	}
	return "run `fugu machine list` to list the machines"
}

// facts reads the machine's dmesg: --dmesg, else the one in the site.
func (o *renderOptions) facts(m *profiles.Machine) (*hardware.Facts, error) {
	data := m.Dmesg
	name := m.DmesgPath
	if o.Dmesg != "" {
		b, err := os.ReadFile(o.Dmesg)
		if err != nil {
			return nil, fmt.Errorf("read dmesg: %w", err)
		}
		data, name = b, o.Dmesg
		if o.Profile != "" {
			// What checks the machine's plan reads the dmesg from it.
			m.Dmesg, m.DmesgPath = data, name
		}
	}
	if len(data) == 0 {
		return nil, nil
	}
	f, err := hardware.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, invalid(fmt.Errorf("dmesg %s: %w", name, err), "")
	}
	return f, nil
}

func firstNonEmptyString(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
