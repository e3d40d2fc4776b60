package spamdlog

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
)

// Options say how to read syslog timestamps, which carry neither year
// nor time zone.
type Options struct {
	// Year is the year of the first line. 0: the year of Now, or the
	// year before when the first line's month is later than Now's.
	Year int
	// Now is the reference for a default Year; zero means time.Now().
	Now time.Time
	// Location is the zone of the timestamps; nil reads them as UTC
	// (callbacks then infer the zone from the probes' epochs).
	Location *time.Location
}

// Line is one syslog line: MMM dd hh:mm:ss host prog[pid]: message, or
// with syslogd -Z an RFC 5424 timestamp (2026-01-02T03:04:05.678Z) first.
type Line struct {
	Time time.Time
	// Exact is true when the timestamp carried its year and zone (-Z),
	// so neither was inferred.
	Exact bool
	Host  string
	Prog  string // sshd, spamd, dovecot, spop3d ...
	Msg   string
	// Repeat is N for syslogd's "last message repeated N times": the
	// line before it (from the same host) was logged N more times.
	Repeat int
}

// years turns month-day timestamps into dates, moving to the next year
// when the month steps back by half a year or more (December to January).
type years struct {
	opts Options
	year int
	last time.Month
}

func (y *years) date(m time.Month, day, hh, mm, ss int) time.Time {
	if y.year == 0 {
		y.year = y.opts.Year
		if y.year == 0 {
			now := y.opts.Now
			if now.IsZero() {
				now = time.Now()
			}
			y.year = now.Year()
			if m > now.Month() {
				y.year--
			}
		}
	} else if m < y.last && y.last-m >= 6 {
		y.year++
	}
	y.last = m
	loc := y.opts.Location
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(y.year, m, day, hh, mm, ss, 0, loc)
}

var months = map[string]time.Month{
	"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
	"Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}

// parseSyslog splits a line; ok is false when it is not in syslog form.
func (y *years) parseSyslog(s string) (Line, bool) {
	if len(s) > 20 && s[4] == '-' && s[10] == 'T' {
		return parseISO(s)
	}
	// "Aug 19 14:35:27 host prog[pid]: msg"; the day may be space-padded.
	if len(s) < 16 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' {
		return Line{}, false
	}
	m, ok := months[s[:3]]
	if !ok {
		return Line{}, false
	}
	day, err1 := strconv.Atoi(strings.TrimSpace(s[4:6]))
	hh, err2 := strconv.Atoi(s[7:9])
	mm, err3 := strconv.Atoi(s[10:12])
	ss, err4 := strconv.Atoi(s[13:15])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || hh < 0 || mm < 0 || ss < 0 {
		return Line{}, false
	}
	l, ok := splitLine(s[15:])
	if ok {
		l.Time = y.date(m, day, hh, mm, ss)
	}
	return l, ok
}

// parseISO reads a line of syslogd -Z: "2026-01-02T03:04:05.678Z host
// prog[pid]: msg" (any RFC 3339 time is taken, as other syslogds write).
func parseISO(s string) (Line, bool) {
	stamp, rest, ok := strings.Cut(s, " ")
	if !ok {
		return Line{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return Line{}, false
	}
	l, ok := splitLine(rest)
	l.Time, l.Exact = t, true
	return l, ok
}

// splitLine reads what follows the timestamp: host prog[pid]: msg, or
// host last message repeated N times.
func splitLine(rest string) (Line, bool) {
	host, rest, ok := strings.Cut(strings.TrimLeft(rest, " "), " ")
	if !ok {
		return Line{}, false
	}
	tag, msg, ok := strings.Cut(rest, ": ")
	if !ok {
		if n, ok := repeated(rest); ok {
			return Line{Host: host, Repeat: n}, true
		}
		return Line{}, false
	}
	prog, _, _ := strings.Cut(tag, "[")
	return Line{Host: host, Prog: prog, Msg: msg}, true
}

// maxRepeat bounds a repeat count: syslogd flushes one at least every
// ten minutes, so a larger number is not syslogd's.
const maxRepeat = 1 << 20

// repeated reads syslogd's "last message repeated N times".
func repeated(msg string) (int, bool) {
	rest, ok := strings.CutPrefix(msg, "last message repeated ")
	if !ok {
		return 0, false
	}
	num, ok := strings.CutSuffix(rest, " times")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > maxRepeat {
		return 0, false
	}
	return n, true
}

// maxLine is where eachLine cuts a line.
const maxLine = 16 * 1024

// eachLine calls fn for every line of r, with long lines cut rather
// than failing the whole read. Only one buffer's worth of a line is
// held: the rest of a long one is skipped as it is read. fn gets a new
// string per line; whatever it keeps outlives only the line when it is
// cloned (strings.Clone), since a substring holds on to the whole line.
func eachLine(r io.Reader, fn func(string)) error {
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			fn(strings.TrimRight(string(line[:maxLine]), "\r\n"))
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			continue
		}
		if len(line) > 0 {
			if len(line) > maxLine {
				line = line[:maxLine]
			}
			fn(strings.TrimRight(string(line), "\r\n"))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
