package firewall

import (
	"fmt"
	"strconv"
	"strings"
)

// cronField is the range and names of one crontab(5) time field.
type cronField struct {
	name     string
	min, max int
	names    []string
}

var cronFields = []cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{name: "day of week", min: 0, max: 7, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// checkSchedule accepts the five time fields of an OpenBSD crontab line:
// *, numbers, names, ranges a-b, lists, steps /n, and the random ~ and
// a~b forms; or one of the @hourly-style shorthands (not @reboot).
func checkSchedule(s string) string {
	switch s {
	case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly":
		return ""
	}
	f := strings.Fields(s)
	if len(f) != 5 || strings.Join(f, " ") != s {
		return fmt.Sprintf("schedule %q does not have 5 fields separated by single spaces (minute hour day month weekday)", s)
	}
	for i, v := range f {
		if msg := cronFields[i].check(v); msg != "" {
			return fmt.Sprintf("schedule %q: %s", s, msg)
		}
	}
	return ""
}

func (cf cronField) check(v string) string {
	for _, item := range strings.Split(v, ",") {
		rng, step, hasStep := strings.Cut(item, "/")
		// end is the last value the range can reach: cron's set_range
		// refuses a step beyond it (counted from the field's low end).
		end := cf.max
		switch {
		case rng == "*" || rng == "~":
		case strings.Contains(rng, "~"):
			a, b, _ := strings.Cut(rng, "~")
			lo, okA := cf.num(a)
			hi, okB := cf.num(b)
			if (a != "" && !okA) || (b != "" && !okB) || (a != "" && b != "" && lo > hi) {
				return fmt.Sprintf("%s %q is not a random range a~b within %d-%d", cf.name, rng, cf.min, cf.max)
			}
			if b != "" {
				end = hi
			}
		case strings.Contains(rng, "-"):
			a, b, _ := strings.Cut(rng, "-")
			lo, okA := cf.num(a)
			hi, okB := cf.num(b)
			if !okA || !okB || lo > hi {
				return fmt.Sprintf("%s range %q is not a-b within %d-%d with a <= b", cf.name, rng, cf.min, cf.max)
			}
			end = hi
		default:
			if _, ok := cf.num(rng); hasStep || !ok {
				return fmt.Sprintf("%s %q is not *, ~, a number %d-%d, a range or a list", cf.name, item, cf.min, cf.max)
			}
		}
		if hasStep {
			n, err := strconv.Atoi(step)
			if maxStep := end - cf.min + 1; err != nil || !isDigits(step) || n < 1 || n > maxStep {
				return fmt.Sprintf("%s step %q in %q is not a number 1-%d", cf.name, step, item, maxStep)
			}
		}
	}
	return ""
}

// num is the value of a number or name in the field's range.
func (cf cronField) num(s string) (int, bool) {
	for i, n := range cf.names {
		if strings.EqualFold(s, n) {
			return cf.min + i, true
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && isDigits(s) && n >= cf.min && n <= cf.max
}
