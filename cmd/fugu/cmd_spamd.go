package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fugu/firewall/spamdlog"

	"github.com/spf13/cobra"
)

const spamdLong = `Read a spamd mail gateway's logs and data: spamd syslog lines, spamdb
output, failed logins, pf table dumps. Each command reads the FILEs given,
or standard input when there are none (or FILE is -).

Syslog timestamps have no year: --year is the year of the first line
(default: this year, or last year when the first line's month is still to
come); a step from December to January moves to the next year. The ISO
timestamps of syslogd -Z (2026-01-02T03:04:05.678Z) need neither --year
nor --tz.

EXIT STATUS
  0  success
  1  a file cannot be read
  2  bad usage or invalid input`

// logOptions are the input and output flags every spamd command shares.
type logOptions struct {
	Year int
	TZ   string
	JSON bool
	CSV  bool
}

func (o *logOptions) addFlags(cmd *cobra.Command, csv bool) {
	cmd.Flags().IntVar(&o.Year, "year", 0, "year of the first log line (default: the current year)")
	cmd.Flags().StringVar(&o.TZ, "tz", "", "time zone of the log timestamps, like Europe/Oslo (default: inferred where needed)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "write JSON")
	if csv {
		cmd.Flags().BoolVar(&o.CSV, "csv", false, "write CSV")
	}
}

func (o *logOptions) options() (spamdlog.Options, error) {
	if o.JSON && o.CSV {
		return spamdlog.Options{}, usagef("--json and --csv cannot be used together")
	}
	if o.Year != 0 && (o.Year < 1970 || o.Year > 9999) {
		return spamdlog.Options{}, usagef("--year %d is not a year", o.Year)
	}
	opts := spamdlog.Options{Year: o.Year}
	if o.TZ != "" {
		loc, err := time.LoadLocation(o.TZ)
		if err != nil {
			return opts, usagef("--tz: %v", err)
		}
		opts.Location = loc
	}
	return opts, nil
}

// open checks the options and opens the inputs of a log command; the
// caller closes them.
func (o *logOptions) open(files []string, s *Streams) (spamdlog.Options, io.ReadCloser, error) {
	opts, err := o.options()
	if err != nil {
		return opts, nil, err
	}
	r, err := readInputs(files, s)
	return opts, r, err
}

// readInputs streams the named files one after another (- is standard
// input), or standard input when there are none. Every file is opened
// first, so a missing one fails before any output; none is loaded whole,
// since a log can be larger than memory. A file whose last line has no
// newline gets one, so it cannot run into the next file's first line.
func readInputs(files []string, s *Streams) (io.ReadCloser, error) {
	if len(files) == 0 {
		return io.NopCloser(s.In), nil
	}
	in := &inputs{}
	var rs []io.Reader
	for _, name := range files {
		if name == "-" {
			rs = append(rs, &lineEnd{r: s.In})
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			in.Close()
			return nil, fmt.Errorf("read log: %w", err)
		}
		in.files = append(in.files, f)
		rs = append(rs, &lineEnd{r: f})
	}
	in.r = io.MultiReader(rs...)
	return in, nil
}

// inputs reads several inputs in turn and closes the files among them.
type inputs struct {
	r     io.Reader
	files []*os.File
}

func (in *inputs) Read(p []byte) (int, error) { return in.r.Read(p) }

func (in *inputs) Close() error {
	var first error
	for _, f := range in.files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// lineEnd passes r through and adds a newline at its end when the last
// byte was not one.
type lineEnd struct {
	r       io.Reader
	last    byte
	seen    bool
	pending bool // the added newline is still to be read
	eof     bool
}

func (l *lineEnd) Read(p []byte) (int, error) {
	switch {
	case l.pending && len(p) > 0:
		p[0], l.pending, l.eof = '\n', false, true
		return 1, nil
	case l.eof:
		return 0, io.EOF
	}
	n, err := l.r.Read(p)
	if n > 0 {
		l.last, l.seen = p[n-1], true
	}
	if err == io.EOF {
		if l.seen && l.last != '\n' {
			l.pending = true
			return n, nil
		}
		l.eof = true
	}
	return n, err
}

func newSpamdCmd(s *Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "spamd",
		Short: "Analyse spamd logs, spamdb output, failed logins and table dumps",
		Long:  spamdLong,
	}
	cmd.AddCommand(newSpamdCallbacksCmd(s), newSpamdTrapsCmd(s), newSpamdGropersCmd(s), newSpamdDumpCmd(s))
	return cmd
}

const stamp = "2006-01-02 15:04:05"

func newSpamdCallbacksCmd(s *Streams) *cobra.Command {
	var opts logOptions
	cmd := &cobra.Command{
		Use:   "callbacks [FILE...]",
		Short: "Find SMTP callback probes (HOST-EPOCH-testing@domain) in spamd logs or spamdb output",
		Long: `Find SMTP callback probes: greylisted recipients <host>-<epoch>-testing@domain
that a mail server sends to check whether your server accepts any address,
usually while verifying a forged sender of your domain. For each: when, the
probing IP and HELO, the host in the local part, the epoch and how long
after it spamd saw the probe (the log's zone offset is inferred from the
epoch unless --tz is given), and the likely trigger: the last greylisted
sender in the probed domain before the probe (looked for among the 64
latest senders of that domain read before the probe, and all read after
it). Never make these traps.`,
		Example: "  fugu spamd callbacks /var/log/spamd\n  spamdb | fugu spamd callbacks --csv",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSpamdCallbacks(&opts, args, s)
		},
	}
	opts.addFlags(cmd, true)
	return cmd
}

func runSpamdCallbacks(opts *logOptions, files []string, s *Streams) error {
	o, r, err := opts.open(files, s)
	if err != nil {
		return err
	}
	defer r.Close()
	ps, err := spamdlog.FindCallbacks(r, o)
	if err != nil {
		return fmt.Errorf("callbacks: %w", err)
	}
	t := newTable(s.Out, opts, "time", "ip", "helo", "prober", "epoch", "skew_seconds", "zone", "domain", "trigger", "trigger_time")
	for _, p := range ps {
		trig := ""
		if !p.TriggerTime.IsZero() {
			trig = p.TriggerTime.UTC().Format(stamp) + " UTC"
		}
		t.row(p.Time.Format(stamp), p.IP, p.Helo, p.Prober, fmt.Sprint(p.Epoch), fmt.Sprint(int64(p.Skew/time.Second)),
			zone(p.ZoneGuess), p.Domain, p.Trigger, trig)
	}
	return t.flush()
}

func zone(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return fmt.Sprintf("%s%02d:%02d", sign, int(d.Hours()), int(d.Minutes())%60)
}

func newSpamdDumpCmd(s *Streams) *cobra.Command {
	var opts struct {
		Name, Generator, Contact string
		Lifetime                 time.Duration
		Time                     string
	}
	cmd := &cobra.Command{
		Use:   "dump TABLE-FILE",
		Short: "Write a table dump in the published list format (# header, sorted addresses)",
		Long: `Read a table dump (pfctl [-v] -t T -T show output, a published list, or
one address a line; - for standard input) and write the published list
format: # header lines with the generator, the UTC time, the entry
lifetime and a contact, then one address or network a line, IPv4 before
IPv6, sorted, without repeats. Any line that is not an address is an
error (exit 2): a published list must not carry garbage to its readers.`,
		Example: "  pfctl -t bruteforce -T show | fugu spamd dump - --contact abuse@example.org",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if opts.Lifetime < time.Second {
				return usagef("--lifetime %v: expected a positive duration of at least 1s, like 24h", opts.Lifetime)
			}
			r, err := readInputs(args, s)
			if err != nil {
				return err
			}
			defer r.Close()
			at := time.Now()
			if opts.Time != "" {
				if at, err = time.Parse(time.RFC3339, opts.Time); err != nil {
					return usagef("--time: %v", err)
				}
			}
			ps, bad, err := spamdlog.ParseList(r)
			if err != nil {
				return fmt.Errorf("dump: %w", err)
			}
			if len(bad) > 0 {
				lines := make([]string, len(bad))
				for i, b := range bad {
					lines[i] = fmt.Sprintf("%s:%d: not an address or network: %q", args[0], b.Line, b.Text)
				}
				return invalid(fmt.Errorf("%s", strings.Join(lines, "\n")), "")
			}
			h := spamdlog.Header{Name: opts.Name, Generator: opts.Generator, Time: at, Lifetime: opts.Lifetime, Contact: opts.Contact}
			return spamdlog.WriteList(s.Out, h, ps)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "what the list is (first header line)")
	cmd.Flags().StringVar(&opts.Generator, "generator", "fugu spamd dump", "generator header")
	cmd.Flags().StringVar(&opts.Contact, "contact", "", "contact header")
	cmd.Flags().DurationVar(&opts.Lifetime, "lifetime", 24*time.Hour, "how long an entry stays listed")
	cmd.Flags().StringVar(&opts.Time, "time", "", "generation time, RFC 3339 (default now)")
	return cmd
}
