package remote

import "testing"

func TestIsBourneShell(t *testing.T) {
	for shell, want := range map[string]bool{
		"/bin/ksh": true, "/bin/sh": true, "/usr/local/bin/bash": true, "/bin/mksh": true, "/usr/bin/dash": true,
		"/bin/csh": false, "/bin/tcsh": false, "/usr/local/bin/fish": false, "/usr/local/bin/zsh": false,
		"": false, "/sbin/nologin": false, "/usr/local/bin/nu": false,
	} {
		if got := isBourneShell(shell); got != want {
			t.Errorf("isBourneShell(%q) = %v, want %v", shell, got, want)
		}
	}
}

func TestPasswdShell(t *testing.T) {
	passwd := []byte("root:*:0:0:Charlie &:/root:/bin/ksh\r\n" +
		"daemon:*:1:1:The devil himself:/root:/sbin/nologin\n" +
		"peter:*:1000:1000:Peter:/home/peter:/usr/local/bin/fish\n" +
		"old:*:1001:1001:Old:/home/old:\n" +
		"broken:*:1002\n" +
		"+:*:::::\n")
	tests := []struct {
		user, want string
		ok         bool
	}{
		{"root", "/bin/ksh", true},
		{"peter", "/usr/local/bin/fish", true},
		{"old", "/bin/sh", true}, // an empty shell field is /bin/sh
		{"broken", "", false},
		{"nobody", "", false},
		{"pete", "", false},
	}
	for _, tt := range tests {
		got, ok := passwdShell(passwd, tt.user)
		if got != tt.want || ok != tt.ok {
			t.Errorf("passwdShell(%q) = %q, %v; want %q, %v", tt.user, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseShellProbe(t *testing.T) {
	for out, want := range map[string]string{
		"/bin/ksh\n":                    "/bin/ksh",
		"Welcome!\n\n/usr/bin/tcsh\n\n": "/usr/bin/tcsh",
		"":                              "",
	} {
		if got := parseShellProbe([]byte(out)); got != want {
			t.Errorf("parseShellProbe(%q) = %q, want %q", out, got, want)
		}
	}
}

// FuzzPasswdShell: any /etc/passwd a host serves gives a shell that is
// one field: no colon, no newline.
func FuzzPasswdShell(f *testing.F) {
	f.Add([]byte("root:*:0:0:Charlie &:/root:/bin/ksh\n"), "root")
	f.Add([]byte("a:b:c:d:e:f:\n"), "a")
	f.Fuzz(func(t *testing.T, passwd []byte, user string) {
		shell, ok := passwdShell(passwd, user)
		if ok && (shell == "" || containsAny(shell, ":\n")) {
			t.Errorf("passwdShell gave %q", shell)
		}
		if !ok && shell != "" {
			t.Errorf("not found, but shell %q", shell)
		}
	})
}

func containsAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}
