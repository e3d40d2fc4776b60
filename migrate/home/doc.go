// Package home copies a home directory between two machines, one of them
// reached over SFTP, resumably and verified.
//
// Copy walks the source once, streaming (a few directory listings per
// level in memory, read ahead over SFTP so directories do not cost a
// round trip each; only directories and hard-linked names are
// remembered), and
// hands regular files to Jobs workers through a bounded queue, while a
// pre-pass counts files and bytes for progress. Each file is written to
// .fugu-tmp-NAME in its target directory in chunks; blocks of zeros are
// not written and the file is truncated to size, so sparse files stay
// sparse. On Linux a local temp file of 16 MiB and more is written with
// O_DIRECT: chunks go from fugu's buffers to the disk, and the fsync
// before the rename finds nothing left to write back. Big files from a
// remote host stream from `dd bs=1M skip=N` (or `tail -c +OFFSET` where
// dd cannot skip in big blocks) in an SSH session (with only SFTP:
// pkg/sftp WriteTo, many requests in flight); after each chunk is written a journal record notes the
// written prefix, the sha256 state after it and a CRC of the chunk.
// Small files (up to 256 KiB) from a remote source travel in bundles: a
// perl command on the source reads, hashes and lstats many files and
// sends them back-to-back, so they cost no SFTP round trips; each is
// verified, written and renamed while the ones after it are in transit.
// Up to 4 such commands stay running and serve bundle after bundle, as a
// new session costs more than many small files (sshd starts the login
// shell and its start-up files each time). Remote commands and streams
// share at most 8 SSH sessions (sshd refuses more than 10 per
// connection). A local target is reached through an os.Root,
// with the Roots of recently used directories cached so a file's name is
// not resolved component by component on every call.
//
// Nothing is renamed into place unverified. A file's sha256 is computed on
// the source side (remote: perl's Digest::SHA for batches, openssl or
// sha256sum/sha256 for big files, started while the copy runs; local: a
// second read) and compared with the hash of what was written; the
// source's size and mtime after the copy must equal those before, else
// the file is copied again (up to 3 times). Then the data is flushed
// (fsync for files of 1 MiB and more and on SFTP targets; smaller local
// files by one sync(2) before the run ends), owner (by name,
// when root), mode and mtime go onto the temp file and a POSIX rename puts
// it in place. Symlinks are recreated as links (never followed; links
// leaving the tree are reported). Hard links are found by dev/inode: from
// lstat locally, and with a perl readdir/lstat one-liner over SSH for a
// remote source, as SFTP reports no inode numbers (without perl, each
// name is copied as a separate file and a warning says so). They are
// linked once all files are in place. Directory modes and mtimes are set
// last, deepest first.
//
// The journal, .fugu-migrate/journal in the target root, is append-only
// and every line carries its own CRC-32, so a torn or corrupt tail is
// ignored. A run interrupted at any point (kill -9, a dropped connection,
// a full disk, a reboot) leaves: finished files under their real names;
// temp files with journaled prefixes (at most Jobs big files, plus small
// files of unfinished bundles, which are simply rewritten); the journal;
// and directories that may still be mode 0700 with fresh mtimes. The next
// run skips finished files by size and mtime (or sha256 with Checksum),
// resumes each temp file from its journaled prefix after checking that
// the prefix's last chunk still reads back with the journaled CRC
// (re-sending what was in flight: about one or two chunks), and restarts
// a file whose source changed since. A reboot of the target can also
// undo small files renamed into place but not yet flushed; ext4 and FFS
// bring such a file back short or empty, which the next run's size check
// catches. A complete run without failures syncs and removes the journal.
package home
