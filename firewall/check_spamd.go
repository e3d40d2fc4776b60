package firewall

// finishSpamd checks the spamd rule block of reference section 1.9 once
// all rules are known, because its mistakes are about order: with last
// match, the <nospamd> and <spamd-white> pass rules must come after the
// divert rule, which must not be quick; spamlogd needs log on the
// whitelisted-in and the smtp-out pass rules.
func (c *checker) finishSpamd() {
	var divert, greyDivert *rule
	for _, r := range c.rules {
		if len(r.rdrTo) > 0 && r.isSpamdPort(r.rdrPort) {
			c.warnf(r.line, "rdr-to to spamd: use divert-to 127.0.0.1 port spamd (spamd needs the original destination; -M requires it)")
		}
		if r.diverts == 0 || !r.isSpamdPort(r.divertPort) {
			continue
		}
		if r.af == "inet6" || r.divertFamily() == "inet6" {
			c.errorf(r.line, "spamd is IPv4-only (it refuses other connections), so an inet6 divert to it greylists nothing; block-return IPv6 smtp so senders retry over IPv4, or pass it to the MTA")
			continue
		}
		if divert == nil {
			divert = r
		}
		if r.quick {
			c.errorf(r.line, "quick on the spamd divert-to rule: the <nospamd> and <spamd-white> rules after it can never override it (last match wins)")
		}
		if r.fromAny && greyDivert == nil {
			greyDivert = r
		}
	}
	if divert == nil {
		return
	}
	var whiteIn, smtpOut *rule
	for _, r := range c.rules {
		if r.action != "pass" {
			continue
		}
		if r != divert && r.overridesDivert(divert, greyDivert) {
			c.errorf(r.line, "this pass rule matches smtp from any host and overrides the spamd divert-to rule on line %d (last match wins, or quick): spamd never sees that mail", divert.line)
		}
		white, nospamd := r.hasFromTable(spamdWhiteTable), r.hasFromTable(nospamdTable)
		if r.dir != "out" && (white || nospamd) && r.toSMTP(true) {
			if greyDivert != nil && !r.quick && r.line < greyDivert.line {
				c.errorf(r.line, "this pass rule from <%s> comes before the spamd divert-to rule on line %d, which overrides it (last match wins); move it after", map[bool]string{true: spamdWhiteTable, false: nospamdTable}[white], greyDivert.line)
			}
			if white {
				whiteIn = r
				if !r.log {
					c.errorf(r.line, "pass rule from <spamd-white> to smtp needs log: spamlogd only sees logged connections, and whitelisted senders expire without it")
				}
			}
		}
		if r.dir == "out" && r.toSMTP(false) && sameIface(r, divert) {
			smtpOut = r
			if !r.log {
				c.errorf(r.line, "pass out rule to port smtp needs log: spamlogd whitelists the hosts you send mail to from it")
			}
		}
	}
	if greyDivert != nil && whiteIn == nil {
		c.errorf(greyDivert.line, "no pass in log rule from <spamd-white> to port smtp after the spamd divert: whitelisted senders never reach the mail server")
	}
	if smtpOut == nil {
		c.errorf(divert.line, "no pass out log rule to port smtp: spamlogd never sees outgoing mail")
		return
	}
	for _, r := range c.rules {
		if r.line < smtpOut.line && r.quick && r.action == "pass" && r.dir == "out" && !r.log && r.toSMTP(true) && sameIface(r, smtpOut) {
			c.warnf(r.line, "this quick pass out rule also matches smtp and comes before the logged smtp-out rule on line %d, which then never matches: spamlogd sees nothing", smtpOut.line)
		}
	}
	if smtpOut.quick {
		return
	}
	for _, r := range c.rules {
		if r.line <= smtpOut.line || r.action != "pass" || r.dir != "out" || r.log || !r.toSMTP(true) {
			continue
		}
		if len(r.on) > 0 && len(smtpOut.on) > 0 && r.onString() != smtpOut.onString() {
			continue
		}
		c.warnf(r.line, "this pass out rule also matches smtp and comes after the logged smtp-out rule on line %d, so it wins (last match) and spamlogd sees nothing", smtpOut.line)
	}
}

// overridesDivert reports a pass rule from any host to smtp that takes
// the connection away from spamd: after the greylist divert rule, or
// anywhere with quick.
func (r *rule) overridesDivert(divert, greyDivert *rule) bool {
	if r.dir == "out" || !r.fromAny || r.diverts > 0 || r.af == "inet6" {
		return false
	}
	if !sameIface(r, divert) {
		return false
	}
	if r.quick && r.toSMTP(true) {
		return true
	}
	return greyDivert != nil && r.line > greyDivert.line && r.toSMTP(true)
}

// sameIface reports whether two rules can match on the same interface
// as far as their on clauses tell.
func sameIface(a, b *rule) bool {
	return len(a.on) == 0 || len(b.on) == 0 || a.onString() == b.onString()
}
