package firewall

// MailGW is the roles.mailgw section of a profile: the spamd/PF mail
// gateway. Its keys are the parameters of the mail gateway reference,
// section 6.
type MailGW struct {
	EgressInterface string `yaml:"egress_interface" json:"egress_interface"`
}

// Problem is one invalid value in a MailGW, located by its key path
// relative to roles.mailgw (for example "bruteforce.services[0].max_src_conn").
type Problem struct {
	Path    string
	Message string
}

// Validate reports every problem in g.
func (g *MailGW) Validate() []Problem {
	var ps []Problem
	if g.EgressInterface == "" {
		ps = append(ps, Problem{Path: "egress_interface", Message: "required (a real interface name such as em0)"})
	}
	return ps
}
