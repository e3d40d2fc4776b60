// Package migrate moves an OpenBSD machine's packages and system
// configuration to a new machine.
//
// Collect inventories a machine through a Machine (pkg_info -mz, the
// /etc files a workstation migration cares about, crontabs). NewPlan is
// pure: from the old and the new inventory it decides which packages to
// add (rewriting names the target release renamed, when an index is
// given), which files to write with a unified diff each (secrets
// redacted), which files are never copied and why, and how hostname.if
// files are renamed to the new machine's interfaces. Apply does what the
// plan says and nothing else: packages first, then crontabs, then files,
// doas.conf last so that a bad rule cannot lock fugu out of doas midway.
//
// Every step compares the target's current state with the wanted one
// before it acts, so a second run changes nothing and a run after an
// interruption continues where the first stopped. A file is replaced by
// uploading it to a private temporary directory, installing it with its
// owner and mode as FILE.fugu-new and renaming that over FILE; the old
// file is first copied to FILE.fugu-YYYYmmddHHMMSS. An interrupted run
// therefore leaves each file either old or new, at most a stale
// FILE.fugu-new and a temporary directory under /tmp, and packages that
// pkg_add had finished.
package migrate
