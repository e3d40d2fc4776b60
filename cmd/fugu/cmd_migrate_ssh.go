package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"fugu/migrate/remote"

	"github.com/spf13/cobra"
)

// migSSHFlags are the SSH flags shared by the pkg and migrate commands.
type migSSHFlags struct {
	AcceptNewHostKey bool
	KnownHosts       string
	Identity         []string
	SSHConfig        string
}

func (f *migSSHFlags) addFlags(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.AcceptNewHostKey, "accept-new-host-key", false, "add an unknown host's key to known_hosts (printed); a changed key is always refused")
	cmd.Flags().StringVar(&f.KnownHosts, "known-hosts", "", "known_hosts file (default: ssh_config UserKnownHostsFile, or ~/.ssh/known_hosts, ~/.ssh/known_hosts2 and /etc/ssh/ssh_known_hosts)")
	cmd.Flags().StringArrayVarP(&f.Identity, "identity", "i", nil, "private key file to try after the agent (repeatable)")
	cmd.Flags().StringVarP(&f.SSHConfig, "ssh-config", "F", "", `ssh_config file (default ~/.ssh/config; "none" reads none)`)
}

// dial connects to target over SSH. An encrypted key's passphrase is
// asked on the terminal when standard input is one; host key refusals
// come back with the remote package's hint.
func (f *migSSHFlags) dial(ctx context.Context, target string, s *Streams) (*remote.SSHHost, error) {
	cfg := remote.Config{
		KnownHostsFile:   f.KnownHosts,
		AcceptNewHostKey: f.AcceptNewHostKey,
		IdentityFiles:    f.Identity,
		SSHConfigFile:    f.SSHConfig,
		Notice:           s.Err,
		AlwaysDoas:       migrateFixtureFrom(ctx).AlwaysDoas,
	}
	// Ask on the controlling terminal, as ssh does, so a passphrase can
	// be typed even when standard input is a pipe.
	if file, ok := s.In.(*os.File); ok && IsTerminal(file) {
		cfg.Passphrase = remote.TerminalPassphrase(file, s.Err)
	} else if tty, err := os.Open("/dev/tty"); err == nil {
		defer tty.Close()
		cfg.Passphrase = remote.TerminalPassphrase(tty, s.Err)
	}
	h, err := remote.Dial(ctx, target, cfg)
	if err != nil {
		var hk *remote.HostKeyError
		if errors.As(err, &hk) {
			return nil, withHint(fmt.Errorf("connect to %s: %s", target, firstLine(hk.Error())), hk.Hint())
		}
		return nil, fmt.Errorf("connect to %s: %w", target, err)
	}
	return h, nil
}

func firstLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
