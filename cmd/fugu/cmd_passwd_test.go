package main

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashPasswordIs2b(t *testing.T) {
	h, err := hashPassword([]byte("correct horse"), 10)
	if err != nil {
		t.Fatal(err)
	}
	// assert that: the $2b$ form, cost 10, 60 characters, and the same
	// hash bcrypt made ($2a$ is the same algorithm)
	if !strings.HasPrefix(h, "$2b$10$") || len(h) != 60 {
		t.Fatalf("hashPassword = %q, want $2b$10$ and 60 characters", h)
	}
	as2a := "$2a$" + strings.TrimPrefix(h, "$2b$")
	if err := bcrypt.CompareHashAndPassword([]byte(as2a), []byte("correct horse")); err != nil {
		t.Errorf("bcrypt rejects the $2a$ form of %q: %v", h, err)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(as2a), []byte("wrong horse")); err == nil {
		t.Errorf("bcrypt accepts a wrong password")
	}
	if cost, err := bcrypt.Cost([]byte(as2a)); err != nil || cost != 10 {
		t.Errorf("bcrypt.Cost = %d, %v", cost, err)
	}
	if _, err := hashPassword([]byte(strings.Repeat("x", 73)), 10); err == nil {
		t.Errorf("hashPassword accepted 73 bytes, which bcrypt would truncate")
	}
	if _, err := hashPassword([]byte("pass\x00word"), 10); err == nil {
		t.Errorf("hashPassword accepted a NUL byte, which crypt_checkpass would cut at")
	}
}

func TestReadPasswordLine(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"secret\n", "secret", true},
		{"secret\r\n", "secret", true},
		{"secret", "secret", true},
		{" spaced out \nsecond line\n", " spaced out ", true},
		{"\n", "", false},
		{"", "", false},
	} {
		got, err := readPasswordLine(strings.NewReader(c.in))
		if (err == nil) != c.ok || string(got) != c.want {
			t.Errorf("readPasswordLine(%q) = %q, %v, want %q, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestAskTwice(t *testing.T) {
	for _, c := range []struct {
		name    string
		answers []string
		ok      bool
	}{
		{"same twice", []string{"secret", "secret"}, true},
		{"differ", []string{"secret", "secreT"}, false},
		{"empty", []string{"", ""}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var asked []string
			pw, err := askTwice(func(q string) ([]byte, error) {
				asked = append(asked, q)
				return []byte(c.answers[len(asked)-1]), nil
			})
			if (err == nil) != c.ok || (c.ok && string(pw) != c.answers[0]) {
				t.Errorf("askTwice(%q) = %q, %v, want ok=%v", c.answers, pw, err, c.ok)
			}
			if c.ok && (len(asked) != 2 || !strings.Contains(asked[0], "will not echo")) {
				t.Errorf("questions asked: %q", asked)
			}
		})
	}
}
