package etcfiles_test

import (
	"fmt"
	"strings"

	"fugu/migrate/etcfiles"
)

func ExampleParseDoasConf() {
	conf := "permit persist keepenv :wheel\npermit nopass persist bob\ndeny carol" // no final newline
	c, err := etcfiles.ParseDoasConf(strings.NewReader(conf))
	fmt.Println(len(c.Rules), "rule(s) parsed")
	fmt.Println(err)
	// Output:
	// 1 rule(s) parsed
	// line 2, column 15: can't combine nopass and persist
	// line 3, column 11: syntax error: the last line has no newline (doas needs one after every rule)
}

func ExampleRedactHostnameIf() {
	fmt.Print(etcfiles.RedactHostnameIf("join \"Home Net\" wpakey \"correct horse battery\"\ninet autoconf\n"))
	// Output:
	// join "Home Net" wpakey <redacted>
	// inet autoconf
}
