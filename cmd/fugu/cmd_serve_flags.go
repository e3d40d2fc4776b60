package main

import (
	"fmt"
	"net/netip"
	"os"
	"strings"
)

// cidrList is a repeatable --allow/--admin flag of CIDRs (a bare address
// means just that host). A bad value is refused while parsing.
type cidrList struct {
	nets []netip.Prefix
	env  string // environment variable read when the flag is not given
	set  bool
}

func (c *cidrList) String() string {
	s := make([]string, len(c.nets))
	for i, n := range c.nets {
		s[i] = n.String()
	}
	return strings.Join(s, ",")
}

func (c *cidrList) Type() string { return "CIDR" }

func (c *cidrList) Set(v string) error {
	c.set = true
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := parseCIDR(part)
		if err != nil {
			return err
		}
		c.nets = append(c.nets, p)
	}
	return nil
}

// fromEnv reads the environment variable when the flag was not given.
func (c *cidrList) fromEnv() error {
	if c.set || c.env == "" {
		return nil
	}
	if v := os.Getenv(c.env); v != "" {
		if err := c.Set(v); err != nil {
			return fmt.Errorf("%s: %w", c.env, err)
		}
	}
	return nil
}

func parseCIDR(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR (expected like 192.0.2.0/24 or 2001:db8::/32)", s)
		}
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR (expected like 192.0.2.0/24 or 2001:db8::/32)", s)
	}
	return p.Masked(), nil
}
