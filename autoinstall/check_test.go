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
