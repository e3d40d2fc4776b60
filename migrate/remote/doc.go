// Package remote is how fugu reaches a machine: Host runs commands and
// reads and writes files, over SSH (Dial, SSHHost) or on this machine
// (LocalHost). SSH follows the user's setup as ssh(1) does (known_hosts,
// ssh-agent, key files, ~/.ssh/config Host aliases) and never skips the
// host key check: an unknown or changed key is a *HostKeyError.
//
// Writes go to a temporary file in the target directory that is renamed
// over the target, so an interrupted write leaves the old file intact and
// at most a ".NAME.fugu-tmp.XXXXXXXXXX" file behind. Command lines are built
// with Quote.
package remote
