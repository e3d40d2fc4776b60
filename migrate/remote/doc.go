// Package remote is how fugu reaches a machine: a Host runs commands and
// reads and writes files, over SSH (Dial, SSHHost) or on this machine
// (LocalHost). SSH follows the user's setup as ssh(1) does (known_hosts,
// ssh-agent, key files, ~/.ssh/config Host aliases) and never skips the
// host key check: an unknown, changed or revoked key is a *HostKeyError
// whose message shows the fingerprint and how to proceed.
//
// Writes (Host.WriteFile, WriteFileAsRoot) go to a temporary file in the
// target's directory that gets its mode (and owner) before it is renamed
// over the target, so an interrupted write leaves the old file intact and
// at most a ".NAME.fugu-tmp.XXXXXXXXXX" file behind. Command lines are
// built with Quote; commands that need root go through doas -n. They are
// sh syntax; for a user whose login shell is csh, tcsh, fish or another
// that is not a Bourne shell (found from /etc/passwd over SFTP), each line
// reaches /bin/sh through AnyShell.
package remote
