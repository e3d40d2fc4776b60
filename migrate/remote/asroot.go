package remote

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
)

// ownerName is what WriteFileAsRoot accepts as a user or group: a name as
// useradd/groupadd allow it, or a number.
var ownerName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]{0,31}$|^[0-9]{1,10}$`)

// WriteFileAsRoot replaces p on h with data, owned by owner:group with
// mode, through a root command (doas unless already root). The data goes
// over the command's stdin into a mktemp file next to p, which gets its
// owner and mode before the rename over p, so the file never exists
// under its name half-written or with the wrong owner or mode, and the
// content never lands in a world-readable place. On failure the
// temporary file is removed. There is no fsync: OpenBSD's sync(8) takes
// no file argument.
func WriteFileAsRoot(ctx context.Context, h Host, p string, data []byte, mode fs.FileMode, owner, group string) error {
	if !ownerName.MatchString(owner) || !ownerName.MatchString(group) {
		return fmt.Errorf("write %s as root: invalid owner %q or group %q", p, owner, group)
	}
	if !path.IsAbs(p) {
		return fmt.Errorf("write %s as root: path must be absolute", p)
	}
	res, err := h.Run(ctx, Command{Line: writeAsRootScript(p, len(data), mode, owner, group), Stdin: bytes.NewReader(data), AsRoot: true})
	if err != nil {
		return fmt.Errorf("write %s as root on %s: %w", p, h.Name(), err)
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("write %s as root on %s: exit %d: %s", p, h.Name(), res.ExitCode, strings.TrimSpace(string(res.Stderr)))
	}
	return nil
}

// writeAsRootScript is the sh script for WriteFileAsRoot. Every value in
// it is quoted or a number.
func writeAsRootScript(p string, size int, mode fs.FileMode, owner, group string) string {
	dir, base := path.Split(p)
	template := dir + "." + base + ".fugu-tmp.XXXXXXXXXX" // OpenBSD mktemp wants the Xs last
	return strings.Join([]string{
		"set -e",
		"t=$(mktemp " + Quote(template) + ")",
		`trap 'rm -f "$t"' EXIT`,
		`cat > "$t"`,
		`n=$(wc -c < "$t")`,
		fmt.Sprintf(`[ $n -eq %d ] || { echo "short write: $n of %d bytes" >&2; exit 1; }`, size, size),
		`chown ` + Quote(owner+":"+group) + ` "$t"`, // before chmod: chown clears set-id bits
		fmt.Sprintf(`chmod %04o "$t"`, unixMode(mode)),
		`mv -f "$t" ` + Quote(p),
		"trap - EXIT",
	}, "\n")
}

// unixMode is the chmod(1) number for m, which may use Go's or Unix's
// set-id bits (see fileMode).
func unixMode(m fs.FileMode) uint32 {
	m = fileMode(m)
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}
