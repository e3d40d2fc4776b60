// Package packages reads and writes OpenBSD package names and lists: the
// name grammar of packages-specs(7) and pkg_add's shorthands
// (stem--flavors%branch), pkg_info -mz/-m/-mq output, pkg_add -l list files,
// and a release's package index, which it checks a list against.
package packages
