package home

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"

	"fugu/migrate/remote"
)

// linkOwner is a symlink whose owner a target could not set on its own.
type linkOwner struct {
	Path     string
	UID, GID int
}

// linkOwnerSetter is a Tree that sets the owners of symlinks in one
// batch: SFTP v3 has no lchown, but the host behind it can run one.
type linkOwnerSetter interface {
	SetLinkOwners(ctx context.Context, links []linkOwner) (map[string]error, error)
}

// lchownScript reads "uid\0gid\0path\0" records and lchowns each path,
// printing "path\0error\0" for those it could not. POSIX::lchown is in
// the perl of OpenBSD's base install and of every Linux; it never
// follows the link. A path that is no longer a symlink is left alone:
// the target's owner may have put a hard link to a file outside the
// tree there since the link was made, and lchown would chown that file.
const lchownScript = `perl -MPOSIX -e '$/ = "\0";
while (defined(my $u = <STDIN>)) { my $g = <STDIN>; my $p = <STDIN>; last unless defined $p;
	chomp($u, $g, $p);
	if (!lstat($p)) { print "$p\0$!\0" } elsif (!-l _) { print "$p\0not a symlink\0" }
	else { POSIX::lchown($u, $g, $p) or print "$p\0$!\0" } }'`

// SetLinkOwners lchowns links on the remote host with one command. It
// returns the links that failed, with why, or an error when the command
// could not run at all (no Runner, no perl).
func (s *SFTP) SetLinkOwners(ctx context.Context, links []linkOwner) (map[string]error, error) {
	if s.runner == nil {
		return nil, errors.New("no shell on the target host")
	}
	var in bytes.Buffer
	for _, l := range links {
		in.WriteString(strconv.Itoa(l.UID) + "\x00" + strconv.Itoa(l.GID) + "\x00./" + l.Path + "\x00")
	}
	res, err := s.run(ctx, remote.Command{Line: "cd " + shQuote(s.dir) + " && " + lchownScript, Stdin: &in})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		return nil, fmt.Errorf("perl on the target failed (exit %d): %s", res.ExitCode, bytes.TrimSpace(res.Stderr))
	}
	return parseLchownFailures(res.Stdout), nil
}

// parseLchownFailures reads lchownScript's "./path\0error\0" records.
func parseLchownFailures(out []byte) map[string]error {
	failed := map[string]error{}
	f := bytes.Split(out, []byte{0})
	for i := 0; i+1 < len(f); i += 2 {
		failed[string(bytes.TrimPrefix(f[i], []byte("./")))] = errors.New(string(f[i+1]))
	}
	return failed
}

// setLinkOwners gives the symlinks the target could not chown their
// owners in one batch, where the target can; what remains is reported.
func (r *run) setLinkOwners() {
	if len(r.linkOwners) == 0 {
		return
	}
	set, ok := r.dst.(linkOwnerSetter)
	if !ok {
		return
	}
	failed, err := set.SetLinkOwners(r.ctx, r.linkOwners)
	if err != nil {
		r.event(Event{Kind: Warning, Path: ".", Err: fmt.Errorf("owners of %d symlinks not set: %w", len(r.linkOwners), err)})
		return
	}
	for _, l := range r.linkOwners {
		if err := failed[l.Path]; err != nil {
			r.event(Event{Kind: Warning, Path: l.Path, Err: fmt.Errorf("symlink owner not set: %w", err)})
		}
	}
}
