// Package sshtest starts SSH servers for tests: StartSSHD runs the real
// OpenSSH sshd on 127.0.0.1 (integration tests), StartInProcess an
// x/crypto/ssh server in the test process (fast unit tests). Both accept
// a generated client key and are trusted through a generated known_hosts.
package sshtest
