package autoinstall_test

import (
	"fmt"
	"strings"

	"fugu/autoinstall"
	"fugu/profiles"
)

// Render the mail gateway of the embedded example site: the answers for
// the installer, the site set and its index.
func ExampleRender() {
	site, err := profiles.Load(profiles.ExampleSite())
	if err != nil {
		panic(err)
	}
	var mx1 *profiles.Machine
	for _, m := range site.Machines {
		if m.Name == "mx1" {
			mx1 = m
		}
	}
	plan, err := autoinstall.NewPlan(mx1, nil, autoinstall.Options{ServerURL: "http://192.0.2.10", PathPrefix: "fugu/"})
	if err != nil {
		panic(err)
	}
	files, err := autoinstall.Render(plan)
	if err != nil {
		panic(err)
	}
	for _, l := range strings.Split(string(files.InstallConf), "\n") {
		if strings.HasPrefix(l, "HTTP Server") || strings.HasPrefix(l, "Server directory") || strings.HasPrefix(l, "Set name(s)") {
			fmt.Println(l)
		}
	}
	fmt.Println(files.SiteSetName, files.SetsDir)
	// Output:
	// HTTP Server = http://192.0.2.10
	// Server directory = fugu/sets/mx1/7.8/amd64
	// Set name(s) = -game* -x* +site* +site78-mx1.tgz done
	// site78-mx1.tgz fugu/sets/mx1/7.8/amd64
}

// Lint a hand-written response file: a key that stops before "(" never
// matches, and the root password has no default.
func ExampleLint() {
	conf := "System hostname = web1\nStart sshd = yes\nWhat timezone are you in = UTC\n"
	for _, f := range autoinstall.Lint([]byte(conf), autoinstall.ModeInstall) {
		fmt.Println(f)
	}
	// Output:
	// line 2: error: "Start sshd" stops inside the question "Start sshd(8) by default?", where the next character is not a blank or ?: the installer never matches it (write the question up to the ?)
	// error: no answer to "Password for root account?", which has no default: the install stops
}
