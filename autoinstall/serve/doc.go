// Package serve is the HTTP edge of fugu's autoinstall: it answers the
// OpenBSD installer's requests for a site's machines (install.conf and
// upgrade.conf per MAC or hostname, the disk template, the site set and
// index.txt, the official sets and firmware from local mirrors) from an
// immutable snapshot of the site, and records each machine's install trail.
//
// Every request name is checked against a strict grammar before anything
// is looked up (ParseRequest), so no request can name a file outside the
// site's own answers or the mirror roots. Rendered files are cached per
// machine, installer release/arch, server URL, sets mirror listing and
// arming generation in the snapshot they came from; a reload swaps in a
// new snapshot only when the whole site validates.
//
// Install once: when install.site reports back (a one-time token URL in the
// site set), the machine counts as installed and its install.conf answers
// 404 until it is re-armed, so a machine that boots from the network first
// cannot reinstall itself in a loop (nor fall through to the generic
// install.conf of defaults.profile, which its installer asks for next). State lives in the site's state/
// directory as one JSON file per machine, each written to a temporary file,
// synced and renamed, so an interrupted server leaves either the old or the
// new file, never half of one. Each new step of the trail, an install
// finishing, a first boot and a re-arm are written before the request is
// answered, so `fugu machine list` reads the latest step from the state
// directory; only the count and time of a repeated step are written a
// moment later (and may be lost if the server dies within it).
package serve
