// Package sshtest starts SSH servers for tests: StartSSHD runs the real
// OpenSSH sshd on 127.0.0.1 (integration tests), StartInProcess an
// x/crypto/ssh server with pkg/sftp in the test process (fast tests).
// Both log in the current user with a generated key and are trusted
// through a generated known_hosts; Server.Dial returns a connected
// *remote.SSHHost:
//
//	bin := t.TempDir() // stub pkg_info, pkg_add, pfctl scripts go here
//	sshtest.WriteStubDoas(t, bin)
//	srv := sshtest.StartSSHD(t, sshtest.Options{PathPrepend: []string{bin}})
//	cfg := srv.Config(t)
//	cfg.AlwaysDoas = true // use the stub doas even when tests run as root
//	h := srv.DialConfig(t, cfg)
package sshtest
