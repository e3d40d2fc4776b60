package packages_test

import (
	"fmt"
	"os"
	"strings"

	"fugu/packages"
)

func ExampleParseName() {
	for _, s := range []string{"vim-9.1.0707-no_x11", "postfix--sasl2%stable", "python%3.12"} {
		n, err := packages.ParseName(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %s stem=%s version=%q flavors=%v branch=%q fuzzy=%s\n", s, n.Kind, n.Stem, n.Version, n.Flavors, n.Branch, n.Fuzzy())
	}
	// Output:
	// vim-9.1.0707-no_x11: full stem=vim version="9.1.0707" flavors=[no_x11] branch="" fuzzy=vim--no_x11
	// postfix--sasl2%stable: fuzzy stem=postfix version="" flavors=[sasl2] branch="stable" fuzzy=postfix--sasl2%stable
	// python%3.12: bare stem=python version="" flavors=[] branch="3.12" fuzzy=python%3.12
}

func ExampleIndex_Check() {
	var release []packages.Name
	for _, s := range []string{"python-3.12.11", "certbot-3.1.0", "vim-9.1.1265-no_x11"} {
		n, _ := packages.ParseName(s)
		release = append(release, n)
	}
	ix := packages.NewIndex(release)
	list, _ := packages.ParseList(strings.NewReader("python--%3.11\nletsencrypt--\nvim--no_x11\n"))
	for _, f := range ix.Check(list) {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%s: %s %s", f.Name, f.Status, f.Suggestion)))
	}
	if err := packages.WriteList(os.Stdout, list[:1]); err != nil {
		fmt.Println(err)
	}
	// Output:
	// python--%3.11: no-branch python--%3.12
	// letsencrypt--: no-package certbot--
	// vim--no_x11: ok
	// python--%3.11
}
