// Package profiles reads a fugu site directory (machines.yaml,
// profiles/*.yaml, dmesg/*.txt) from an fs.FS, decodes it strictly,
// resolves extends chains and per-machine overrides at the YAML node level
// (so every value keeps its file, line and column), normalises values and
// validates them against what the OpenBSD installer and base system accept,
// reporting every problem at once.
package profiles
