package spamdlog

import (
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ListError is a line of a table dump that is not an address.
type ListError struct {
	Line int
	Text string
}

func (e ListError) Error() string {
	return fmt.Sprintf("line %d: not an address or network: %q", e.Line, e.Text)
}

// pfctlDetailRE matches the lines pfctl -v -T show prints under an
// address: a tab, then a label such as "Cleared:", "In/Block:" or
// "Active States:".
var pfctlDetailRE = regexp.MustCompile(`^\t[A-Za-z][A-Za-z/ ]*:`)

// ParseList reads addresses and networks from pfctl -T show output (also
// with -v), a published list or a spamdb-style dump: # comments, blank
// lines and pfctl -v's statistics lines are skipped, pfctl's flag columns
// and trailing text after the address are ignored. Lines that are not
// addresses are returned as ListErrors. An IPv4-mapped IPv6 address or
// network (::ffff:192.0.2.7) is read as the IPv4 one it holds.
func ParseList(r io.Reader) ([]netip.Prefix, []ListError, error) {
	var out []netip.Prefix
	var bad []ListError
	n := 0
	err := eachLine(r, func(s string) {
		n++
		if pfctlDetailRE.MatchString(s) {
			return
		}
		s, _, _ = strings.Cut(s, "#")
		f := strings.Fields(s)
		if len(f) == 0 {
			return
		}
		w := f[0]
		if len(w) == 1 && len(f) > 1 {
			w = f[1] // a pfctl flag column
		}
		if strings.HasPrefix(w, "!") {
			return // a negated entry excludes addresses; it is not one to publish
		}
		if p, err := netip.ParsePrefix(w); err == nil {
			out = append(out, unmapPrefix(p).Masked())
			return
		}
		if a, err := netip.ParseAddr(w); err == nil && a.Zone() == "" {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			return
		}
		bad = append(bad, ListError{Line: n, Text: strings.TrimSpace(s)})
	})
	return out, bad, err
}

// unmapPrefix writes an IPv4-mapped IPv6 network (::ffff:192.0.2.0/120)
// as the IPv4 network it holds (192.0.2.0/24), as ParseList does for a
// mapped address: WriteList prints a host without its /128, and
// ::ffff:192.0.2.7 reads back as 192.0.2.7.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if !p.Addr().Is4In6() || p.Bits() < 96 {
		return p
	}
	return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
}

// Header is what the # lines of a published list say.
type Header struct {
	Name      string // what the list is
	Generator string
	Time      time.Time
	Lifetime  time.Duration
	Contact   string
}

// WriteList writes the published list format: # header lines, then one
// address or network a line, IPv4 before IPv6, sorted numerically,
// without repeats; hosts are written without /32 or /128.
func WriteList(w io.Writer, h Header, ps []netip.Prefix) error {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	ps = slices.Compact(ps)
	var b strings.Builder
	if h.Name != "" {
		fmt.Fprintf(&b, "# %s: one address a line; lines starting with # are comments\n", oneLine(h.Name))
	}
	fmt.Fprintf(&b, "# generator: %s\n", oneLine(h.Generator))
	fmt.Fprintf(&b, "# generated: %s\n", h.Time.UTC().Format("2006-01-02T15:04:05Z"))
	fmt.Fprintf(&b, "# entry lifetime: %d seconds\n", int64(h.Lifetime/time.Second))
	if h.Contact != "" {
		fmt.Fprintf(&b, "# contact: %s\n", oneLine(h.Contact))
	}
	fmt.Fprintf(&b, "# entries: %d\n", len(ps))
	for _, p := range ps {
		if p.IsSingleIP() {
			b.WriteString(p.Addr().String())
		} else {
			b.WriteString(p.String())
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// oneLine keeps header text on its line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
