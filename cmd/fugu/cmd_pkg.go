package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"fugu/firewall"
	"fugu/migrate/remote"
	"fugu/packages"

	"github.com/spf13/cobra"
)

const pkgListLong = `Print the manually installed packages of a machine, one pkg_add -l name a
line (stem--flavors[%branch]), read from a pkg_info -mz, -m or -mq listing in
FILE ("-" or nothing: standard input) or, with --host, by running pkg_info -mz
on that machine over SSH (pkg_info -m on releases without -z).

SOURCES
  FILE           a file; "-" is standard input
  host:TARGET    (pkg diff) run pkg_info on [user@]host[:port] or an ssh alias

EXIT STATUS
  0  listed
  1  FILE could not be read, the host could not be reached or pkg_info
     failed
  2  bad usage, or a line of the listing is not a package name`

// pkgListOptions are the flags of fugu pkg list.
type pkgListOptions struct {
	Host string
	JSON bool
	File string
	SSH  migSSHFlags
}

func newPkgCmd(s *Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pkg",
		Short: "List, compare and check OpenBSD package lists",
	}
	cmd.AddCommand(newPkgListCmd(s), newPkgDiffCmd(s), newPkgCheckCmd(s))
	return cmd
}

func newPkgListCmd(s *Streams) *cobra.Command {
	var opts pkgListOptions
	cmd := &cobra.Command{
		Use:   "list [--host TARGET] [--json] [FILE]",
		Short: "Print the manually installed packages of a machine or listing",
		Long:  pkgListLong,
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File = args[0]
			}
			return runPkgList(cmd.Context(), opts, s)
		},
	}
	cmd.Flags().StringVar(&opts.Host, "host", "", "read the list from this machine over SSH ([user@]host[:port] or an ssh alias)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON: stem, flavors, branch per package")
	opts.SSH.addFlags(cmd)
	return cmd
}

func runPkgList(ctx context.Context, opts pkgListOptions, s *Streams) error {
	if opts.Host != "" && opts.File != "" {
		return usagef("pkg list: give --host or FILE, not both")
	}
	src := opts.File
	if opts.Host != "" {
		src = "host:" + opts.Host
	}
	names, err := readPkgSource(ctx, src, opts.SSH, s)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(s.Out, names)
	}
	fuzzy := make([]packages.Name, len(names))
	for i, n := range names {
		fuzzy[i] = n.Fuzzy()
	}
	return packages.WriteList(s.Out, fuzzy)
}

// readPkgSource reads a package list from a file, standard input ("" or
// "-") or, for "host:TARGET", from pkg_info on that machine.
func readPkgSource(ctx context.Context, src string, sshf migSSHFlags, s *Streams) ([]packages.Name, error) {
	if target, ok := strings.CutPrefix(src, "host:"); ok {
		h, err := sshf.dial(ctx, target, s)
		if err != nil {
			return nil, err
		}
		defer h.Close()
		names, err := remotePkgList(ctx, h)
		if err != nil {
			return nil, fmt.Errorf("packages of %s: %w", target, err)
		}
		return names, nil
	}
	name := src
	var data []byte
	var err error
	if src != "" && src != "-" {
		data, err = os.ReadFile(src)
	} else {
		name = "standard input"
		data, err = io.ReadAll(s.In)
	}
	if err != nil {
		// A file that cannot be read is a failure, not a bad listing.
		return nil, fmt.Errorf("read package list %s: %w", name, err)
	}
	names, err := packages.ParseList(bytes.NewReader(data))
	if err != nil {
		return nil, invalid(atLines(name, err), "each line must start with a package name, as pkg_info -mz prints them")
	}
	return names, nil
}

// remotePkgList runs pkg_info -mz on h, falling back to pkg_info -m on
// releases whose pkg_info has no -z (before 2022).
func remotePkgList(ctx context.Context, h remote.Host) ([]packages.Name, error) {
	res, err := h.Run(ctx, remote.Command{Line: "pkg_info -mz"})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		res, err = h.Run(ctx, remote.Command{Line: "pkg_info -m"})
		if err != nil {
			return nil, err
		}
		if res.ExitCode != 0 {
			return nil, fmt.Errorf("pkg_info -m: exit %d: %s", res.ExitCode, strings.TrimSpace(string(res.Stderr)))
		}
	}
	names, err := packages.ParseList(strings.NewReader(string(res.Stdout)))
	if err != nil {
		return nil, fmt.Errorf("pkg_info output: %w", err)
	}
	return names, nil
}

// loadPkgIndex reads a packages index from a file or an http(s) URL. A
// URL ending in "/" is a packages directory: its index.txt is fetched.
func loadPkgIndex(ctx context.Context, src string) (*packages.Index, error) {
	var r io.Reader
	// shown is src as errors name it: without a URL's password.
	shown := src
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		if strings.HasSuffix(src, "/") {
			src += "index.txt"
		}
		shown = firewall.RedactURL(src)
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // it quotes the URL whole
			}
			return nil, invalid(fmt.Errorf("--index %s: %w", shown, err), "")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("fetch package index: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetch package index %s: %s", shown, resp.Status)
		}
		// An index of the whole amd64 tree is about 1 MB; 64 MB bounds a
		// wrong URL that streams forever.
		r = io.LimitReader(resp.Body, 64<<20)
	} else {
		data, err := os.ReadFile(src)
		if err != nil {
			// Like a failed fetch: a failure, not a bad index.
			return nil, fmt.Errorf("read package index %s: %w", src, err)
		}
		r = bytes.NewReader(data)
	}
	ix, err := packages.ParseIndex(r)
	if err != nil {
		return nil, invalid(fmt.Errorf("package index %s: %w", shown, err), "give a packages directory's index.txt or SHA256 file, or its URL")
	}
	return ix, nil
}

// atLines names the file in each of err's problems, as FILE:LINE: for
// those on a line, so every line of a multi-line report says where.
func atLines(name string, err error) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]error, 0, len(errs))
	for _, e := range errs {
		var le *packages.LineError
		if errors.As(e, &le) {
			out = append(out, fmt.Errorf("%s:%d: %w", name, le.Line, le.Err))
		} else {
			out = append(out, fmt.Errorf("%s: %w", name, e))
		}
	}
	return errors.Join(out...)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
