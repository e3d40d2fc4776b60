package autoinstall

import (
	"strings"
	"testing"
)

func TestCheckTimezone(t *testing.T) {
	tests := []struct {
		tz, wantErr string
	}{
		{"Europe/Oslo", ""},
		{"UTC", ""},
		{"America/Argentina/Buenos_Aires", ""},
		{"America/Indiana/Indianapolis", ""},
		{"Europe", "zoneinfo directory"},
		{"America/Argentina", "zoneinfo directory"},
		{"America/North_Dakota", "zoneinfo directory"},
		{"posix", "zoneinfo directory"},
		{"../etc/passwd", "not a zoneinfo name"},
		{"Europe/Oslo\nSetup a user = x", "not a zoneinfo name"},
		{"Europe/Oslo ", "not a zoneinfo name"},
	}
	for _, tt := range tests {
		err := checkTimezone(tt.tz)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("checkTimezone(%q) = %v, want nil", tt.tz, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("checkTimezone(%q) = %v, want an error containing %q", tt.tz, err, tt.wantErr)
		}
	}
}

// TestCheckWPAKey: ifconfig's wpakey takes a passphrase of 8 to 63
// characters, or 0x and 64 hex digits as the key itself; anything else
// leaves the interface unconfigured.
func TestCheckWPAKey(t *testing.T) {
	hex64 := "0x" + strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		key string
		ok  bool
	}{
		{"1234567", false},
		{"12345678", true},
		{strings.Repeat("k", 63), true},
		{strings.Repeat("k", 64), false},
		{hex64, true},
		{hex64 + "0", false},
		{"0x" + strings.Repeat("g", 64), false},
	}
	for _, tt := range tests {
		if err := checkWPAKey(tt.key); (err == nil) != tt.ok {
			t.Errorf("checkWPAKey(%q) = %v, want ok %v", tt.key, err, tt.ok)
		}
	}
}
