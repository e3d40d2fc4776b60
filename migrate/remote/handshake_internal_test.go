package remote

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestHandshakeClockHold: time held does not count, time before and
// after a hold does, and a stopped clock never runs out. (On synctest's
// fake clock, so the durations are exact.)
func TestHandshakeClockHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var expired atomic.Bool
		c := &handshakeClock{}
		c.start(time.Second, func() { expired.Store(true) })
		time.Sleep(600 * time.Millisecond)
		release := c.hold()
		time.Sleep(time.Hour) // a passphrase asked
		synctest.Wait()
		if expired.Load() {
			t.Fatal("the clock ran out while held")
		}
		release()
		release() // a second call changes nothing
		time.Sleep(399 * time.Millisecond)
		synctest.Wait()
		if expired.Load() {
			t.Fatal("the clock ran out 999ms into a 1s timeout")
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if !expired.Load() || !c.stop() {
			t.Fatal("the clock did not run out after 1s of time not held")
		}

		expired.Store(false)
		c = &handshakeClock{}
		c.start(time.Second, func() { expired.Store(true) })
		if c.stop() {
			t.Error("a clock stopped at once says it ran out")
		}
		c.hold()()
		time.Sleep(time.Hour)
		synctest.Wait()
		if expired.Load() {
			t.Error("a stopped clock ran out")
		}
	})
}
