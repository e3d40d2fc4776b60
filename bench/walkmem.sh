#!/bin/sh
# walkmem.sh: fugu's peak memory as a tree grows. For each count in
# COUNTS (default "100000 1000000") it makes a tree of that many empty
# files (1,000 per directory), pulls it over a private sshd on 127.0.0.1
# with --dry-run (walk and comparison alone), then for real, then again
# with nothing changed, and prints the time and peak RSS of each. The
# walk streams, so memory should not grow with the tree.
#
# Needs: go, /usr/sbin/sshd, ssh, ssh-keygen, perl, GNU time.
set -eu
COUNTS=${COUNTS:-100000 1000000}
. "$(dirname "$0")/sshd.sh"

printf '%-9s %-9s %9s %12s\n' files run seconds "peak RSS"
for n in $COUNTS; do
	src=$W/src$n dst=$W/dst$n
	mkdir -p "$src" "$dst"
	perl -e '
		my ($dir, $n) = @ARGV;
		for my $i (0 .. $n - 1) {
			my $d = sprintf("%s/d%04d", $dir, int($i / 1000));
			mkdir $d or die "$d: $!" unless $i % 1000;
			open(my $f, ">", "$d/f$i") or die "$d/f$i: $!";
		}' "$src" "$n"
	for run in dry-run copy again; do
		flag=; [ "$run" = dry-run ] && flag=--dry-run
		/usr/bin/time -f "%e %M" -o "$W/time" "$FUGU" migrate home $flag --from "$R:$PORT:$src" --to "$dst" \
			--known-hosts "$KNOWN_HOSTS" -i "$ID" -F none >/dev/null 2>"$W/err" || { tail -3 "$W/err" >&2; exit 1; }
		set -- $(cat "$W/time")
		printf '%-9s %-9s %9.2f %9d KB\n' "$n" "$run" "$1" "$2"
	done
	rm -rf "$src" "$dst"
done
