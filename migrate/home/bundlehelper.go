package home

import (
	"bufio"
	"context"
	"errors"
	"io"
	"sync"

	"golang.org/x/crypto/ssh"
)

// Over SSH, bundles are served by long-lived helpers: one bundle command
// per session, answering bundle after bundle. A new session costs far
// more than a small file: sshd starts the login shell, which reads its
// start-up files (~100 ms of CPU with a busy .bashrc), and perl compiles
// the script again. rsync pays that once per run; so does fugu, per
// helper.

// maxHelpers bounds the helpers of one tree. They keep their session
// slots while idle, so the rest of maxSessions stays free for big-file
// streams and hash commands.
const maxHelpers = 4

// bundleHelper is one running bundle command and its pipes.
type bundleHelper struct {
	s    *SFTP
	sess *ssh.Session
	in   io.WriteCloser
	out  *bufio.Reader
	eof  *eofReader
}

// eofReader remembers that its reader ended, so a helper whose command
// has exited is not taken for an idle one.
type eofReader struct {
	r   io.Reader
	mu  sync.Mutex
	err error
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		e.mu.Lock()
		e.err = err
		e.mu.Unlock()
	}
	return n, err
}

func (e *eofReader) ended() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err != nil
}

// helperPool is the idle helpers of a tree and how many are running.
type helperPool struct {
	mu      sync.Mutex
	idle    []*bundleHelper
	running int
	freed   chan struct{}  // closed (and replaced) when a helper goes idle or away
	warming sync.WaitGroup // helpers being started by warmHelpers
}

// startHelper opens a session slot and starts the bundle command in it.
func (s *SFTP) startHelper(ctx context.Context, line string) (*bundleHelper, error) {
	c := s.runner.(sshClienter).Client()
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		s.release()
		var refused *ssh.OpenChannelError
		if errors.As(err, &refused) {
			return nil, err // the server refused a session; the connection still works
		}
		return nil, errors.Join(ErrConnection, err)
	}
	in, err1 := sess.StdinPipe()
	out, err2 := sess.StdoutPipe()
	if err := errors.Join(err1, err2); err != nil {
		sess.Close()
		s.release()
		return nil, err
	}
	if err := sess.Start(s.runner.(sshClienter).CommandLine(line)); err != nil {
		sess.Close()
		s.release()
		return nil, errors.Join(ErrConnection, err)
	}
	eof := &eofReader{r: out}
	return &bundleHelper{s: s, sess: sess, in: in, out: bufio.NewReaderSize(eof, 64<<10), eof: eof}, nil
}

// helper returns an idle helper, starts one when fewer than maxHelpers
// run, or waits for one to come free.
func (s *SFTP) helper(ctx context.Context, line string) (*bundleHelper, error) {
	p := &s.helpers
	for {
		p.mu.Lock()
		if p.freed == nil {
			p.freed = make(chan struct{})
		}
		if n := len(p.idle); n > 0 {
			h := p.idle[n-1]
			p.idle = p.idle[:n-1]
			p.mu.Unlock()
			return h, nil
		}
		if p.running < maxHelpers {
			p.running++
			p.mu.Unlock()
			h, err := s.startHelper(ctx, line)
			if err != nil {
				s.helperGone()
			}
			return h, err
		}
		freed := p.freed
		p.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// warmHelpers starts maxHelpers helpers in the background, each into the
// pool once its command runs, so the first bundles do not wait for a
// session and its shell to start.
func (s *SFTP) warmHelpers(ctx context.Context, line string) {
	p := &s.helpers
	p.mu.Lock()
	if p.freed == nil {
		p.freed = make(chan struct{})
	}
	n := maxHelpers - p.running
	p.running += n
	p.mu.Unlock()
	for range n {
		p.warming.Add(1)
		go func() {
			defer p.warming.Done()
			h, err := s.startHelper(ctx, line)
			if err != nil {
				s.helperGone()
				return
			}
			s.put(h)
		}()
	}
}

func (s *SFTP) helperGone() {
	p := &s.helpers
	p.mu.Lock()
	p.running--
	p.wake()
	p.mu.Unlock()
}

// wake wakes every bundle waiting for a helper (with p.mu held): each
// looks again. A single-slot signal can be dropped when helpers come free
// while a waiter is between looking and sleeping, and that waiter would
// then sleep beside an idle helper until another one came free.
func (p *helperPool) wake() {
	if p.freed != nil {
		close(p.freed)
	}
	p.freed = make(chan struct{})
}

// put gives a helper that finished its bundle cleanly back to the pool.
func (s *SFTP) put(h *bundleHelper) {
	p := &s.helpers
	p.mu.Lock()
	p.idle = append(p.idle, h)
	p.wake()
	p.mu.Unlock()
}

// stop ends a helper's command and frees its slot, returning the exit
// status (-1 when it was killed or gave none).
func (h *bundleHelper) stop(kill bool) (int, error) {
	if kill {
		h.sess.Close()
	} else {
		h.in.Close() // EOF on stdin: the command exits
	}
	err := h.sess.Wait()
	h.sess.Close()
	h.s.release()
	h.s.helperGone()
	var exit *ssh.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit):
		return exit.ExitStatus(), nil
	case kill:
		return -1, nil
	}
	return -1, errors.Join(ErrConnection, err)
}

// closeHelpers stops the idle helpers; a run calls it when it ends.
func (s *SFTP) closeHelpers() {
	p := &s.helpers
	p.warming.Wait()
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, h := range idle {
		_, _ = h.stop(false)
	}
}

// openHelperBundle sends a bundle request to a helper and returns its
// reply stream. end(false) after the whole reply (and its "end" line) was
// read gives the helper back; when the reply broke off, end(false) waits
// for the command's exit status; end(true) kills the helper.
func (s *SFTP) openHelperBundle(ctx context.Context, line string, req []byte) (*bufio.Reader, bundleEnd, error) {
	h, err := s.helper(ctx, line)
	if err != nil {
		return nil, nil, err
	}
	written := make(chan struct{})
	go func() {
		defer close(written)
		// A failed write shows as a reply that ends early.
		_, _ = h.in.Write(req)
	}()
	stop := context.AfterFunc(ctx, func() { h.sess.Close() })
	ended := false
	end := func(abort bool) (int, error) {
		if ended {
			return -1, nil
		}
		ended = true
		cancelled := !stop()
		if abort || cancelled {
			code, _ := h.stop(true)
			<-written
			return code, nil
		}
		if h.eof.ended() {
			<-written
			return h.stop(false)
		}
		<-written
		s.put(h)
		return 0, nil
	}
	return h.out, end, nil
}
