package remote

import (
	"sync"
	"time"
)

// handshakeClock bounds a connection's set-up with Config.Timeout, not
// counting the time it is held: while a key's passphrase is asked and
// the key decrypted. A person looking for a passphrase, or bcrypt's
// rounds on a busy machine, are not a slow server; ssh, too, waits for
// the passphrase as long as the server does (sshd's LoginGraceTime).
type handshakeClock struct {
	mu      sync.Mutex
	left    time.Duration // time left, while the timer is not running
	at      time.Time     // when the running timer was armed
	timer   *time.Timer   // nil unless running
	expire  func()        // what running out does (close the connection)
	holds   int
	fired   bool
	stopped bool
}

// start runs the clock with d left; when it runs out, expire is called.
func (c *handshakeClock) start(d time.Duration, expire func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.left, c.expire = d, expire
	if c.holds == 0 {
		c.arm()
	}
}

func (c *handshakeClock) arm() {
	c.at = time.Now()
	c.timer = time.AfterFunc(c.left, func() {
		c.mu.Lock()
		c.fired = true
		expire := c.expire
		c.mu.Unlock()
		expire()
	})
}

// hold stops the clock until the returned func is called. Holding a
// clock that is not started (a key decrypted before the connection) is
// harmless.
func (c *handshakeClock) hold() (release func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.holds++
	if c.holds == 1 && c.timer != nil {
		if c.timer.Stop() {
			c.left -= time.Since(c.at)
		}
		c.timer = nil
	}
	return sync.OnceFunc(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.holds--
		if c.holds == 0 && c.expire != nil && !c.fired && !c.stopped {
			c.arm()
		}
	})
}

// stop stops the clock for good and reports whether it ran out.
func (c *handshakeClock) stop() (fired bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	return c.fired
}
