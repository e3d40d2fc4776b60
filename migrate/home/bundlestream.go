package home

import (
	"bytes"
	"context"
	"errors"
	"io"

	"golang.org/x/crypto/ssh"

	"fugu/migrate/remote"
)

// bundleEnd finishes a bundle command and returns its exit status. With
// abort set it stops the command first (its output is not wanted any
// more); an aborted or cancelled command reports status -1. A broken
// connection is ErrConnection.
type bundleEnd func(abort bool) (int, error)

// openBundle starts the bundle command line with stdin. Over SSH the
// command runs in a session of its own and its output is read as it
// arrives, so files are written while later ones are still in transit;
// with another Runner the whole output is collected first.
func (s *SFTP) openBundle(ctx context.Context, line string, stdin []byte) (io.Reader, bundleEnd, error) {
	if !s.canStream() {
		res, err := s.run(ctx, remote.Command{Line: line, Stdin: bytes.NewReader(stdin)})
		if err != nil {
			return nil, nil, err
		}
		return bytes.NewReader(res.Stdout), func(bool) (int, error) { return res.ExitCode, nil }, nil
	}
	c := s.runner.(sshClienter).Client()
	if err := s.acquire(ctx); err != nil {
		return nil, nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		s.release()
		var refused *ssh.OpenChannelError
		if errors.As(err, &refused) {
			// The server refused a session; the connection still works.
			return nil, nil, err
		}
		return nil, nil, errors.Join(ErrConnection, err)
	}
	sess.Stdin = bytes.NewReader(stdin)
	out, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		s.release()
		return nil, nil, err
	}
	if err := sess.Start(line); err != nil {
		sess.Close()
		s.release()
		return nil, nil, errors.Join(ErrConnection, err)
	}
	stop := context.AfterFunc(ctx, func() { sess.Close() })
	ended := false
	end := func(abort bool) (int, error) {
		if ended {
			return -1, nil
		}
		ended = true
		cancelled := !stop()
		if abort {
			sess.Close()
		}
		err := sess.Wait()
		sess.Close()
		s.release()
		var exit *ssh.ExitError
		switch {
		case err == nil:
			return 0, nil
		case errors.As(err, &exit):
			return exit.ExitStatus(), nil
		case abort || cancelled:
			return -1, nil
		}
		return -1, errors.Join(ErrConnection, err)
	}
	return out, end, nil
}
