# sshd.sh, sourced by the scripts in bench/: builds fugu into a fresh
# work directory $W and starts a private OpenSSH sshd on 127.0.0.1 that
# lets the current user in with a fresh key. It sets W, FUGU, PORT,
# KNOWN_HOSTS, ID, R (user@127.0.0.1) and SSH_E (the ssh command for
# rsync -e), and stops sshd and removes $W on exit.

REPO=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d "${BENCH_DIR:-/var/tmp}/fugu-bench.XXXXXX")
SSHD_PID=
cleanup() {
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null || :
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

FUGU=$W/fugu
(cd "$REPO" && go build -o "$FUGU" ./cmd/fugu)

PORT=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen=>1,LocalAddr=>"127.0.0.1:0")->sockport')
ssh-keygen -q -t ed25519 -N '' -f "$W/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$W/id"
cp "$W/id.pub" "$W/authorized_keys"
KNOWN_HOSTS=$W/known_hosts
ID=$W/id
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$W/host_key.pub")" >"$KNOWN_HOSTS"
cat >"$W/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $W/host_key
AuthorizedKeysFile $W/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PidFile $W/sshd.pid
Subsystem sftp internal-sftp
CONF
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
/usr/sbin/sshd -D -f "$W/sshd_config" -E "$W/sshd.log" &
SSHD_PID=$!
R="$(id -un)@127.0.0.1"
SSH_E="ssh -p $PORT -i $ID -o UserKnownHostsFile=$KNOWN_HOSTS -o StrictHostKeyChecking=yes -o BatchMode=yes -F none"
for _ in 1 2 3 4 5 6 7 8 9 10; do $SSH_E "$R" true 2>/dev/null && break; sleep 0.3; done
