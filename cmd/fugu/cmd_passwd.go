package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/term"
)

type passwdOptions struct {
	Cost int
}

func newPasswdCmd(s *Streams) *cobra.Command {
	opts := passwdOptions{Cost: 10}
	cmd := &cobra.Command{
		Use:   "passwd",
		Short: "Make a bcrypt password hash for a profile",
		Long: `Read a password and print its bcrypt hash in the $2b$ form encrypt(1) and
the OpenBSD installer use, for root.password_hash and user.password_hash.

On a terminal the password is asked twice without echo; otherwise one line
is read from standard input. The password itself is never printed.

EXIT STATUS
  0  the hash was printed
  1  the password could not be read
  2  bad usage, or a password bcrypt cannot take: empty, longer than 72
     bytes, with a NUL byte, or the two entries differ`,
		Example: "  fugu passwd\n  printf '%s\\n' \"$PW\" | fugu passwd",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPasswd(cmd.Context(), &opts, s)
		},
	}
	cmd.Flags().IntVar(&opts.Cost, "cost", opts.Cost, "bcrypt cost (10 to 16; each step doubles the work)")
	return cmd
}

func runPasswd(_ context.Context, opts *passwdOptions, s *Streams) error {
	if opts.Cost < 10 || opts.Cost > 16 {
		return usagef("passwd: --cost %d is out of range (expected 10 to 16)", opts.Cost)
	}
	var pw []byte
	var err error
	if f, ok := s.In.(*os.File); ok && IsTerminal(f) {
		pw, err = readPasswordTwice(f, s.Err)
	} else {
		pw, err = readPasswordLine(s.In)
	}
	if err != nil {
		return err
	}
	hash, err := hashPassword(pw, opts.Cost)
	if err != nil {
		return err
	}
	fmt.Fprintln(s.Out, hash)
	return nil
}

var errEmptyPassword = errors.New("passwd: empty password (a profile needs a real one, or \"*************\" to disable password login)")

func readPasswordTwice(f *os.File, prompt io.Writer) ([]byte, error) {
	return askTwice(func(q string) ([]byte, error) {
		fmt.Fprint(prompt, q)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		return pw, err
	})
}

// askTwice asks for a password and its confirmation with ask, which shows
// the question and reads an answer without echo.
func askTwice(ask func(question string) ([]byte, error)) ([]byte, error) {
	pw, err := ask("Password (will not echo): ")
	if err != nil {
		return nil, fmt.Errorf("passwd: read password: %w", err)
	}
	if len(pw) == 0 {
		return nil, invalid(errEmptyPassword, "")
	}
	again, err := ask("Password (again): ")
	if err != nil {
		return nil, fmt.Errorf("passwd: read password: %w", err)
	}
	if !bytes.Equal(pw, again) {
		return nil, invalid(errors.New("passwd: the two passwords differ"), "")
	}
	return pw, nil
}

// readPasswordLine reads one line; the line ending is not part of it.
func readPasswordLine(r io.Reader) ([]byte, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("passwd: read standard input: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return nil, invalid(errEmptyPassword, "")
	}
	return []byte(line), nil
}

// hashPassword returns pw's bcrypt hash with the $2b$ prefix. Go's bcrypt
// writes $2a$; for passwords under 72 bytes (bcrypt's limit, which Go
// enforces) $2a$ and $2b$ are the same algorithm, and $2b$ is what
// OpenBSD's encrypt(1) writes.
//
// A NUL byte is refused: OpenBSD's crypt_checkpass(3) takes a C string,
// so it would compare only the bytes before it, and nobody could log in
// with the password hashed here.
func hashPassword(pw []byte, cost int) (string, error) {
	if bytes.IndexByte(pw, 0) >= 0 {
		return "", invalid(errors.New("passwd: password contains a NUL byte, which OpenBSD's login cannot take"), "")
	}
	h, err := bcrypt.GenerateFromPassword(pw, cost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return "", invalid(errors.New("passwd: password is longer than 72 bytes, bcrypt's limit"), "")
	}
	if err != nil {
		return "", fmt.Errorf("passwd: hash: %w", err)
	}
	s, ok := strings.CutPrefix(string(h), "$2a$")
	if !ok {
		return "", fmt.Errorf("passwd: unexpected bcrypt prefix in %.4s", h)
	}
	return "$2b$" + s, nil
}
