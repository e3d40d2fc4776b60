package etcfiles

import (
	"strings"
	"testing"
)

func BenchmarkParseDoasConf(b *testing.B) {
	conf := strings.Repeat("permit persist keepenv :wheel\npermit nopass alice as root cmd /sbin/reboot args\npermit setenv { -ENV PS1=$DOAS_PS1 SSH_AUTH_SOCK } :wheel\n", 100)
	b.SetBytes(int64(len(conf)))
	for b.Loop() {
		if _, err := ParseDoasConf(strings.NewReader(conf)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseHostnameIf(b *testing.B) {
	text := strings.Repeat("join \"Home Net\" wpakey \"correct horse battery\"\ninet autoconf\n!route add -inet 10.9.0.0/16 -ifp iwn0 192.0.2.1\n", 50)
	for b.Loop() {
		if _, err := ParseHostnameIf(strings.NewReader(text)); err != nil {
			b.Fatal(err)
		}
	}
}
