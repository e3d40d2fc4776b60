package hardware

import "testing"

func TestLookups(t *testing.T) {
	f := &Facts{Version: "6.6-current", Interfaces: []Interface{{Name: "em0", Driver: "em"}, {Name: "iwm0", Driver: "iwm", Wireless: true}}}
	if n, ok := f.Interface("iwm0"); !ok || !n.Wireless {
		t.Errorf("Interface(iwm0) = %+v, %v", n, ok)
	}
	if _, ok := f.Interface("re0"); ok {
		t.Errorf("Interface(re0) found")
	}
	for _, tc := range []struct{ in, want string }{{"6.6-current", "6.6"}, {"7.8", "7.8"}, {"5.9-beta", "5.9"}, {"", ""}} {
		if got := (&Facts{Version: tc.in}).Release(); got != tc.want {
			t.Errorf("Release() of %q = %q, want %q", tc.in, got, tc.want)
		}
	}
}
