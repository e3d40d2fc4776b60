// Package firewall models the spamd/PF mail gateway role (roles.mailgw),
// validates it, renders its files (pf.conf, spamd.conf, crontab and
// syslog blocks, maintenance scripts) and lints any pf.conf for the
// mistakes pfctl would reject without a kernel and the role's known traps.
//
// Everything here is pure: values and io.Readers in, bytes out. Applying
// the files to a host is done by firewall/pfapply; log analysis lives in
// firewall/spamdlog.
package firewall
