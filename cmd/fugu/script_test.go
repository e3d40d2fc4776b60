package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the fugu CLI in-process as the "fugu"
// command of every script in testdata/script.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"fugu": func() {
			s := &Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}
			os.Exit(Execute(context.Background(), os.Args[1:], s))
		},
	})
}

// TestScripts runs the command-line scripts in testdata/script: each is a
// txtar archive of files and the commands to run against them, with their
// expected output and exit status.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("FUGU_UPDATE_SCRIPTS") == "1",
		Setup: func(env *testscript.Env) error {
			env.Setenv("CI", os.Getenv("CI"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitCode,
		},
	})
}

// cmdExitCode is the script command "exitcode N PROG ARGS...": it runs
// PROG like exec and fails unless PROG exits with status N. The output is
// kept for the stdout and stderr checks that follow.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %q is not a number", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}
