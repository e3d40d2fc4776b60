package autoinstall

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"fugu/firewall"
)

// Options are what the renderer needs to know about the fugu server that
// serves the files, as the installer reaches it.
type Options struct {
	// ServerURL is fugu as the installer reaches it: "http://192.0.2.10"
	// or "http://192.0.2.10:8080" (no trailing slash, no path).
	ServerURL string
	// PathPrefix is the DHCP filename prefix: "" or e.g. "fugu/" (always
	// ends in "/" when set).
	PathPrefix string
	// Release and Arch come from the installer's ?path= and are used when
	// the profile does not set them.
	Release, Arch string
	// FirmwareURL, when set, is a firmware mirror for fw_update -p.
	FirmwareURL string
	// InstallSiteCallback and FirstBootCallback are full URLs (with a
	// one-time token) that install.site and rc.firsttime fetch when done;
	// "" means no callback.
	InstallSiteCallback, FirstBootCallback string
	// MirrorFiles are the names of the official set files the server
	// serves in the machine's sets directory (from its --sets mirror);
	// index.txt lists them next to the site set.
	MirrorFiles []string
	// Unknown: the machine is one fugu does not know (answered with
	// defaults.profile), so nothing is known of its hardware; a profile
	// that names no interface leaves the network questions to the
	// installer's defaults.
	Unknown bool
}

var (
	hostPortRE = regexp.MustCompile(`^(\[[0-9A-Fa-f:.%]+\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?$`)
	prefixRE   = regexp.MustCompile(`^([A-Za-z0-9._-]+/)*$`)
	// urlSafeRE is what a URL may contain to be single-quoted in a shell
	// script and written on one line: no quote, blank or control character.
	urlSafeRE = regexp.MustCompile(`^[A-Za-z0-9:/._~?&=%+,@\[\]-]+$`)
)

// checkServerURL checks a URL that is answered to "HTTP Server?": a scheme,
// a host (letters, digits, : . [ ] _ - as the installer allows) and no path.
func checkServerURL(s string, schemes ...string) error {
	scheme, host, ok := strings.Cut(s, "://")
	if !ok || !contains(schemes, scheme) {
		return fmt.Errorf("%q: expected %s://HOST[:PORT]", firewall.RedactURL(s), strings.Join(schemes, ":// or "))
	}
	if !hostPortRE.MatchString(host) {
		return fmt.Errorf("%q: expected %s://HOST[:PORT] with no path (the installer takes only a host)", firewall.RedactURL(s), scheme)
	}
	if !validPort(host) {
		return fmt.Errorf("%q: the port is not between 1 and 65535", firewall.RedactURL(s))
	}
	return nil
}

// validPort reports whether the port of HOST[:PORT] (hostPortRE's form),
// if any, is between 1 and 65535.
func validPort(hostport string) bool {
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 || strings.HasSuffix(hostport, "]") {
		return true
	}
	n, err := strconv.Atoi(hostport[i+1:])
	return err == nil && n >= 1 && n <= 65535
}

// checkCallbackURL checks a URL that a generated script fetches.
func checkCallbackURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q: expected an http:// or https:// URL", firewall.RedactURL(s))
	}
	if !urlSafeRE.MatchString(s) {
		return fmt.Errorf("%q: URL has a character a shell script cannot carry safely (quote, blank or control character)", firewall.RedactURL(s))
	}
	return nil
}

// Validate reports every problem of o (the server URL, the path prefix,
// the firmware and callback URLs, the mirror file names), one a line, or
// nil. NewPlan makes the same checks; a caller that takes the options
// from its user can make them first and blame the user's flags, not the
// machine.
func (o Options) Validate() error {
	return errors.Join(o.check()...)
}

func (o *Options) check() []error {
	var errs []error
	if o.ServerURL == "" {
		errs = append(errs, fmt.Errorf("server URL: required (fugu's address as the installer reaches it, like http://192.0.2.10)"))
	} else if err := checkServerURL(o.ServerURL, "http"); err != nil {
		errs = append(errs, fmt.Errorf("server URL: %w", err))
	}
	if o.PathPrefix != "" && (!prefixRE.MatchString(o.PathPrefix) || strings.Contains("/"+o.PathPrefix, "/../") || strings.Contains("/"+o.PathPrefix, "/./")) {
		errs = append(errs, fmt.Errorf("path prefix %q: expected words separated by / and ending in / (like fugu/)", o.PathPrefix))
	}
	for _, u := range [][2]string{{"firmware URL", o.FirmwareURL}, {"install.site callback", o.InstallSiteCallback}, {"first boot callback", o.FirstBootCallback}} {
		if u[1] == "" {
			continue
		}
		if err := checkCallbackURL(u[1]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", u[0], err))
		}
	}
	for _, f := range o.MirrorFiles {
		if !setNameRE.MatchString(f) {
			errs = append(errs, fmt.Errorf("mirror file %q: not a set file name the installer lists (a letter, then letters, digits, . _ -)", f))
		}
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
