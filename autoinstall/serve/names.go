package serve

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Kind is what a request asks for.
type Kind int

// The kinds of request the server answers; anything else is rejected.
const (
	KindAnswers  Kind = iota + 1 // install.conf or upgrade.conf
	KindTemplate                 // template/NAME.disklabel
	KindSet                      // sets/NAME/RELEASE/ARCH/FILE
	KindFirmware                 // firmware/[DIR/]FILE
	KindCallback                 // callback/STEP/TOKEN
	KindStatus                   // /
	KindAPI                      // api/machines
	KindRearm                    // rearm (POST from the status page)
)

// ErrBadName is returned by ParseRequest for any request path outside the
// grammar; the server answers it with 400 (404 for well-formed unknowns).
var ErrBadName = errors.New("serve: bad request name")

// Request is a parsed request path. Only the fields of its Kind are set.
type Request struct {
	Kind    Kind
	Prefix  string // "" or directories ending in "/": "fugu/", "pxe/openbsd/"
	Mode    string // install or upgrade (KindAnswers)
	MAC     string // normalised, for MAC-install.conf
	Host    string // lowercased, for HOST-install.conf (a short or a full name)
	Machine string // KindTemplate, KindSet
	Release string // KindSet
	Arch    string // KindSet
	Dir     string // KindFirmware: optional release directory
	File    string // KindSet, KindFirmware, KindTemplate
	Step    string // KindCallback: install-site or first-boot
	Token   string // KindCallback
}

// maxPath bounds a request path; real names are far shorter.
const maxPath = 256

// maxPrefixDepth bounds the directories of a prefix.
const maxPrefixDepth = 4

var (
	prefixRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	hostRE    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	nameRE    = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$`)
	releaseRE = regexp.MustCompile(`^([0-9]{1,2}\.[0-9]{1,2}|snapshots)$`)
	archRE    = regexp.MustCompile(`^[a-z0-9]{1,16}$`)
	fileRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$`)
	tokenRE   = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// reserved words cannot be a path prefix, so parsing is unambiguous.
var reserved = map[string]bool{
	"template": true, "sets": true, "firmware": true, "callback": true,
	"api": true, "rearm": true, "install.conf": true, "upgrade.conf": true,
}

// ParseRequest parses the raw request target as the client sent it (path
// and optional query, percent-encoding intact). It accepts only the names
// in the package grammar: percent-escapes other than %3A (a colon, which
// some clients encode in MACs) are refused, as are empty, "." and ".."
// segments, so nothing that could mean another path reaches a lookup.
func ParseRequest(target string) (Request, error) {
	path, _, _ := strings.Cut(target, "?")
	if len(path) > maxPath || !strings.HasPrefix(path, "/") {
		return Request{}, fmt.Errorf("%w: not an absolute path of at most %d bytes", ErrBadName, maxPath)
	}
	path = strings.ReplaceAll(strings.ReplaceAll(path, "%3A", ":"), "%3a", ":")
	if strings.HasPrefix(path, "//") {
		// A DHCP filename with a leading slash (/auto_install,
		// /pxe/auto_install): the installer puts it after its own.
		path = path[1:]
	}
	if strings.ContainsAny(path, "%\\\x00") {
		return Request{}, fmt.Errorf("%w: escapes, backslashes and NUL are not allowed", ErrBadName)
	}
	if path == "/" {
		return Request{Kind: KindStatus}, nil
	}
	segs := strings.Split(path[1:], "/")
	for _, s := range segs {
		if !validSegment(s) {
			return Request{}, fmt.Errorf("%w: bad segment %q", ErrBadName, s)
		}
	}
	switch {
	case len(segs) == 2 && segs[0] == "api" && segs[1] == "machines":
		return Request{Kind: KindAPI}, nil
	case len(segs) == 1 && segs[0] == "rearm":
		return Request{Kind: KindRearm}, nil
	}
	var r Request
	// The prefix is the path before the DHCP filename's auto_install
	// (fugu/auto_install, pxe/openbsd/auto_install): every segment before
	// fugu's own words or the answers file.
	n := 0
	for n < len(segs)-1 && !reserved[segs[n]] {
		if !prefixRE.MatchString(segs[n]) {
			return Request{}, fmt.Errorf("%w: bad prefix %q (directories before auto_install take lowercase letters, digits, _ and -, at most 32)", ErrBadName, segs[n])
		}
		n++
	}
	if n > maxPrefixDepth {
		return Request{}, fmt.Errorf("%w: a prefix of more than %d directories", ErrBadName, maxPrefixDepth)
	}
	if n > 0 {
		r.Prefix, segs = strings.Join(segs[:n], "/")+"/", segs[n:]
	}
	var err error
	switch {
	case len(segs) == 1:
		err = r.parseAnswers(segs[0])
	case segs[0] == "callback" && len(segs) == 3:
		err = r.parseCallback(segs[1], segs[2])
	case segs[0] == "template" && len(segs) == 2:
		err = r.parseTemplate(segs[1])
	case segs[0] == "sets" && len(segs) == 5:
		err = r.parseSet(segs[1:])
	case segs[0] == "firmware" && (len(segs) == 2 || len(segs) == 3):
		err = r.parseFirmware(segs[1:])
	default:
		err = fmt.Errorf("%w: unknown path", ErrBadName)
	}
	return r, err
}

// validSegment is the first, coarse check of every path segment: a letter
// or digit, then letters, digits and . _ : + -, and no "..". (A loop, not
// a regexp: it runs on every request.)
func validSegment(s string) bool {
	if s == "" || !isAlnum(s[0]) || strings.Contains(s, "..") {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != ':' && c != '+' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isMAC matches six colon-separated hex bytes, any case.
func isMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' {
				return false
			}
		} else if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func (r *Request) parseAnswers(s string) error {
	var stem string
	switch {
	case s == "install.conf" || s == "upgrade.conf":
		r.Kind, r.Mode = KindAnswers, strings.TrimSuffix(s, ".conf")
		return nil
	case strings.HasSuffix(s, "-install.conf"):
		r.Mode, stem = "install", strings.TrimSuffix(s, "-install.conf")
	case strings.HasSuffix(s, "-upgrade.conf"):
		r.Mode, stem = "upgrade", strings.TrimSuffix(s, "-upgrade.conf")
	default:
		return fmt.Errorf("%w: %q is not an answers file", ErrBadName, s)
	}
	r.Kind = KindAnswers
	switch {
	case isMAC(stem):
		r.MAC = strings.ToLower(stem)
	case isHostName(stem):
		r.Host = strings.ToLower(stem)
	default:
		return fmt.Errorf("%w: %q is neither a MAC nor a hostname", ErrBadName, stem)
	}
	return nil
}

// isHostName matches a host name as DHCP option host-name gives it to the
// installer: one label (puffy) or a full name (puffy.example.org).
func isHostName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if !hostRE.MatchString(label) {
			return false
		}
	}
	return true
}

func (r *Request) parseTemplate(s string) error {
	name, ok := strings.CutSuffix(s, ".disklabel")
	if !ok || !nameRE.MatchString(name) {
		return fmt.Errorf("%w: bad template name %q", ErrBadName, s)
	}
	r.Kind, r.Machine, r.File = KindTemplate, name, s
	return nil
}

func (r *Request) parseSet(segs []string) error {
	name, rel, arch, file := segs[0], segs[1], segs[2], segs[3]
	if !nameRE.MatchString(name) || !releaseRE.MatchString(rel) || !archRE.MatchString(arch) || !fileRE.MatchString(file) {
		return fmt.Errorf("%w: bad set path", ErrBadName)
	}
	r.Kind, r.Machine, r.Release, r.Arch, r.File = KindSet, name, rel, arch, file
	return nil
}

func (r *Request) parseFirmware(segs []string) error {
	if len(segs) == 2 {
		if !releaseRE.MatchString(segs[0]) {
			return fmt.Errorf("%w: bad firmware directory %q", ErrBadName, segs[0])
		}
		r.Dir, segs = segs[0], segs[1:]
	}
	if !fileRE.MatchString(segs[0]) {
		return fmt.Errorf("%w: bad firmware file %q", ErrBadName, segs[0])
	}
	r.Kind, r.File = KindFirmware, segs[0]
	return nil
}

func (r *Request) parseCallback(step, token string) error {
	if (step != StepInstallSite && step != StepFirstBoot) || !tokenRE.MatchString(token) {
		return fmt.Errorf("%w: bad callback", ErrBadName)
	}
	r.Kind, r.Step, r.Token = KindCallback, step, token
	return nil
}

// ParseSetDir parses the installer's ?path= value, RELEASE/ARCH (for
// example 7.8/amd64 or snapshots/arm64).
func ParseSetDir(v string) (release, arch string, err error) {
	release, arch, ok := strings.Cut(v, "/")
	if !ok || !releaseRE.MatchString(release) || !archRE.MatchString(arch) {
		return "", "", fmt.Errorf("%w: path=%q is not RELEASE/ARCH", ErrBadName, v)
	}
	return release, arch, nil
}
