// Command fugu provisions OpenBSD machines from YAML profiles.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run())
}

// run builds the command tree, runs it with the process's arguments and
// streams, and turns the outcome into an exit code.
func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := &Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}
	return Execute(ctx, os.Args[1:], streams)
}
