package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"fugu/autoinstall/serve"
	"fugu/migrate/remote"
)

// pidFileName is where fugu serve leaves its process ID in its state
// directory, so that `kill -HUP $(cat STATE/serve.pid)` reaches the one
// server of that site, not every fugu serve on the machine.
const pidFileName = "serve.pid"

// writePIDFile records this process's ID in stateDir and returns the
// function that removes it at stop. The file is removed only while it
// still holds this ID: a newer server on the same state keeps its own.
func writePIDFile(stateDir string) (remove func(), err error) {
	path := filepath.Join(stateDir, pidFileName)
	pid := []byte(strconv.Itoa(os.Getpid()) + "\n")
	if err := serve.WriteFileAtomic(path, pid, 0o644); err != nil {
		return nil, fmt.Errorf("write pid file: %w", err)
	}
	return func() {
		if b, err := os.ReadFile(path); err == nil && bytes.Equal(b, pid) {
			_ = os.Remove(path)
		}
	}, nil
}

// reloadCommand is the shell command that makes the fugu serve of
// stateDir reload its site.
func reloadCommand(stateDir string) string {
	return "kill -HUP $(cat " + remote.Quote(filepath.Join(stateDir, pidFileName)) + ")"
}
