package profiles

import (
	"fmt"
	"regexp"
	"slices"
)

// DefaultRelease is the newest OpenBSD release fugu knows; Load uses it
// when a profile names none.
const DefaultRelease = "7.8"

// DefaultArch is the architecture Load assumes when a profile names none.
const DefaultArch = "amd64"

// Arches are OpenBSD's architectures, as set directories name them.
var Arches = []string{"alpha", "amd64", "arm64", "armv7", "hppa", "i386", "landisk", "loongson", "luna88k", "macppc", "octeon", "powerpc64", "riscv64", "sparc64"}

var releaseRE = regexp.MustCompile(`^[1-9][0-9]?\.[0-9]$`)

// SetVersion turns a release such as "7.8" into the suffix of its set
// names ("78", as in base78.tgz). It returns "" for a string that is not a
// release; Load has already rejected those.
func SetVersion(release string) string {
	if checkRelease(release) != nil {
		return ""
	}
	return release[:len(release)-2] + release[len(release)-1:]
}

func checkRelease(release string) error {
	if !releaseRE.MatchString(release) {
		return fmt.Errorf("%q is not an OpenBSD release (expected like 7.8)", release)
	}
	return nil
}

func validArch(a string) bool { return slices.Contains(Arches, a) }
