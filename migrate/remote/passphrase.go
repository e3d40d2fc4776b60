package remote

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// TerminalPassphrase returns a Config.Passphrase that asks on tty (the
// command opens /dev/tty, so that piped stdin still works) with echo off,
// writing the prompt to w. Without a terminal it fails with advice
// instead of hanging.
func TerminalPassphrase(tty *os.File, w io.Writer) func(keyFile string) ([]byte, error) {
	return func(keyFile string) ([]byte, error) {
		if tty == nil || !term.IsTerminal(int(tty.Fd())) {
			return nil, fmt.Errorf("key %s is encrypted and there is no terminal to ask for its passphrase; add it to ssh-agent with ssh-add", keyFile)
		}
		fmt.Fprintf(w, "Enter passphrase for key %s: ", keyFile)
		p, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(w)
		if err != nil {
			return nil, fmt.Errorf("read passphrase: %w", err)
		}
		return p, nil
	}
}
