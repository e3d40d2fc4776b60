// Package etcfiles parses the OpenBSD configuration files that a
// migration copies and must not break: doas.conf(5), checked the way
// doas -C checks it, and hostname.if(5), read the way netstart(8) reads
// it, with interface renaming. For printed plans it redacts the secrets
// these files and crontabs hold: hostname.if keys, doas.conf setenv
// values and the passwords of common crontab jobs.
package etcfiles
