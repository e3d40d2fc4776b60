package home

import (
	"bytes"
	"context"
	"io"

	"fugu/migrate/remote"
)

// bundleEnd finishes a bundle command and returns its exit status. With
// abort set it stops the command first (its output is not wanted any
// more); an aborted or cancelled command reports status -1. A broken
// connection is ErrConnection.
type bundleEnd func(abort bool) (int, error)

// openBundle runs the bundle command line with stdin through a Runner
// that is not an SSH connection (over SSH, openHelperBundle serves
// bundles from long-lived commands): the whole output is collected first.
func (s *SFTP) openBundle(ctx context.Context, line string, stdin []byte) (io.Reader, bundleEnd, error) {
	res, err := s.run(ctx, remote.Command{Line: line, Stdin: bytes.NewReader(stdin)})
	if err != nil {
		return nil, nil, err
	}
	return bytes.NewReader(res.Stdout), func(bool) (int, error) { return res.ExitCode, nil }, nil
}
