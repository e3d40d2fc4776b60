package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"

	"fugu/migrate/home"
	"fugu/migrate/remote"

	"github.com/spf13/cobra"
)

// migrateHomeOptions are the flags of migrate home.
type migrateHomeOptions struct {
	From, To    string
	Jobs        int
	Chunk       int64
	Exclude     []string
	ExcludeFrom []string
	CVSExclude  bool
	Checksum    bool
	DryRun      bool
	JSON        bool
	SSH         migSSHFlags
}

func newMigrateHomeCmd(s *Streams) *cobra.Command {
	var opts migrateHomeOptions
	cmd := &cobra.Command{
		Use:   "home --from [user@]HOST:/DIR --to DIR (or the reverse)",
		Short: "Copy a home directory between machines over SFTP, resumably",
		Long: `Copy a directory tree from a remote host to a local directory, or from a
local directory to a remote host: regular files, directories, symlinks (as
links; links pointing out of the tree are reported), hard links, modes, mtimes,
and owners when run as root on the receiving side (mapped by user name).
Sparse files stay sparse. Sockets, fifos and devices are skipped and reported.

Every file is written to .fugu-tmp-NAME, verified against a sha256 computed on
the source side, and renamed into place. A journal in DIR/.fugu-migrate lets
the same command resume after any interruption; a file in progress continues
from its last chunk. Nothing is excluded unless asked: --exclude PATTERN
(rsync-like globs), --exclude-from FILE, --cvs-exclude (rsync's -C list,
printed when used).

EXIT STATUS
  0  everything was copied (or was already there)
  1  some files failed, or the run stopped (full disk, lost connection);
     run the same command again to resume
  2  bad usage or invalid input`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMigrateHome(cmd.Context(), opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.From, "from", "", "source: [user@]host:/dir or a local directory (required)")
	f.StringVar(&opts.To, "to", "", "target: a local directory or [user@]host:/dir (required)")
	f.IntVar(&opts.Jobs, "jobs", 16, "files copied at once")
	f.Int64Var(&opts.Chunk, "chunk", 4<<20, "bytes per read and per journal record")
	f.StringArrayVar(&opts.Exclude, "exclude", nil, "skip paths matching PATTERN (repeatable)")
	f.StringArrayVar(&opts.ExcludeFrom, "exclude-from", nil, "read exclude patterns from FILE (repeatable)")
	f.BoolVar(&opts.CVSExclude, "cvs-exclude", false, "skip what rsync -C skips (the list is printed)")
	f.BoolVar(&opts.Checksum, "checksum", false, "compare content, not size and mtime, to find unchanged files")
	f.BoolVar(&opts.DryRun, "dry-run", false, "list what would be copied, change nothing")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object per event and a summary")
	opts.SSH.addFlags(cmd)
	return cmd
}

func runMigrateHome(ctx context.Context, opts migrateHomeOptions, s *Streams) error {
	if opts.From == "" || opts.To == "" {
		return usagef("--from and --to are required")
	}
	if opts.Jobs < 1 || opts.Chunk < 64<<10 {
		return usagef("--jobs must be at least 1 and --chunk at least 65536")
	}
	from, err := parseTreeSpec(opts.From)
	if err != nil {
		return invalid(fmt.Errorf("--from: %w", err), "")
	}
	to, err := parseTreeSpec(opts.To)
	if err != nil {
		return invalid(fmt.Errorf("--to: %w", err), "")
	}
	if (from.host == "") == (to.host == "") {
		return usagef("exactly one of --from and --to must be remote ([user@]host:/dir)")
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// Many small garbage buffers (bundles of small files): collect
		// early rather than let the heap double, keeping the peak < 100 MB.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(64 << 20))
	}
	excludes, err := loadExcludes(opts, s)
	if err != nil {
		return err
	}
	rs := from
	if to.host != "" {
		rs = to
	}
	prog := newHomeProgress(s, opts.JSON)
	// The connection's notices (a keepalive gone unanswered) can come
	// while the bar is drawn.
	dialStreams := *s
	dialStreams.Err = prog.notices()
	h, err := opts.SSH.dial(ctx, rs.host, &dialStreams)
	if err != nil {
		return err
	}
	defer h.Close()
	c, err := h.SFTP()
	if err != nil {
		return err
	}
	remoteTree := home.NewSFTP(c, rs.dir, opts.From, h)
	var src, dst home.Tree
	if from.host != "" {
		local, err := openLocalTarget(to.dir, opts.DryRun)
		if err != nil {
			return err
		}
		defer local.Close()
		src, dst = remoteTree, local
	} else {
		local, err := home.OpenLocal(from.dir, false)
		if err != nil {
			return err
		}
		defer local.Close()
		remoteTree = home.NewSFTP(c, rs.dir, opts.To, h)
		if !opts.DryRun {
			if err := c.MkdirAll(rs.dir); err != nil {
				return fmt.Errorf("create %s: %w", opts.To, err)
			}
		}
		src, dst = local, remoteTree
	}
	owners, err := ownerMap(ctx, h, to.host != "")
	if err != nil {
		return err
	}
	sum, err := home.Copy(ctx, src, dst, home.Options{
		Jobs: opts.Jobs, Chunk: opts.Chunk, Excludes: excludes, Checksum: opts.Checksum,
		DryRun: opts.DryRun, Owners: owners, Progress: prog,
	})
	prog.summary(sum, err)
	switch {
	case errors.Is(err, home.ErrNoSpace):
		return withHint(err, "free space on the target, then run the same command again to resume")
	case errors.Is(err, home.ErrConnection):
		return withHint(err, "run the same command again to resume")
	case err != nil:
		return err
	case sum.Failed > 0:
		return failed("%d entries failed", sum.Failed)
	}
	return nil
}

// openLocalTarget opens (creating it) the local directory to copy into;
// a dry run into a directory that does not exist yet plans to copy all.
func openLocalTarget(dir string, dryRun bool) (home.Tree, error) {
	if dryRun {
		if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
			return home.Absent{Name: dir}, nil
		}
	}
	return home.OpenLocal(dir, !dryRun)
}

// treeSpec is a --from or --to value: a local directory or host:/dir.
type treeSpec struct{ host, dir string }

// parseTreeSpec splits [user@]host:/dir; anything starting with "/" or
// "." (or without ":") is a local directory.
func parseTreeSpec(s string) (treeSpec, error) {
	if strings.HasPrefix(s, "/") || strings.HasPrefix(s, ".") {
		return treeSpec{dir: s}, nil
	}
	i := strings.Index(s, ":/")
	if strings.HasPrefix(s, "[") || strings.Contains(s, "@[") {
		end := strings.Index(s, "]")
		i = strings.Index(s[end+1:], ":/") + end + 1
	}
	if i <= 0 {
		if strings.Contains(s, ":") {
			return treeSpec{}, fmt.Errorf("%q: want [user@]host:/absolute/dir", s)
		}
		return treeSpec{dir: s}, nil
	}
	host, dir := s[:i], s[i+1:]
	if _, err := remote.ParseTarget(host); err != nil {
		return treeSpec{}, err
	}
	return treeSpec{host: host, dir: dir}, nil
}

// loadExcludes gathers --exclude, --exclude-from and --cvs-exclude, in
// that order, and prints the -C list when it is used.
func loadExcludes(opts migrateHomeOptions, s *Streams) (home.Excludes, error) {
	var x home.Excludes
	for _, e := range opts.Exclude {
		p, err := home.ParsePattern(e)
		if err != nil {
			return nil, invalid(fmt.Errorf("--exclude: %w", err), "")
		}
		x = append(x, p)
	}
	for _, name := range opts.ExcludeFrom {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, invalid(err, "")
		}
		more, err := home.ParseExcludeFile(bytes.NewReader(b), name)
		if err != nil {
			return nil, invalid(err, "")
		}
		x = append(x, more...)
	}
	if opts.CVSExclude {
		fmt.Fprintf(s.Err, "--cvs-exclude skips: %s\n", strings.Join(home.CVSExcludes, " "))
		for _, e := range home.CVSExcludes {
			p, err := home.ParsePattern(e)
			if err != nil {
				return nil, err
			}
			x = append(x, p)
		}
	}
	return x, nil
}

// ownerMap returns the uid/gid map when fugu runs as root on the
// receiving side (the only case where chown works), else nil.
func ownerMap(ctx context.Context, h *remote.SSHHost, remoteTarget bool) (*home.IDMap, error) {
	read := func(remoteSide bool, name string) ([]byte, error) {
		if remoteSide {
			return h.ReadFile(ctx, name)
		}
		return os.ReadFile(name)
	}
	if remoteTarget && h.User() != "root" || !remoteTarget && os.Geteuid() != 0 {
		return nil, nil
	}
	var files [4][]byte
	for i, f := range []struct {
		remote bool
		name   string
	}{{!remoteTarget, "/etc/passwd"}, {!remoteTarget, "/etc/group"}, {remoteTarget, "/etc/passwd"}, {remoteTarget, "/etc/group"}} {
		b, err := read(f.remote, f.name)
		if err != nil {
			return nil, fmt.Errorf("read %s to map owners: %w", f.name, err)
		}
		files[i] = b
	}
	return home.NewIDMap(bytes.NewReader(files[0]), bytes.NewReader(files[1]), bytes.NewReader(files[2]), bytes.NewReader(files[3]))
}
