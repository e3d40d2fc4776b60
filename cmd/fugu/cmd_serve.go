package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"fugu/autoinstall/serve"
	"fugu/profiles"

	"github.com/spf13/cobra"
)

const serveLong = `Answer OpenBSD's installer over HTTP for every machine of a site.

fugu serve loads and validates the whole site first (as fugu profile
validate does, planning every machine) and refuses to start if anything is
invalid, listing every problem. It then answers, as the installer asks
(autoinstall(8)):
  /MAC-install.conf  /HOSTNAME-install.conf  /install.conf   (and -upgrade.conf)
with ?path=RELEASE/ARCH, optionally below one directory (DHCP filename
"fugu/auto_install" makes the installer ask for /fugu/...); the disk
template, site set and index.txt that install.conf names; the official sets
from --sets (laid out like pub/OpenBSD: 7.8/amd64/base78.tgz); firmware from
--firmware (7.8/*.tgz, for fw_update -p). Unknown machines get 404, and are
listed on the status page for 'fugu machine enroll'. install.conf is only
answered when machines.yaml sets defaults.profile.

Install once: install.site reports back with a one-time token; from then on
that machine's install.conf (and the generic install.conf its installer asks
for next) is 404 until 'fugu machine rearm NAME' or the status page's re-arm
button. Without --sets (or with a mirror lacking a machine's release) the
installer finds only the site set here; fugu serve warns at start.

State lives in SITE/state (with the embedded example site: --state, else
$XDG_STATE_HOME/fugu/example-site, else ~/.local/state/fugu/example-site).

The installer reaches fugu at the URL in its answers: --server-url, or else
http:// and the Host header of each request (the installer sends the DHCP
next-server address). The installer speaks HTTP on port 80 only: use
--listen :80 (or a redirect to 8080) for real installs.

The status page (/) and /api/machines answer only loopback clients unless
--admin is given, and then only when opened as http://localhost:PORT/ or by
address (a DNS name there could be a web page rebinding its name). Answers carry password hashes and WPA keys: restrict who
may fetch them with --allow. The install.site and first-boot callbacks are
authorised by their one-time tokens and accepted from any address.

Every flag can also be set in the environment: FUGU_SITE, FUGU_LISTEN,
FUGU_SETS, FUGU_FIRMWARE, FUGU_STATE, FUGU_SERVER_URL, FUGU_ALLOW and
FUGU_ADMIN (comma-separated CIDRs).

SIGHUP reloads the site; an invalid site is refused (the problems are
logged) and the old one is kept. The server's process ID is in
STATE/serve.pid while it runs: kill -HUP $(cat STATE/serve.pid). SIGTERM
or SIGINT stop the server after the requests in flight.

EXIT STATUS
  0  stopped by SIGTERM or SIGINT
  1  the server failed (address in use, unreadable state)
  2  bad usage, or an invalid site (every problem is printed)`

type serveOptions struct {
	siteOptions
	Listen    string
	Sets      string
	Firmware  string
	State     string
	ServerURL string
	Allow     cidrList
	Admin     cidrList
}

func newServeCmd(s *Streams) *cobra.Command {
	opts := &serveOptions{}
	cmd := &cobra.Command{
		Use:     "serve",
		Short:   "Serve install.conf, templates, site sets and sets to OpenBSD's installer",
		Long:    serveLong,
		Example: "  fugu serve\n  fugu serve --site ./site --listen :80 --sets /srv/pub/OpenBSD --allow 192.0.2.0/24",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), opts, s)
		},
	}
	opts.addFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&opts.Listen, "listen", envOr("FUGU_LISTEN", "127.0.0.1:8080"), "address to listen on (env FUGU_LISTEN)")
	f.StringVar(&opts.Sets, "sets", os.Getenv("FUGU_SETS"), "official sets mirror, laid out like pub/OpenBSD (env FUGU_SETS)")
	f.StringVar(&opts.Firmware, "firmware", os.Getenv("FUGU_FIRMWARE"), "firmware mirror: RELEASE/*.tgz and SHA256.sig (env FUGU_FIRMWARE)")
	f.StringVar(&opts.State, "state", os.Getenv("FUGU_STATE"), "state directory (default: SITE/state; env FUGU_STATE)")
	f.StringVar(&opts.ServerURL, "server-url", os.Getenv("FUGU_SERVER_URL"), "URL the installer reaches fugu at, http://HOST[:PORT] (default: from each request's Host; env FUGU_SERVER_URL)")
	opts.Allow.env = "FUGU_ALLOW"
	opts.Admin.env = "FUGU_ADMIN"
	f.Var(&opts.Allow, "allow", "CIDR that may fetch answers, templates and sets (firmware is public); repeatable (default: anyone; env FUGU_ALLOW)")
	f.Var(&opts.Admin, "admin", "CIDR that may see the status page and re-arm, besides loopback; repeatable (env FUGU_ADMIN)")
	return cmd
}

func runServe(ctx context.Context, opts *serveOptions, s *Streams) error {
	if err := opts.Allow.fromEnv(); err != nil {
		return usagef("%v", err)
	}
	if err := opts.Admin.fromEnv(); err != nil {
		return usagef("%v", err)
	}
	if opts.ServerURL != "" {
		if err := serve.ValidateServerURL(opts.ServerURL); err != nil {
			return usagef("--server-url: %v", err)
		}
	}
	site, name, err := opts.loadChecked(opts.ServerURL)
	if err != nil {
		return err
	}
	stateDir, err := opts.stateDir()
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(s.Err, nil))
	for _, w := range serve.SiteWarnings(site, serve.Autoinstall{}, opts.ServerURL) {
		log.Warn("site warning", "warning", w.String())
	}
	store, err := serve.OpenStore(stateDir, log)
	if err != nil {
		return fmt.Errorf("open state: %w", err)
	}
	srv, err := serve.New(serve.Config{Renderer: serve.Autoinstall{}, Store: store, SetsDir: opts.Sets,
		FirmwareDir: opts.Firmware, ServerURL: opts.ServerURL, Allow: opts.Allow.nets, Admin: opts.Admin.nets, Log: log},
		serve.NewSnapshot(site, time.Now()))
	if err != nil {
		return invalid(err, "")
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return withHint(fmt.Errorf("listen: %w", err), listenHint(err))
	}
	// SIGHUP is caught from before serve.pid names this process until
	// after it is removed: a kill -HUP $(cat serve.pid) in between would
	// otherwise stop the server (SIGHUP's default action).
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	removePID, err := writePIDFile(stateDir)
	if err != nil {
		ln.Close()
		return err
	}
	defer removePID()
	printBanner(s, ln.Addr(), name, stateDir, site)
	printMissingSets(s, srv.MissingSets())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { store.Run(ctx) })
	wg.Go(func() {
		srv.ReloadOn(ctx, hup, func() (*profiles.Site, error) {
			site, _, err := opts.load()
			return site, err
		})
	})
	err = srv.Serve(ctx, ln, serve.MaxConns)
	cancel()
	wg.Wait()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(s.Err, "fugu serve: stopped")
	return nil
}

// stateDir picks where install state lives and says so in the banner.
func (o *serveOptions) stateDir() (string, error) {
	switch {
	case o.State != "":
		return o.State, nil
	case o.Site != "":
		return filepath.Join(o.Site, "state"), nil
	}
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", usagef("no --state, and no $XDG_STATE_HOME or $HOME for the example site's state")
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "fugu", "example-site"), nil
}

// printBanner tells a new user where the server is and what to try.
func printBanner(s *Streams, addr net.Addr, site, stateDir string, st *profiles.Site) {
	host := "127.0.0.1"
	if tcp, ok := addr.(*net.TCPAddr); ok && !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
	}
	_, port, _ := net.SplitHostPort(addr.String())
	base := "http://" + net.JoinHostPort(host, port)
	fmt.Fprintf(s.Err, "fugu serve: site %s: %s, %s; state in %s\n", site, plural(len(st.Machines), "machine"), plural(len(st.Profiles), "profile"), stateDir)
	fmt.Fprintf(s.Err, "fugu serve: listening on %s\n", addr)
	fmt.Fprintf(s.Err, "  status page:  %s/\n", base)
	for _, m := range st.Machines {
		if len(m.MACs) == 0 {
			continue
		}
		rel, arch := m.Profile.Release, m.Profile.Arch
		if rel == "" || arch == "" {
			rel, arch = "7.8", "amd64"
		}
		fmt.Fprintf(s.Err, "  try:          curl '%s/%s-install.conf?path=%s/%s'   (%s)\n", base, m.MACs[0], rel, arch, m.Name)
	}
	fmt.Fprintf(s.Err, "  machines:     curl %s/api/machines\n", base)
	fmt.Fprintf(s.Err, "  reload:       %s\n", reloadCommand(stateDir))
}

// printMissingSets warns of machines whose installer would find no
// official sets at this server; the status page shows the same.
// Machines with the same reason share one line.
func printMissingSets(s *Streams, missing map[string]string) {
	byWhy := map[string][]string{}
	for _, name := range slices.Sorted(maps.Keys(missing)) {
		byWhy[missing[name]] = append(byWhy[missing[name]], name)
	}
	for _, why := range slices.Sorted(maps.Keys(byWhy)) {
		fmt.Fprintf(s.Err, "  warning:      %s: %s\n", strings.Join(byWhy[why], ", "), why)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// listenHint says what to do about a failed listen, by its cause.
func listenHint(err error) string {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return "another program (or another fugu serve) is using that address; stop it or pick another --listen"
	case errors.Is(err, syscall.EACCES):
		return "ports below 1024 need root; try --listen 127.0.0.1:8080"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "that address is not on this machine; see ifconfig for its addresses"
	}
	return "check --listen (HOST:PORT, e.g. 127.0.0.1:8080 or :80)"
}
