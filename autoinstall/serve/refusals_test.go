package serve

import (
	"net/netip"
	"testing"
	"time"
)

func TestRefusals(t *testing.T) {
	var r refusals
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	r.note(a, "mx1", whyInstalled, t0)
	tests := []struct {
		name string
		ip   netip.Addr
		at   time.Time
		want string
	}{
		{"same address at once", a, t0, "mx1"},
		{"same address within the window", a, t0.Add(refusalWindow - time.Second), "mx1"},
		{"same address after the window", a, t0.Add(refusalWindow), ""},
		{"another address", b, t0, ""},
	}
	for _, tt := range tests {
		if got, _, _ := r.recent(tt.ip, tt.at); got != tt.want {
			t.Errorf("%s: recent(%s) = %q, want %q", tt.name, tt.ip, got, tt.want)
		}
	}
	// assert that: a flood of addresses cannot grow the map past its bound,
	// and expired entries make room again
	for i := range 2 * maxRefusals {
		r.note(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), "x", whyInstalled, t0)
	}
	if len(r.m) != maxRefusals {
		t.Errorf("after a flood: %d entries, want %d", len(r.m), maxRefusals)
	}
	later := t0.Add(refusalWindow)
	r.note(b, "mx2", whyFailed, later)
	if got, why, _ := r.recent(b, later); got != "mx2" || why != whyFailed || len(r.m) != 1 {
		t.Errorf("after the window: recent = %q with %d entries, want mx2 alone", got, len(r.m))
	}
}
