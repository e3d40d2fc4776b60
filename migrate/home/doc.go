// Package home copies a home directory between two machines, one of them
// reached over SFTP, resumably and verified.
//
// Copy walks the source once, streaming, and hands regular files to Jobs
// workers through a bounded queue; only directories and hard-linked
// names are remembered. A remote source is walked by one perl command
// over SSH (walkScript) that prints every entry with its lstat, inode
// number and link count, directories before what they hold, while a
// child of it counts files and bytes for the progress bar; without perl
// the walk lists directories over SFTP, reading a few ahead. Each file is
// written to .fugu-tmp-NAME in its target directory in chunks; blocks of
// zeros are not written and the file is truncated to size, so sparse
// files stay sparse. On Linux a local temp file of 16 MiB and more is
// written with O_DIRECT: chunks go from fugu's buffers to the disk, and
// the fsync before the rename finds nothing left to write back. Big
// files from a remote host stream from a perl command in an SSH session
// that opens the file without following a symlink and sends it only if
// it is still the file the walk saw (where the walk ran perl; else `dd
// bs=1M skip=N`, or `tail -c +OFFSET` where dd cannot skip in big blocks;
// with only SFTP: pkg/sftp WriteTo, many requests in flight); after each chunk
// is written a journal record notes the written prefix and the sha256
// states before and after the chunk. Small files (up to 256 KiB) from a
// remote source travel in bundles: a perl command on the source hashes
// a bundle's files with one openssl dgst, then reads, lstats and sends
// them back-to-back, so they cost no SFTP round trips; each is verified,
// written and renamed while the ones after it are in transit. Up to 4
// such commands start with the first small file and serve bundle after
// bundle, as a new session costs more than many small files (sshd starts
// the login shell and its start-up files each time). Remote commands and
// streams share at most 8 SSH sessions (sshd refuses more than 10 per
// connection). A local target is reached through an os.Root, with the
// Roots (and descriptors) of recently used directories cached, so a
// file's name is not resolved component by component on every call; a
// small file is created and renamed with bare openat and renameat calls
// in its directory's descriptor.
//
// Nothing is renamed into place unverified. A file's sha256 is computed on
// the source side (remote: openssl per bundle, perl's Digest::SHA where
// openssl is missing, batches of perl or sha256sum/sha256 for mid-sized
// files, openssl for big files, started while the copy runs; local: a
// second read) and compared with the hash of what was written; the
// source's size and mtime after the copy must equal those before, else
// the file is copied again (up to 3 times). Then the data is flushed
// (fsync for files of 1 MiB and more and on SFTP targets; smaller local
// files by one sync(2) before the run ends), owner (by name,
// when root), mode and mtime go onto the temp file and a POSIX rename puts
// it in place. Symlinks are recreated as links (never followed; links
// leaving the tree are reported). On a local target each is made in
// .fugu-migrate/links, a directory only the run's user can write, given
// its own mtime and, as root, its owner there, and renamed into place.
// SFTP can set neither a link's times nor its owner: on a remote target
// one perl command with POSIX::lchown sets the owners of them all at the
// end, skipping what is no longer a symlink. Hard links are found by
// dev/inode: from lstat locally, and from the walk command for a remote
// source, as SFTP reports no inode numbers (without perl, each name is
// copied as a separate file and a warning says so). They are
// linked once all files are in place, never to a first name whose copy
// failed (the target may still hold its old content). Directory modes
// and mtimes are set last, deepest first: on a local target through the
// descriptor of each directory opened as one, so nothing the target's
// owner put in a directory's place meanwhile gets them.
//
// The journal, .fugu-migrate/journal in the target root, is append-only
// and every line carries its own CRC-32, so a torn or corrupt tail is
// ignored. A run interrupted at any point (kill -9, a dropped connection,
// a full disk, a reboot) leaves: finished files under their real names;
// temp files with journaled prefixes (at most Jobs big files, plus small
// files of unfinished bundles, which are simply rewritten); the journal;
// and directories that may still be mode 0700 with fresh mtimes. The next
// run skips finished files by size and mtime (or sha256 with Checksum)
// but gives them the source's owner, mode and mtime where these differ
// (a chmod changes no mtime; a file that also has another name, maybe a
// hard link to a file outside the tree, is copied instead, which gives
// the name its own file), as it gives symlinks found in place their
// owner (over SFTP set only at the end of a run); it copies a name that
// shares its file on the target but not on the source; it resumes each
// temp file from its journaled prefix after checking that the prefix's
// last chunk still reads back as journaled (the state
// before it, fed the chunk from the disk, must give the state after it:
// a check that costs nothing while copying), or, when the target has
// rebooted since (the journal notes its boot ID), that the whole prefix
// hashes to the journaled state; it re-sends what was in flight (about
// one or two chunks), and restarts a file whose source changed since. A reboot of the target can also
// undo small files renamed into place but not yet flushed; ext4 and FFS
// bring such a file back short or empty, which the next run's size check
// catches. A complete run without failures syncs and removes the journal.
// While a run copies into a local target it holds an flock on
// .fugu-migrate/lock, so a second run there stops with ErrBusy instead of
// sharing the journal and temp names; SFTP offers no lock, and a second
// push into one directory is not kept out.
//
// A remote target is written over SFTP, whose server may run as root in
// a home its owner can write, and SFTP v3 has no way to refuse to follow
// a symlink. So fugu never opens an existing name there for writing
// without checking it: a temp file is created exclusively after removing
// whatever had its name (an exclusive create never follows a link); a
// temp file to resume must be a regular file by lstat and the same file
// once open, and have no other name (a hard link to a file outside the
// tree: the host's perl counts its links; without a shell there it is
// not resumed, nor on a local target where it is a symlink or has more
// than one link); owner and mode go on through the open handle; by name,
// chmod and chown refuse a symlink after an lstat. What remains is the
// moment between that lstat and a directory's chmod or chown at the end:
// a remote target tree should not be in the hands of another user while
// root copies into it.
package home
