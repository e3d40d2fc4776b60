// Package migratetest has in-memory migrate.Machine fakes for tests: a
// machine with files, packages and crontabs (New), one with nothing
// (Empty) and one whose every operation fails (Broken); and SSHMachine, a
// directory standing in for a machine's root behind a real OpenSSH sshd
// with stub OpenBSD programs, for integration tests.
package migratetest
