// Package spamdlog reads what a spamd mail gateway logs: spamd's syslog
// lines and spamdb output (SMTP callback probes, spamtrap candidates),
// failed POP3/IMAP/SSH logins, and pf table dumps in the published list
// format. Syslog timestamps have no year; Options supplies it and a
// December-to-January step moves to the next year. The RFC 5424
// timestamps of syslogd -Z carry year and zone and are taken as they are.
//
// Input is read as a stream, line by line, and only tallies are kept: a
// counter per address, user, day or recipient, and the probes found, so
// memory grows with the distinct addresses a log names, not with its
// length. ReadAttempts hands each failed login to a Summary or DayTally;
// FindCallbacks and FindTrapCandidates tally greylist tuples as they
// read them.
package spamdlog
