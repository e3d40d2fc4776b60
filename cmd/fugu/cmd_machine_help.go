package main

// Long help of the machine subcommands, kept apart from their code.

const machineListLong = `List every machine of the site with its MACs and install state, then the
unknown MACs that asked fugu serve for answers (enrol them with
'fugu machine enroll').

STATE is "armed" (fugu serve answers its install.conf) or "installed" with
the time the install finished, and "(re-arm requested)" after
'fugu machine rearm'. LAST STEP and TIME are the last thing the machine
fetched (install.conf, a set, the site set, the finish report) and when.

State is read from SITE/state (or --state; with the embedded example site,
$XDG_STATE_HOME/fugu/example-site, as fugu serve uses).

EXIT STATUS
  0  success
  1  a failure (the state directory cannot be read)
  2  bad usage, or an invalid site (every problem is printed as
     FILE:LINE:COL: key.path: message)`

const machineListExample = `  fugu machine list --site ./site
  fugu machine list --site ./site --state /var/db/fugu`

const machineRearmLong = `Allow a machine that finished an install to install again. fugu serve
answers an installed machine's install.conf with 404, so that a machine
left to boot from the network does not reinstall itself; rearm records a
request in the state directory, and fugu serve answers the machine's
install.conf again from its next request (or from its next start).

EXIT STATUS
  0  the re-arm is requested
  1  a failure (the machine has not finished an install, so it is armed
     already; the state directory cannot be written)
  2  bad usage, an unknown machine, or an invalid site`

const machineRearmExample = `  fugu machine rearm lotus --site ./site
  fugu machine list --site ./site   # STATE shows (re-arm requested)`

const machineEnrollLong = `Add a machine to the site's machines.yaml: MAC (any common notation,
stored lowercase with colons), its profile and its name. The rest of the
file is kept byte for byte, comments included, and the previous version is
kept as machines.yaml.bak. Nothing is written unless the whole site still
loads with the new entry (the profile exists, the name and MAC are free).
A running fugu serve loads the new machine on SIGHUP; it keeps its
process ID in its state directory: kill -HUP $(cat SITE/state/serve.pid).

The MACs to enrol are those 'fugu machine list' shows as unknown.
--dry-run prints the new machines.yaml instead.

EXIT STATUS
  0  the machine is enrolled (or, with --dry-run, the file is printed)
  1  a failure (machines.yaml cannot be read or written)
  2  bad usage, or invalid input: a bad MAC, an unknown profile, a name or
     MAC already in machines.yaml`

const machineEnrollExample = `  fugu machine enroll 00:11:22:33:44:55 --profile laptop --name lotus --site ./site
  fugu machine enroll 00-11-22-33-44-55 --profile laptop --name lotus --site ./site --dry-run`
