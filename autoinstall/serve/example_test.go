package serve_test

import (
	"fmt"

	"fugu/autoinstall/serve"
)

func ExampleParseRequest() {
	for _, target := range []string{
		"/80:FA:5B:01:02:03-install.conf?path=7.8/amd64",
		"/fugu/sets/delilah/7.8/amd64/site78-delilah.tgz",
		"/sets/delilah/7.8/amd64/..%2f..%2fetc%2fpasswd",
	} {
		r, err := serve.ParseRequest(target)
		if err != nil {
			fmt.Println("refused:", err)
			continue
		}
		fmt.Printf("kind=%d prefix=%q mac=%q machine=%q file=%q\n", r.Kind, r.Prefix, r.MAC, r.Machine, r.File)
	}
	// Output:
	// kind=1 prefix="" mac="80:fa:5b:01:02:03" machine="" file=""
	// kind=3 prefix="fugu/" mac="" machine="delilah" file="site78-delilah.tgz"
	// refused: serve: bad request name: escapes, backslashes and NUL are not allowed
}
