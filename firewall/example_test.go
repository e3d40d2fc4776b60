package firewall_test

import (
	"fmt"
	"strings"

	"fugu/firewall"
)

// Render the role of a gateway whose MTA runs on the gateway itself and
// print the spamd block of its pf.conf.
func ExampleRender() {
	files, err := firewall.Render(&firewall.MailGW{EgressInterface: "em0"}, firewall.Options{Hostname: "mx.example.org"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(string(files[firewall.PFConf].Data), "\n") {
		if strings.Contains(line, "port smtp") && !strings.HasPrefix(line, "#") {
			fmt.Println(line)
		}
	}
	// Output:
	// block return in on egress inet6 proto tcp to port smtp
	// pass in on egress inet proto tcp to port smtp divert-to 127.0.0.1 port spamd
	// pass in on egress proto tcp from <nospamd> to port smtp
	// pass in log on egress proto tcp from <spamd-white> to port smtp
	// pass out log on egress proto tcp to port smtp
}

// Check a hand-written ruleset that puts quick on the divert rule and
// forgets log for spamlogd.
func ExampleCheck() {
	conf := `table <spamd-white> persist
pass in quick on egress inet proto tcp to port smtp divert-to 127.0.0.1 port spamd
pass in log on egress proto tcp from <spamd-white> to port smtp
pass out on egress proto tcp to port smtp
`
	for _, f := range firewall.Check(strings.NewReader(conf)) {
		fmt.Println(f)
	}
	// Output:
	// 2: error: quick on the spamd divert-to rule: the <nospamd> and <spamd-white> rules after it can never override it (last match wins)
	// 4: error: pass out rule to port smtp needs log: spamlogd whitelists the hosts you send mail to from it
}
