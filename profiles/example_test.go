package profiles_test

import (
	"errors"
	"fmt"
	"testing/fstest"

	"fugu/profiles"
)

func ExampleLoad() {
	site, err := profiles.Load(profiles.ExampleSite())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range site.Machines {
		fmt.Println(m.Name, m.MACs[0], m.ProfileName, m.Profile.System.Timezone, profiles.SetVersion(m.Profile.Release))
	}
	// Output:
	// delilah 80:fa:5b:01:02:03 laptop Europe/Oslo 78
	// probook 80:fa:5b:01:02:10 laptop Europe/Oslo 78
	// mx1 00:00:5e:00:53:01 mailgw Europe/Oslo 78
}

func ExampleLoad_problems() {
	site := fstest.MapFS{
		"machines.yaml":     {Data: []byte("machines:\n  - {name: web1, mac: 00:00:5e:00:53:01, profile: web}\n")},
		"profiles/web.yaml": {Data: []byte("root:\n  password_hash: hunter2\nsystem:\n  timezone: Europe/Olso\n")},
	}
	_, err := profiles.Load(site)
	var ps profiles.Problems
	if errors.As(err, &ps) {
		fmt.Println(ps)
	}
	// Output:
	// profiles/web.yaml:2:18: root.password_hash: looks like a plaintext password, which must never be stored in a profile (run `fugu passwd` to make a bcrypt hash)
	// profiles/web.yaml:4:13: system.timezone: "Europe/Olso" is not a zoneinfo name (expected like Europe/Oslo or UTC)
}
