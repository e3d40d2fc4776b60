package profiles

import (
	"embed"
	"io/fs"
)

//go:embed example
var exampleFS embed.FS

// ExampleSite is the embedded example site: the reference laptop delilah,
// the laptop probook known by its dmesg, and the mail gateway mx1 (see
// example/README.txt). fugu serves it when
// no --site is given. It is a valid site: Load(ExampleSite()) succeeds.
func ExampleSite() fs.FS {
	sub, err := fs.Sub(exampleFS, "example")
	if err != nil {
		panic("profiles: embedded example site: " + err.Error()) // cannot happen: the directory is embedded
	}
	return sub
}
