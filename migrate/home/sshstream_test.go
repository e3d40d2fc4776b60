package home

import "testing"

func TestStreamCommand(t *testing.T) {
	tests := []struct {
		name string
		off  int64
		want string
	}{
		{"a b", 0, "dd if='./a b' bs=1048576 skip=0 2>/dev/null"},
		{"-x", 12 << 20, "dd if='./-x' bs=1048576 skip=12 2>/dev/null"},
		{"f", 3 * 64 << 10, "dd if='./f' bs=65536 skip=3 2>/dev/null"},
		{"f", 5 << 19, "dd if='./f' bs=524288 skip=5 2>/dev/null"},
		// Offsets dd could only reach in small blocks: tail.
		{"f", 1000, "tail -c +1001 -- 'f'"},
		{"f", 32 << 10, "tail -c +32769 -- 'f'"},
	}
	for _, tt := range tests {
		if got := streamCommand(tt.name, tt.off); got != tt.want {
			t.Errorf("streamCommand(%q, %d) = %q, want %q", tt.name, tt.off, got, tt.want)
		}
	}
}
