// Package home copies a home directory between two machines, one of them
// reached over SFTP, resumably and verified.
//
// Copy walks the source tree once, streaming (one directory listing per
// level in memory), and hands regular files to a pool of workers while a
// pre-pass counts files and bytes for progress. Each file is written to
// a temporary name (.fugu-tmp-NAME) in its target directory in chunks;
// blocks of zeros are not written, so sparse files stay sparse. After
// each chunk a journal record in .fugu-migrate/journal in the target
// root notes the length of the written prefix, the sha256 state after
// it and a CRC of the chunk. When the temp file is complete it is
// verified against a sha256 computed on the source side (sha256sum or
// OpenBSD's sha256 over SSH, batched; else by re-reading), and the
// source's size and mtime are compared with those seen before the copy;
// a file that changed is copied again. Only then do owner, mode and
// mtime go onto the temp file and a POSIX rename puts it in place.
// Symlinks are recreated as links, hard links (found by dev/inode: a
// perl one-liner on the remote host, since SFTP does not tell) are
// linked after all files are in place, and directory modes and mtimes
// are set last, deepest first.
//
// The journal is append-only; every line carries its own CRC-32, so a
// torn last line is recognised and ignored. A run that is interrupted
// at any point (kill -9, a dropped connection, a full disk) leaves:
// finished files under their real names with their final metadata;
// at most Jobs temp files, each with a journaled prefix; the journal;
// and directories that may still have the owner-writable mode 0700 and
// a fresh mtime. The next run skips finished files by size and mtime
// (or sha256 with Checksum), resumes each temp file from its journaled
// prefix after checking that the prefix's last chunk still reads back
// with the journaled CRC (re-sending at most the chunks in flight), and
// restarts a file whose source changed since. A complete run without
// failures removes the journal.
package home
