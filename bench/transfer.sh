#!/bin/sh
# transfer.sh: time `fugu migrate home` against rsync over one private
# OpenSSH sshd on 127.0.0.1, pulling a tree from "remote" to local.
#
# Fixtures: one big file (BIG_MB, default 2048) and SMALL_FILES small files
# (default 20000, ~16 KiB each) in SMALL_DIRS directories (default 500).
# Scenarios, for fugu, rsync -a and rsync -rcpPCavu: copy the big file;
# copy the small files; re-run with nothing changed; kill -9 at 40% of the
# big file, then time the resume (rsync --append-verify as a reference).
# A quick run: BIG_MB=256 SMALL_FILES=2000 SMALL_DIRS=50 bench/transfer.sh
# TOOLS="fugu_pull rsync_a" limits the tools compared.
#
# Every scenario runs ROUNDS times (default 3), the tools taking turns in
# a rotating order so that neither gains from what the machine did just
# before; the report gives the median. Trees of small files are moved
# aside and deleted only at the end: ext4 without a journal scans the
# inodes deleted in the last minutes on every file it creates, so a run
# right after another's rm -rf would pay for it.
#
# STEADY_MEMORY=1 (as root, on a virtual machine whose kernel reports
# freed pages to the host): the guest keeps what it frees for the run,
# and its memory is touched once first, so that neither tool pays the
# host's faults for pages the other gave back. Restored on exit.
#
# Needs: go, /usr/sbin/sshd, ssh, ssh-keygen, rsync, perl, GNU time.
set -eu

BIG_MB=${BIG_MB:-2048}
SMALL_FILES=${SMALL_FILES:-20000}
SMALL_DIRS=${SMALL_DIRS:-500}
ROUNDS=${ROUNDS:-3}
JOBS=${JOBS:+--jobs $JOBS}
. "$(dirname "$0")/sshd.sh"

PR=/sys/module/page_reporting/parameters/page_reporting_order
if [ "${STEADY_MEMORY:-0}" = 1 ] && [ -w "$PR" ]; then
	old_order=$(cat "$PR")
	trap 'echo "$old_order" >"$PR"; cleanup' EXIT INT TERM
	echo 11 >"$PR" # above the largest free block: nothing is reported
	avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
	echo "touching $((avail - 4096)) MiB of memory once" >&2
	perl -e 'my @a = map { "\1" x (256 << 20) } 1 .. $ARGV[0]' $(((avail - 4096) / 256))
fi

# --- fixtures ---------------------------------------------------------------
mkdir -p "$W/src/big" "$W/src/small"
echo "making fixtures: ${BIG_MB} MiB file, $SMALL_FILES small files in $SMALL_DIRS dirs" >&2
head -c "$((BIG_MB * 1048576))" /dev/urandom >"$W/src/big/big.bin"
perl -e '
	my ($dir, $n, $d) = @ARGV; srand(42);
	open(my $r, "<", "/dev/urandom") or die; my $pool; read($r, $pool, 1 << 20);
	for my $i (0 .. $n - 1) {
		my $sub = sprintf("%s/d%03d", $dir, $i % $d); mkdir $sub;
		my $len = int(rand(32768)); open(my $f, ">", "$sub/f$i") or die;
		print $f substr($pool, int(rand((1 << 20) - $len)), $len); close $f;
	}' "$W/src/small" "$SMALL_FILES" "$SMALL_DIRS"
sync

# run NAME CMD...: time one command; prints "NAME seconds peakKB flush".
# Every run starts with nothing dirty in the page cache, and the time the
# kernel then needs to write out what the tool left dirty is measured too
# (fugu syncs before it reports a file done; rsync does not).
run() {
	name=$1; shift
	sync
	/usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/out" 2>"$W/err" || { echo "$name failed:" >&2; tail -5 "$W/err" >&2; }
	case $name in fugu*) sed 's/^/    /' "$W/out" >&2 ;; esac
	flush=$( { /usr/bin/time -f "%e" sync; } 2>&1 )
	set -- $(cat "$W/time")
	echo "$name $1 $2 $flush" | tee -a "$W/results" >&2
}

# One wrapper script per tool, so GNU time can run and measure it.
tool() { printf '#!/bin/sh\nexec %s\n' "$2" >"$W/$1"; chmod +x "$W/$1"; }
tool fugu_pull "$FUGU migrate home --from '$R:$PORT:$W/src/'\"\$1\" --to '$W/dst/'\"\$1\" --known-hosts '$KNOWN_HOSTS' -i '$ID' -F none $JOBS"
tool rsync_a "rsync -a -e '$SSH_E' '$R:$W/src/'\"\$1/\" '$W/dst/'\"\$1/\""
tool rsync_c "rsync -rcpPCavu -e '$SSH_E' '$R:$W/src/'\"\$1/\" '$W/dst/'\"\$1/\""
tool rsync_av "rsync -a --append-verify -e '$SSH_E' '$R:$W/src/'\"\$1/\" '$W/dst/'\"\$1/\""

# fresh: an empty target; the old one is kept aside until the end (small
# files) or removed now (the big file: one inode).
n=0
fresh() {
	if [ -d "$W/dst/small" ]; then n=$((n + 1)); mkdir -p "$W/trash"; mv "$W/dst" "$W/trash/$n"; fi
	rm -rf "$W/dst"; mkdir -p "$W/dst"
}

# kill_at TOOL: start TOOL on big, kill -9 at 40% of the file, then time the resume.
kill_at() {
	tool=$1
	fresh
	"$W/$tool" big >/dev/null 2>&1 &
	pid=$!
	want=$((BIG_MB * 1048576 * 4 / 10))
	while kill -0 "$pid" 2>/dev/null; do
		got=$(du -sb --apparent-size "$W/dst" 2>/dev/null | cut -f1)
		[ "${got:-0}" -ge "$want" ] && break
		sleep 0.05
	done
	pkill -9 -P "$pid" 2>/dev/null || :
	kill -9 "$pid" 2>/dev/null || :
	wait "$pid" 2>/dev/null || :
	sleep 0.2
}

# rotate N WORDS...: the words, starting at the Nth (mod their count).
rotate() {
	k=$1; shift
	i=0; for w in "$@"; do [ "$i" -ge $((k % $#)) ] && printf '%s ' "$w"; i=$((i + 1)); done
	i=0; for w in "$@"; do [ "$i" -lt $((k % $#)) ] && printf '%s ' "$w"; i=$((i + 1)); done
}

: >"$W/results"
TOOLS=${TOOLS:-fugu_pull rsync_a rsync_c}
for round in $(seq 1 "$ROUNDS"); do
	echo "round $round of $ROUNDS" >&2
	for tool in $(rotate "$round" $TOOLS); do fresh; run "$tool:big" "$W/$tool" big; done
	for tool in $(rotate "$round" $TOOLS); do fresh; run "$tool:small" "$W/$tool" small; run "$tool:nochange" "$W/$tool" small; done
	for tool in $(rotate "$round" $TOOLS rsync_av); do kill_at "$tool"; run "$tool:resume" "$W/$tool" big; done
done
rm -rf "$W/trash"

# --- report -----------------------------------------------------------------
BIG_BYTES=$((BIG_MB * 1048576))
awk -v big="$BIG_BYTES" -v n="$SMALL_FILES" '
	# Medians of the rounds: the times of each scenario, and of each
	# scenario with the sync after it, sorted by insertion.
	function put(a, key, v,   i) { c[a key]++; for (i = c[a key]; i > 1 && v < s[a key, i - 1]; i--) s[a key, i] = s[a key, i - 1]; s[a key, i] = v }
	function med(a, key,   n) { n = c[a key]; return n == 0 ? 0 : (n % 2 ? s[a key, (n + 1) / 2] : (s[a key, n / 2] + s[a key, n / 2 + 1]) / 2) }
	{ split($1, k, ":"); key = k[1] ":" k[2]; put("t", key, $2); put("f", key, $2 + $4); m[k[1]] = ($3 > m[k[1]] ? $3 : m[k[1]]) }
	END {
		for (key in c) if (substr(key, 1, 1) == "t") { t[substr(key, 2)] = med("t", substr(key, 2)); f[substr(key, 2)] = med("f", substr(key, 2)) - t[substr(key, 2)] }
		printf "\n%-22s %10s %10s %10s %10s\n", "", "fugu", "rsync -a", "rsync -C", "x rsync -a"
		printf "%-22s %10.2f %10.2f %10.2f %10.2f\n", "big file (s)", t["fugu_pull:big"], t["rsync_a:big"], t["rsync_c:big"], t["rsync_a:big"] / t["fugu_pull:big"]
		printf "%-22s %10.0f %10.0f %10.0f\n", "big file (MB/s)", big / t["fugu_pull:big"] / 1e6, big / t["rsync_a:big"] / 1e6, big / t["rsync_c:big"] / 1e6
		printf "%-22s %10.2f %10.2f %10.2f %10.2f\n", "small files (s)", t["fugu_pull:small"], t["rsync_a:small"], t["rsync_c:small"], t["rsync_a:small"] / t["fugu_pull:small"]
		printf "%-22s %10.0f %10.0f %10.0f\n", "small files (files/s)", n / t["fugu_pull:small"], n / t["rsync_a:small"], n / t["rsync_c:small"]
		printf "%-22s %10.2f %10.2f %10.2f %10.2f\n", "no-change re-run (s)", t["fugu_pull:nochange"], t["rsync_a:nochange"], t["rsync_c:nochange"], t["rsync_a:nochange"] / t["fugu_pull:nochange"]
		printf "%-22s %10.2f %10.2f %10.2f %10.2f\n", "resume after 40% (s)", t["fugu_pull:resume"], t["rsync_a:resume"], t["rsync_c:resume"], t["rsync_a:resume"] / t["fugu_pull:resume"]
		printf "%-22s %10.2f  (rsync --append-verify; ratio %.2f)\n", "", t["rsync_av:resume"], t["rsync_av:resume"] / t["fugu_pull:resume"]
		printf "%-22s %10d %10d %10d\n", "peak RSS (KB)", m["fugu_pull"], m["rsync_a"], m["rsync_c"]
		printf "\nincluding the sync(1) after each run (data on disk):\n"
		printf "%-22s %10.2f %10.2f %10.2f %10.2f\n", "big file (s)", t["fugu_pull:big"] + f["fugu_pull:big"], t["rsync_a:big"] + f["rsync_a:big"], t["rsync_c:big"] + f["rsync_c:big"], (t["rsync_a:big"] + f["rsync_a:big"]) / (t["fugu_pull:big"] + f["fugu_pull:big"])
		printf "%-22s %10.2f %10.2f %10.2f %10.2f\n", "small files (s)", t["fugu_pull:small"] + f["fugu_pull:small"], t["rsync_a:small"] + f["rsync_a:small"], t["rsync_c:small"] + f["rsync_c:small"], (t["rsync_a:small"] + f["rsync_a:small"]) / (t["fugu_pull:small"] + f["fugu_pull:small"])
		printf "%-22s %10.2f %10.2f %10.2f %10.2f\n", "resume after 40% (s)", t["fugu_pull:resume"] + f["fugu_pull:resume"], t["rsync_a:resume"] + f["rsync_a:resume"], t["rsync_c:resume"] + f["rsync_c:resume"], (t["rsync_a:resume"] + f["rsync_a:resume"]) / (t["fugu_pull:resume"] + f["fugu_pull:resume"])
	}' "$W/results"
