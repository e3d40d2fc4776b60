package hardware

import "strings"

// Interface returns the network interface called name (iwm0), if the
// dmesg shows it.
func (f *Facts) Interface(name string) (Interface, bool) {
	for _, n := range f.Interfaces {
		if n.Name == name {
			return n, true
		}
	}
	return Interface{}, false
}

// Release is the release number without a suffix: 7.8 for "7.8",
// "7.8-current" and "7.8-beta"; "" when the version is unknown.
func (f *Facts) Release() string {
	v, _, _ := strings.Cut(f.Version, "-")
	return v
}
