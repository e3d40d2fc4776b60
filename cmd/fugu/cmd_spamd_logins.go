package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"fugu/firewall/spamdlog"
	"fugu/migrate/remote"

	"github.com/spf13/cobra"
)

// groupBy is the --by flag of fugu spamd gropers.
type groupBy string

func (g *groupBy) String() string { return string(*g) }
func (g *groupBy) Type() string   { return "pair|address|user|day" }
func (g *groupBy) Set(s string) error {
	switch s {
	case "pair", "address", "user", "day":
		*g = groupBy(s)
		return nil
	}
	return fmt.Errorf("%q is not one of pair, address, user, day", s)
}

func newSpamdGropersCmd(s *Streams) *cobra.Command {
	var opts logOptions
	by := groupBy("pair")
	cmd := &cobra.Command{
		Use:   "gropers [FILE...]",
		Short: "Summarise failed POP3/IMAP/SSH logins per address, user or day",
		Long: `Count failed logins in syslog files (authlog, maillog, daemon): sshd and
sshd-session "Failed ... for USER from IP", dovecot pop3/imap-login "auth
failed" lines (with their attempt counts), spop3d failures and spop3d
sessions that ended in "autologout time elapsed" (a groper held in a slow
queue never finishes). syslogd's "last message repeated N times" counts
N more of the line before it. --by pair (default) gives address,user,attempts,
first,last; address or user sum over the other column (shown as *); day
gives date,attempts,addresses, so a campaign's start stands out.`,
		Example: "  fugu spamd gropers --csv /var/log/authlog /var/log/daemon\n  fugu spamd gropers --by day /var/log/maillog",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSpamdGropers(&opts, string(by), args, s)
		},
	}
	opts.addFlags(cmd, true)
	cmd.Flags().Var(&by, "by", "group by pair, address, user or day")
	return cmd
}

func runSpamdGropers(opts *logOptions, by string, files []string, s *Streams) error {
	o, r, err := opts.open(files, s)
	if err != nil {
		return err
	}
	defer r.Close()
	if by == "day" {
		var days spamdlog.DayTally
		if err := spamdlog.ReadAttempts(r, o, days.Add); err != nil {
			return fmt.Errorf("gropers: %w", err)
		}
		t := newTable(s.Out, opts, "date", "attempts", "addresses")
		for _, d := range days.Days() {
			t.row(d.Date, fmt.Sprint(d.Attempts), fmt.Sprint(d.Addresses))
		}
		return t.flush()
	}
	sum := spamdlog.NewSummary(by)
	if err := spamdlog.ReadAttempts(r, o, sum.Add); err != nil {
		return fmt.Errorf("gropers: %w", err)
	}
	t := newTable(s.Out, opts, "address", "user", "attempts", "first", "last")
	for _, g := range sum.Gropers() {
		t.row(g.Address, g.User, fmt.Sprint(g.Attempts), g.First.Format(stamp), g.Last.Format(stamp))
	}
	return t.flush()
}

type spamdTrapsOptions struct {
	logOptions
	Domains  []string
	Valid    string
	Traps    string
	Commands bool
}

func newSpamdTrapsCmd(s *Streams) *cobra.Command {
	var opts spamdTrapsOptions
	cmd := &cobra.Command{
		Use:   "traps --domain D [FILE...]",
		Short: "List spamtrap candidates: greylisted recipients that are not real mailboxes",
		Long: `List recipients in the greylist (spamd (GREY) and "new entry" lines, spamdb
GREY lines) for the site's --domain(s) that are not real mailboxes (--valid
FILE: addresses, or local parts valid in every domain; postmaster, abuse,
hostmaster, webmaster, security and noc never are candidates), not traps
already (--traps FILE, SPAMTRAP lines in spamdb input, and recipients of
spamd's "Trapping" log lines) and not SMTP callback probes. Review the
list; --commands prints spamdb -T -a lines instead.`,
		Example: "  spamdb | fugu spamd traps --domain example.org --valid mailboxes.txt --commands",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSpamdTraps(&opts, args, s)
		},
	}
	opts.addFlags(cmd, true)
	cmd.Flags().StringArrayVar(&opts.Domains, "domain", nil, "a domain of the site (repeatable; subdomains included)")
	cmd.Flags().StringVar(&opts.Valid, "valid", "", "FILE of real mailboxes, never trapped")
	cmd.Flags().StringVar(&opts.Traps, "traps", "", "FILE of existing traps")
	cmd.Flags().BoolVar(&opts.Commands, "commands", false, "print spamdb -T -a commands")
	return cmd
}

func runSpamdTraps(opts *spamdTrapsOptions, files []string, s *Streams) error {
	o, err := opts.options()
	if err != nil {
		return err
	}
	if len(opts.Domains) == 0 {
		return usagef("--domain is required: traps are only made in your own domains")
	}
	if opts.Commands && (opts.JSON || opts.CSV) {
		return usagef("--commands cannot be used with --json or --csv")
	}
	to := spamdlog.TrapOptions{Options: o, Domains: opts.Domains}
	for _, f := range []struct {
		name string
		set  *map[string]bool
	}{{opts.Valid, &to.Valid}, {opts.Traps, &to.Traps}} {
		if f.name == "" {
			continue
		}
		file, err := os.Open(f.name)
		if err != nil {
			return fmt.Errorf("traps: %w", err)
		}
		*f.set, err = spamdlog.ReadAddressSet(file)
		file.Close()
		if err != nil {
			return fmt.Errorf("traps: read %s: %w", f.name, err)
		}
	}
	r, err := readInputs(files, s)
	if err != nil {
		return err
	}
	defer r.Close()
	cs, err := spamdlog.FindTrapCandidates(r, to)
	if err != nil {
		return fmt.Errorf("traps: %w", err)
	}
	if opts.Commands {
		for _, c := range cs {
			fmt.Fprintf(s.Out, "spamdb -T -a %s\n", remote.Quote(c.Address))
		}
		return nil
	}
	t := newTable(s.Out, &opts.logOptions, "address", "count", "ips", "first", "last")
	for _, c := range cs {
		t.row(c.Address, fmt.Sprint(c.Count), fmt.Sprint(c.IPs), c.First.Format(stamp), c.Last.Format(stamp))
	}
	return t.flush()
}

// table writes rows as aligned text, CSV with a header, or JSON objects
// keyed by the column names.
type table struct {
	w    io.Writer
	opts *logOptions
	cols []string
	rows [][]string
}

func newTable(w io.Writer, opts *logOptions, cols ...string) *table {
	return &table{w: w, opts: opts, cols: cols}
}

func (t *table) row(vals ...string) { t.rows = append(t.rows, vals) }

func (t *table) flush() error {
	switch {
	case t.opts.JSON:
		objs := make([]map[string]any, len(t.rows))
		for i, r := range t.rows {
			objs[i] = map[string]any{}
			for j, c := range t.cols {
				objs[i][c] = r[j]
				if numericColumn(c) && r[j] != "" {
					objs[i][c] = json.Number(r[j])
				}
			}
		}
		enc := json.NewEncoder(t.w)
		enc.SetIndent("", "  ")
		return enc.Encode(objs)
	case t.opts.CSV:
		cw := csv.NewWriter(t.w)
		cw.Write(t.cols)
		for _, r := range t.rows {
			for j, c := range t.cols {
				// Numbers (a skew can be negative) and the zone offsets
				// fugu computes (+02:00) are fugu's own, not a sender's.
				if !numericColumn(c) && c != "zone" {
					r[j] = csvText(r[j])
				}
			}
			cw.Write(r)
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(t.w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(t.cols, "\t")))
	for _, r := range t.rows {
		for i := range r {
			if r[i] == "" {
				r[i] = "-"
			}
			r[i] = printable(r[i])
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// numericColumn names the columns that hold counts or seconds, written
// as JSON numbers so that jq and friends can compare them.
func numericColumn(col string) bool {
	switch col {
	case "epoch", "skew_seconds", "attempts", "addresses", "count", "ips":
		return true
	}
	return false
}

// printable replaces control characters, which log lines can carry from
// an attacker (a user name with terminal escapes), before they reach a
// terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '?'
		}
		return r
	}, s)
}

// csvText keeps a text cell from being read as a formula by a
// spreadsheet: user names and recipients come from attackers, and a cell
// that starts with = + - @ (or a tab or CR) would be evaluated. A leading
// ' is what spreadsheets themselves use to mark text.
func csvText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
