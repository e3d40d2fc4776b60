package profiles

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

//go:embed starter
var starterFS embed.FS

// StarterRoles are the starter sites Starter knows.
var StarterRoles = []string{"laptop", "mailgw", "server"}

// Starter returns a commented starter site for role (laptop, mailgw or
// server): machines.yaml and profiles/ROLE.yaml, valid as they are (root
// password login disabled until a hash from `fugu passwd` is pasted in),
// for `fugu profile init`.
func Starter(role string) (fs.FS, error) {
	for _, r := range StarterRoles {
		if r == role {
			return fs.Sub(starterFS, "starter/"+role)
		}
	}
	return nil, fmt.Errorf("no starter for role %q (expected one of: %s)", role, strings.Join(StarterRoles, ", "))
}
