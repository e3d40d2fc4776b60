package remote_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"fugu/migrate/remote"
)

func ExampleDial() {
	ctx := context.Background()
	tty, _ := os.Open("/dev/tty") // nil without a terminal: encrypted keys then need the agent
	h, err := remote.Dial(ctx, "peter@oldbox", remote.Config{
		Notice:     os.Stderr,
		Passphrase: remote.TerminalPassphrase(tty, os.Stderr),
	})
	var hk *remote.HostKeyError
	if errors.As(err, &hk) {
		// The message shows the fingerprint and how to trust the key.
		log.Fatal(err)
	}
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	res, err := h.Run(ctx, remote.Command{Line: "pkg_info -mz"})
	if err != nil || res.ExitCode != 0 {
		log.Fatalf("pkg_info: %v %s", err, res.Stderr)
	}
	fmt.Printf("%s", res.Stdout)
}

func ExampleQuote() {
	file := "/home/peter/it's $(here).txt"
	fmt.Println("ls -l " + remote.Quote(file))
	fmt.Println(remote.QuoteArgs("doas", "-C", "/etc/doas.conf"))
	// Output:
	// ls -l '/home/peter/it'\''s $(here).txt'
	// doas -C /etc/doas.conf
}
