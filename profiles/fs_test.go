package profiles

import (
	"io/fs"
	"testing/fstest"
)

func readFS(fsys fs.FS, name string) ([]byte, error) { return fs.ReadFile(fsys, name) }

// overlayFS is fsys with some files replaced.
type overlayFS struct {
	fs.FS
	files map[string][]byte
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if data, ok := o.files[name]; ok {
		return fstest.MapFS{name: {Data: data}}.Open(name)
	}
	return o.FS.Open(name)
}
