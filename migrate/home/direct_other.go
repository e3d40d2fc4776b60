//go:build !linux

package home

// direct returns f: only Linux has O_DIRECT (see direct_linux.go).
func direct(f File) File { return f }
