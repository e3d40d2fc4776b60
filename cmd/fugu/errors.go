package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Exit codes, documented in fugu --help.
const (
	exitOK      = 0 // success
	exitFailure = 1 // the command ran and something failed (a host, a file, an item)
	exitInvalid = 2 // bad usage, or invalid input (also a check that finds errors in it)
)

// usageError is a mistake in the command line: wrong flags or arguments.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef reports bad usage (exit 2, with a pointer to --help).
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// invalidError marks input the user must fix: a profile, a file, a value.
// Its message is printed as is (it may span several lines, one per
// problem), followed by the hint if any. Exit 2.
type invalidError struct {
	err  error
	hint string
}

func (e *invalidError) Error() string { return e.err.Error() }
func (e *invalidError) Unwrap() error { return e.err }

// invalid wraps err as invalid input with an optional hint.
func invalid(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &invalidError{err: err, hint: hint}
}

// findings is the error of a check (lint, firewall check) that printed
// its findings and found errors: invalid input with one summary line,
// the same for every check, e.g. "fugu: lint: 3 errors, 1 warning".
func findings(check string, errs, warns int) error {
	return invalid(fmt.Errorf("%s: %s, %s", check, plural(errs, "error"), plural(warns, "warning")), "")
}

// checkOutcome ends a check of several files (lint, firewall check) that
// printed its findings: a file that could not be read is a failure (exit
// 1), else errors found are invalid input (exit 2); the summary line
// counts both.
func checkOutcome(check string, errs, warns, unread int) error {
	if unread > 0 {
		return failed("%s: %s, %s; %s could not be read", check, plural(errs, "error"), plural(warns, "warning"), plural(unread, "file"))
	}
	if errs > 0 {
		return findings(check, errs, warns)
	}
	return nil
}

// failedError is a failure that has already been reported in full on the
// output (for example a lint that printed its findings): exit 1 with at
// most a one-line summary.
type failedError struct{ msg string }

func (e *failedError) Error() string { return e.msg }

// failed reports an outcome already shown to the user (exit 1).
func failed(format string, args ...any) error {
	return &failedError{msg: fmt.Sprintf(format, args...)}
}

// hinted adds a hint line to an ordinary failure (exit 1).
type hintedError struct {
	err  error
	hint string
}

func (e *hintedError) Error() string { return e.err.Error() }
func (e *hintedError) Unwrap() error { return e.err }

// withHint attaches a hint shown under the error message (exit 1).
func withHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &hintedError{err: err, hint: hint}
}

// exitCode prints err for the user on streams.Err and returns the exit
// code. It is the one place that maps errors to messages and codes.
// cmdPath is the command that failed ("fugu hw report"); a usage error
// points at its --help.
func exitCode(err error, cmdPath string, s *Streams) int {
	if err == nil {
		return exitOK
	}
	var (
		ue *usageError
		ie *invalidError
		fe *failedError
		he *hintedError
	)
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(s.Err, "fugu: interrupted")
		return exitFailure
	case errors.As(err, &ue):
		fmt.Fprintf(s.Err, "fugu: %v\nRun '%s --help' for usage.\n", ue.err, cmdPath)
		return exitInvalid
	case errors.As(err, &ie):
		if isProblemList(ie.err) {
			fmt.Fprintln(s.Err, ie.err)
		} else {
			fmt.Fprintf(s.Err, "fugu: %v\n", ie.err)
		}
		if ie.hint != "" {
			fmt.Fprintf(s.Err, "hint: %s\n", ie.hint)
		}
		return exitInvalid
	case errors.As(err, &fe):
		if fe.msg != "" {
			fmt.Fprintf(s.Err, "fugu: %s\n", fe.msg)
		}
		return exitFailure
	case errors.As(err, &he):
		fmt.Fprintf(s.Err, "fugu: %v\nhint: %s\n", he.err, he.hint)
		return exitFailure
	default:
		fmt.Fprintf(s.Err, "fugu: %v\n", err)
		return exitFailure
	}
}

// isProblemList reports whether err reads as a list of located problems
// (FILE:LINE:COL: ... lines, or a heading over them), which is printed
// as is, like a compiler's diagnostics. A one-line message is a sentence
// and gets the "fugu: " prefix every other error has.
func isProblemList(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "\n") || locatedLine.MatchString(msg)
}

// locatedLine matches a message that starts with FILE:LINE: or
// FILE:LINE:COL:.
var locatedLine = regexp.MustCompile(`^[^\s:]+:[0-9]+(:[0-9]+)?: `)
