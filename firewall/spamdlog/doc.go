// Package spamdlog reads what a spamd mail gateway logs: spamd's syslog
// lines and spamdb output (SMTP callback probes, spamtrap candidates),
// failed POP3/IMAP/SSH logins, and pf table dumps in the published list
// format. Syslog timestamps have no year; Options supplies it and a
// December-to-January step moves to the next year. The RFC 5424
// timestamps of syslogd -Z carry year and zone and are taken as they are.
package spamdlog
